/**
 * Which two versions the editor compares by default (issue 20 item 14): the newest, and the newest older
 * version whose text differs — not simply the two newest, which are often the same text as draft and as
 * published (「status：draft → published」 only). Pure; versions come newest first.
 */
export interface VersionText {
  version: number
  entry: { title?: string; question?: string; body?: string }
}

const text = (v: VersionText) => JSON.stringify([v.entry.title ?? '', v.entry.question ?? '', v.entry.body ?? ''])

/** The two version numbers to tick; fewer when there are fewer versions. */
export function defaultComparison(newestFirst: readonly VersionText[]): number[] {
  const [newest, ...older] = newestFirst
  if (!newest) return []
  const different = older.find((v) => text(v) !== text(newest)) ?? older[0]
  return different ? [newest.version, different.version] : [newest.version]
}
