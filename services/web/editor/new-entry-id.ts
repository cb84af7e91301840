/**
 * Ids for new entries (issue 20 item 17): generated as `<kind>-<region|national>-<China date>-<4 random>`,
 * e.g. `faq-320100-20261125-k3f9`, so editors no longer type them; the field stays editable (a source id, such
 * as a 12366 question number, may replace it). Matches the entry id rule (no spaces, / or ?). Pure.
 */
export function newEntryId(kind: string, regionCode: string | null, now: Date, random: () => number): string {
  const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '')
  const suffix = Array.from(
    { length: 4 },
    () => '0123456789abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 36)],
  ).join('')
  return `${kind}-${regionCode || 'national'}-${day}-${suffix}`
}
