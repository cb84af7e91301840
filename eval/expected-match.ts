/**
 * Pure: whether a retrieved or cited entry id stands for an expected id of an eval line. A line may expect a
 * 公告 as a whole (「国家税务总局公告2023年第14号」, written before the 公告 were bundled clause by clause);
 * the product retrieves and cites its clauses (「…第14号#二」, policy.documentId = the 公告). A clause of the
 * expected 公告 is that 公告. A law article id (「个人所得税法#第六条」) matches only itself: expected ids with a
 * 「#」 are never widened.
 */
export function matchesExpected(id: string, expected: string): boolean {
  return id === expected || (!expected.includes('#') && id.startsWith(`${expected}#`))
}

export function isExpected(id: string, expected: readonly string[]): boolean {
  return expected.some((e) => matchesExpected(id, e))
}

/**
 * A ranking in the eval's terms: each id replaced by the expected id it stands for, later repeats of the same
 * expected 公告 dropped (two clauses of one expected 公告 are one hit, not two).
 */
export function asExpected(ranked: readonly string[], expected: readonly string[]): string[] {
  const out: string[] = []
  for (const id of ranked) {
    const e = expected.find((x) => matchesExpected(id, x))
    const key = e ?? id
    if (e && out.includes(key)) continue
    out.push(key)
  }
  return out
}

/**
 * The label both dev tools use (fit-abstention.ts, compositions.ts): the reply states more than half of the
 * line's key facts and cites an expected entry. `factPresent` is passed in (it lives in taxpayer-eval.ts).
 */
export function compositionRight(
  line: { keyFacts: readonly string[]; expectedIds: readonly string[] },
  reply: { answer: string; citations: readonly { id: string }[] },
  factPresent: (answer: string, fact: string) => boolean,
): boolean {
  const facts = line.keyFacts.filter((k) => factPresent(reply.answer, k)).length
  return facts * 2 > line.keyFacts.length && reply.citations.some((x) => isExpected(x.id, line.expectedIds))
}
