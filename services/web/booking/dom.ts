/** DOM building for the booking pages: createElement and text nodes only, never innerHTML with data. */
export type Child = Node | string | null | undefined | false

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | ((e: Event) => void)> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'function') node.addEventListener(k.replace(/^on/, ''), v)
    else if (v === true) node.setAttribute(k, '')
    else if (v !== false) node.setAttribute(k, v)
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c)
  return node
}

export function clear(node: Element, ...children: Child[]): void {
  node.replaceChildren()
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c)
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message)
  }
}

function csrf(): string {
  return /(?:^|;\s*)taxkb_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? ''
}

/** JSON call; errors become ApiError with the server's Chinese message. */
export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (method !== 'GET') headers['x-csrf-token'] = csrf()
  const res = await fetch(url, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const data = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null
  if (!res.ok)
    throw new ApiError(data?.error?.code ?? 'HTTP', data?.error?.message ?? `请求失败（${res.status}）`, res.status)
  return data as T
}

export function errorBox(error: unknown): HTMLElement {
  const text = error instanceof ApiError ? error.message : '网络异常，请稍后再试'
  return el('p', { class: 'error', role: 'alert' }, text)
}

const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六']
/** "12月2日 星期三" for a YYYY-MM-DD China date. */
export function dayLabel(date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 星期${WEEKDAYS[d.getUTCDay()] ?? ''}`
}

export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

export interface HallDto {
  id: string
  name: string
  regionCode: string
  address: string
  phone: string
  sample: boolean
  capacityPerSlot: number
  capacityByBusiness: Record<string, number>
  blackoutDays: string[]
  slotMinutes: number
  windows: number
  periods: { start: string; end: string }[]
}

export interface AppointmentDto {
  id: string
  number: string
  hallId: string
  hallName: string
  slotStart: string
  date: string
  label: string
  businessNames: string[]
  taxpayerName: string
  taxpayerIdMasked: string
  phoneMasked: string
  status: string
  statusLabel: string
  proposal: { date: string; label: string; reason: string } | null
  notice: string | null
  checkedInAt: string | null
  events?: { at: string; by: string; action: string }[]
}

export interface SlotDto {
  slotStart: string
  label: string
  remaining: number
  capacity: number
  bookable: boolean
  reason: string | null
}

export function appointmentFacts(a: AppointmentDto): HTMLElement {
  return el(
    'dl',
    { class: 'kv' },
    el('dt', {}, '预约号'),
    el('dd', {}, el('strong', { class: 'number' }, a.number)),
    el('dt', {}, '办税服务厅'),
    el('dd', {}, a.hallName),
    el('dt', {}, '日期时间'),
    el('dd', {}, `${dayLabel(a.date)} ${a.label}`),
    el('dt', {}, '办理业务'),
    el('dd', {}, a.businessNames.join('、')),
    el('dt', {}, '纳税人'),
    el('dd', {}, `${a.taxpayerName}（${a.taxpayerIdMasked}）`),
    el('dt', {}, '状态'),
    el('dd', {}, el('span', { class: `badge ${a.status}` }, a.statusLabel)),
  )
}
