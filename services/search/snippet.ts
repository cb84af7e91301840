/**
 * Highlighted snippets: pick the window of the text with the most distinct query terms, escape it, and
 * wrap matches in <mark>. Pure and backend-independent.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

export function makeSnippet(text: string, terms: readonly string[], width = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const lower = flat.normalize('NFKC').toLowerCase()
  // NFKC can change length for some characters; fall back to no highlighting when it does.
  const comparable = lower.length === flat.length
  const useful = [...new Set(terms.filter((t) => t.length >= 1))].sort((a, b) => b.length - a.length)
  let start = 0
  if (comparable && flat.length > width && useful.length > 0) {
    const positions: { at: number; term: string }[] = []
    for (const t of useful) {
      let i = lower.indexOf(t)
      let n = 0
      while (i >= 0 && n < 50) {
        positions.push({ at: i, term: t })
        i = lower.indexOf(t, i + t.length)
        n++
      }
    }
    positions.sort((a, b) => a.at - b.at)
    let best = -1
    for (const p of positions) {
      const from = Math.max(0, p.at - 10)
      const distinct = new Set(
        positions.filter((q) => q.at >= from && q.at + q.term.length <= from + width).map((q) => q.term),
      )
      const score = [...distinct].reduce((s, t) => s + t.length, 0)
      if (score > best) {
        best = score
        start = from
      }
    }
  }
  const end = Math.min(flat.length, start + width)
  const piece = flat.slice(start, end)
  const pieceLower = comparable ? lower.slice(start, end) : piece
  const marks = new Array<boolean>(piece.length).fill(false)
  if (comparable) {
    for (const t of useful) {
      if (t.length < 2 && useful.some((u) => u.length >= 2)) continue
      let i = pieceLower.indexOf(t)
      while (i >= 0) {
        for (let j = i; j < i + t.length; j++) marks[j] = true
        i = pieceLower.indexOf(t, i + t.length)
      }
    }
  }
  let out = ''
  let open = false
  for (let i = 0; i < piece.length; i++) {
    if (marks[i] && !open) {
      out += '<mark>'
      open = true
    } else if (!marks[i] && open) {
      out += '</mark>'
      open = false
    }
    out += escapeHtml(piece[i]!)
  }
  if (open) out += '</mark>'
  return `${start > 0 ? '…' : ''}${out}${end < flat.length ? '…' : ''}`
}

/** Removes the <mark> tags and unescapes, for terminals and plain-text channels. */
export function snippetToText(snippet: string, open = '【', close = '】'): string {
  return snippet
    .replace(/<mark>/g, open)
    .replace(/<\/mark>/g, close)
    .replace(
      /&(amp|lt|gt|quot|#39);/g,
      (m) => ({ '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" })[m]!,
    )
}
