/**
 * The operations dashboard's 起草 links open `/editor/#new=<topic or question>` (issue 22): the text a new
 * draft starts with. The topic tags the draft too, unless it is the catch-all 「未分类」. Pure.
 */
export interface NewEntryPrefill {
  title: string
  question: string
  tags: string[]
}

const MAX_TITLE = 300

export function newEntryPrefill(hash: string): NewEntryPrefill | null {
  const m = /^#new=(.+)$/s.exec(hash)
  if (!m?.[1]) return null
  let text: string
  try {
    text = decodeURIComponent(m[1])
  } catch {
    return null // a malformed escape: nothing to prefill
  }
  text = text.replace(/\s+/g, ' ').trim().slice(0, MAX_TITLE)
  if (!text) return null
  return { title: text, question: text, tags: text === '未分类' ? [] : [text] }
}
