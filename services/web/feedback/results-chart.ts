/**
 * Survey result charts drawn as SVG (bars for choices and score distributions) with a table beside each
 * for screen readers and exact figures. Pure DOM building; no charting library needed for bars.
 */
import { h, svg } from './dom.js'

export interface Count {
  label: string
  count: number
}

export function barChart(title: string, counts: readonly Count[]): HTMLElement {
  const max = Math.max(1, ...counts.map((c) => c.count))
  const rowH = 26
  const width = 320
  const labelW = 110
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${counts.length * rowH + 4}`,
    role: 'img',
    'aria-label': `${title}：柱状图`,
    class: 'chart',
  })
  counts.forEach((c, i) => {
    const w = Math.round(((width - labelW - 40) * c.count) / max)
    const y = i * rowH + 2
    chart.appendChild(svg('text', { x: 0, y: y + 17, 'font-size': 12 }, c.label.slice(0, 10)))
    chart.appendChild(
      svg('rect', {
        x: labelW,
        y: y + 4,
        width: Math.max(w, 1),
        height: rowH - 8,
        fill: '#c8102e',
        'data-count': c.count,
      }),
    )
    chart.appendChild(svg('text', { x: labelW + w + 4, y: y + 17, 'font-size': 12 }, String(c.count)))
  })
  const table = h(
    'table',
    { class: 'data' },
    h('caption', { class: 'sr' }, `${title}（数据表）`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '选项'), h('th', { scope: 'col' }, '人数'))),
    h('tbody', {}, ...counts.map((c) => h('tr', {}, h('th', { scope: 'row' }, c.label), h('td', {}, String(c.count))))),
  )
  return h('div', { class: 'chart-wrap' }, chart, table)
}
