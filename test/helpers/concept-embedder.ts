/**
 * A small deterministic Embedder for contract tests: one dimension per concept (a regex over the text),
 * plus a constant dimension so no vector is all zeros. Texts that share a concept are close even when they
 * share no word — which is what dense retrieval adds to BM25 — without loading a model.
 */
import { l2Normalize } from '../../services/search/rank-fusion.js'
import type { Embedder } from '../../services/search/embedder.js'

const CONCEPTS: RegExp[] = [
  /所得|收入|工资|挣|打零工|劳务/,
  /契税|买房|房子|二手房|不动产/,
  /增值税|征收率|小规模/,
  /注销|不干了|关门/,
  /通知|公告/,
]

export class ConceptEmbedder implements Embedder {
  readonly name = 'concept-test'
  readonly modelId = 'concept-test:v1'
  readonly dimensions = CONCEPTS.length + 1
  calls = 0

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls++
    return texts.map((t) => l2Normalize([...CONCEPTS.map((re) => (re.test(t) ? 1 : 0)), 0.05]))
  }
}
