/**
 * Small SVG charts drawn with DOM calls (text only through textContent): vertical bars (stacked by
 * series), horizontal bars and a line. Colours are attributes, not CSS, so a chart serialised for the PNG
 * export looks the same as on the page.
 */
const NS = 'http://www.w3.org/2000/svg'
export const PALETTE = ['#2680c2', '#f0b429', '#3ebd93', '#d64545', '#9446ed', '#627d98', '#e12d39', '#40c3f7']

export interface Series {
  name: string
  values: number[]
}

function svgEl(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const node = document.createElementNS(NS, tag)
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v))
  if (text !== undefined) node.textContent = text
  return node
}

function frame(width: number, height: number, title: string): SVGSVGElement {
  const svg = svgEl('svg', {
    xmlns: NS,
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'font-family': 'Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif',
    'font-size': 11,
  }) as SVGSVGElement
  svg.append(svgEl('title', {}, title), svgEl('rect', { x: 0, y: 0, width, height, fill: '#ffffff' }))
  return svg
}

const niceMax = (v: number): number => {
  if (v <= 0) return 1
  const p = 10 ** Math.floor(Math.log10(v))
  for (const m of [1, 2, 5, 10]) if (m * p >= v) return m * p
  return 10 * p
}

function legend(svg: SVGSVGElement, series: readonly Series[], x: number, y: number): void {
  series.forEach((s, i) => {
    svg.append(svgEl('rect', { x: x + i * 90, y, width: 10, height: 10, fill: PALETTE[i % PALETTE.length] ?? '#888' }))
    svg.append(svgEl('text', { x: x + i * 90 + 14, y: y + 9, fill: '#334e68' }, s.name))
  })
}

/** Vertical bars per category, series stacked. */
export function barChart(title: string, categories: readonly string[], series: readonly Series[]): SVGSVGElement {
  const width = 640
  const height = 240
  const left = 40
  const bottom = 40
  const top = series.length > 1 ? 24 : 10
  const svg = frame(width, height, title)
  const totals = categories.map((_, i) => series.reduce((n, s) => n + (s.values[i] ?? 0), 0))
  const max = niceMax(Math.max(0, ...totals))
  const plotH = height - top - bottom
  const step = (width - left - 10) / Math.max(1, categories.length)
  svg.append(svgEl('line', { x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom, stroke: '#9fb3c8' }))
  svg.append(svgEl('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', fill: '#627d98' }, String(max)))
  svg.append(svgEl('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end', fill: '#627d98' }, '0'))
  const labelEvery = Math.ceil(categories.length / 16)
  categories.forEach((c, i) => {
    let y = height - bottom
    series.forEach((s, k) => {
      const v = s.values[i] ?? 0
      const h = (v / max) * plotH
      y -= h
      if (v > 0) {
        const bar = svgEl('rect', {
          x: left + i * step + step * 0.15,
          y,
          width: step * 0.7,
          height: h,
          fill: PALETTE[k % PALETTE.length] ?? '#888',
        })
        bar.append(svgEl('title', {}, `${c} ${s.name}：${v}`))
        svg.append(bar)
      }
    })
    if (i % labelEvery === 0) {
      svg.append(
        svgEl(
          'text',
          { x: left + i * step + step / 2, y: height - bottom + 14, 'text-anchor': 'middle', fill: '#486581' },
          c,
        ),
      )
    }
  })
  if (series.length > 1) legend(svg, series, left, 4)
  return svg
}

/** Horizontal bars, one per item, value printed at the end. */
export function hbarChart(title: string, items: readonly { label: string; value: number }[], unit = ''): SVGSVGElement {
  const rowH = 22
  const width = 640
  const left = 200
  const height = Math.max(40, items.length * rowH + 16)
  const svg = frame(width, height, title)
  const max = niceMax(Math.max(0, ...items.map((i) => i.value)))
  items.forEach((item, i) => {
    const y = 8 + i * rowH
    const w = ((width - left - 70) * item.value) / max
    const label = item.label.length > 14 ? `${item.label.slice(0, 13)}…` : item.label
    svg.append(svgEl('text', { x: left - 6, y: y + 14, 'text-anchor': 'end', fill: '#334e68' }, label))
    const bar = svgEl('rect', {
      x: left,
      y: y + 3,
      width: Math.max(0, w),
      height: rowH - 8,
      fill: PALETTE[0] ?? '#2680c2',
    })
    bar.append(svgEl('title', {}, `${item.label}：${item.value}${unit}`))
    svg.append(bar)
    svg.append(svgEl('text', { x: left + w + 4, y: y + 14, fill: '#486581' }, `${item.value}${unit}`))
  })
  if (items.length === 0) svg.append(svgEl('text', { x: 10, y: 24, fill: '#829ab1' }, '暂无数据'))
  return svg
}

/** A line over categories; values null are gaps (e.g. no consultations that day). Range 0..max. */
export function lineChart(
  title: string,
  categories: readonly string[],
  values: readonly (number | null)[],
  max: number,
  unit = '',
): SVGSVGElement {
  const width = 640
  const height = 220
  const left = 40
  const bottom = 36
  const top = 12
  const svg = frame(width, height, title)
  const plotH = height - top - bottom
  const step = (width - left - 10) / Math.max(1, categories.length)
  const x = (i: number): number => left + i * step + step / 2
  const y = (v: number): number => top + plotH - (v / max) * plotH
  svg.append(svgEl('line', { x1: left, y1: height - bottom, x2: width - 10, y2: height - bottom, stroke: '#9fb3c8' }))
  svg.append(svgEl('text', { x: left - 4, y: top + 4, 'text-anchor': 'end', fill: '#627d98' }, `${max}${unit}`))
  svg.append(svgEl('text', { x: left - 4, y: height - bottom, 'text-anchor': 'end', fill: '#627d98' }, `0${unit}`))
  let d = ''
  values.forEach((v, i) => {
    if (v === null) return
    d += `${d === '' || values[i - 1] === null ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} `
    const dot = svgEl('circle', { cx: x(i), cy: y(v), r: 3, fill: PALETTE[0] ?? '#2680c2' })
    dot.append(svgEl('title', {}, `${categories[i] ?? ''}：${v}${unit}`))
    svg.append(dot)
  })
  // After the white background (children: title, background), below the dots.
  if (d) svg.children[1]?.after(svgEl('path', { d, fill: 'none', stroke: PALETTE[0] ?? '#2680c2', 'stroke-width': 2 }))
  const labelEvery = Math.ceil(categories.length / 16)
  categories.forEach((c, i) => {
    if (i % labelEvery === 0)
      svg.append(svgEl('text', { x: x(i), y: height - bottom + 14, 'text-anchor': 'middle', fill: '#486581' }, c))
  })
  return svg
}

/** PNG of a chart: the SVG drawn onto a canvas at twice its size. */
export async function svgToPng(svg: SVGSVGElement): Promise<Blob> {
  const width = Number(svg.getAttribute('width'))
  const height = Number(svg.getAttribute('height'))
  const xml = new XMLSerializer().serializeToString(svg)
  const img = new Image()
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(xml)}`
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = width * 2
  canvas.height = height * 2
  const g = canvas.getContext('2d')
  if (!g) throw new Error('canvas unavailable')
  g.scale(2, 2)
  g.drawImage(img, 0, 0)
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/png'),
  )
}
