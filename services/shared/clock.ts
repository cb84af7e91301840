/** Time source, injectable so tests can pin "now". China time is UTC+8 with no DST. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }

export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void } {
  let t = new Date(at)
  return { now: () => new Date(t), set: (v) => (t = new Date(v)) }
}

/** ISO date (YYYY-MM-DD) of an instant in China time. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
}

/** `YYYY-MM-DD HH:mm` in China time (UTC+8, no DST) for an ISO instant; '' for nothing or garbage. */
export function chinaDateTime(iso: string | null | undefined): string {
  const ms = iso ? Date.parse(iso) : Number.NaN
  return Number.isNaN(ms) ? '' : new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 16)
}
