/**
 * Step 2b: intent by meaning, for the messages the rules (intent-rules.ts) leave as a consult. A complaint without
 * 投诉 (「你们办税服务厅的叫号机一上午都是坏的 也没人出来解释一下」), a request for a person in other words (「想找你们懂业务的
 * 老师聊聊」), a report without 举报: no word list covers how people say these. The message's vector (the same bge-small-zh
 * query vector retrieval uses, so no extra model call) is compared with labelled examples (knowledge/intents/exemplars.jsonl:
 * the dev split's questions and hand-written lines; their vectors ship with the corpus vectors). The nearest example
 * of a non-consult intent decides only when it is close (cosine ≥ minCos) and clearly closer than the nearest
 * consult example (by margin); a question about the rule or the penalty (「两套账被查出来罚多少」) never becomes a
 * report or a refusal. Without the model the step is off and the rules decide alone.
 */
import fs from 'node:fs'
import type { Passage } from '../search/passages.js'
import { LruCache } from '../search/embedder.js'
import { VectorIndex } from '../search/rank-fusion.js'
import { asksAboutTheRule, type Intent, mentionsTax } from './intent-rules.js'

export const EXEMPLAR_INTENTS = ['consult', 'report', 'complaint', 'human', 'illegal', 'out-of-scope'] as const
export type ExemplarIntent = (typeof EXEMPLAR_INTENTS)[number]

export interface Exemplar {
  text: string
  intent: ExemplarIntent
}

/**
 * 「直播带货主播的收入个税怎么算」「投诉有没有时间限制」「逃税罪怎么认定」: a question for a rate, a computation or a time limit is a consult,
 * however close it comes to a report or a complaint about the same people.
 */
const ASKS_A_RULE =
  /(怎么认定|如何认定|认定标准|怎么算|怎么计算|如何计算|按什么|按.{0,8}还是|税率|征收率|扣除标准|是多少|多少钱|期限|时限|时间限制|多久)/

/** Chosen on the dev split, each dev line compared without its own example (scripts: see README "Intent"). */
export const SEMANTIC_INTENT_DEFAULTS = { minCos: 0.6, margin: 0.06 }

export interface SemanticIntentResult {
  intent: Exclude<ExemplarIntent, 'consult'>
  /** Cosine to the nearest example of that intent, and to the nearest consult example. */
  cos: number
  consultCos: number
  /** The nearest example (for logs and tests). */
  example: string
}

/** Parses the exemplar file; a bad line is an error naming it (the file ships with the product). */
export function parseExemplars(text: string, file = 'exemplars.jsonl'): Exemplar[] {
  const out: Exemplar[] = []
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return
    let v: { text?: unknown; intent?: unknown }
    try {
      v = JSON.parse(line)
    } catch {
      throw new Error(`${file}:${i + 1}: not JSON`)
    }
    if (typeof v.text !== 'string' || !v.text.trim()) throw new Error(`${file}:${i + 1}: "text" must be a string`)
    if (!(EXEMPLAR_INTENTS as readonly unknown[]).includes(v.intent))
      throw new Error(`${file}:${i + 1}: "intent" must be one of ${EXEMPLAR_INTENTS.join(', ')}`)
    out.push({ text: v.text, intent: v.intent as ExemplarIntent })
  })
  return out
}

/**
 * Pure: the decision from the nearest example of each intent. Null: the message stays a consult.
 */
export function decideIntent(
  text: string,
  nearest: ReadonlyMap<ExemplarIntent, { cos: number; text: string }>,
  o: { minCos: number; margin: number } = SEMANTIC_INTENT_DEFAULTS,
): SemanticIntentResult | null {
  let top: SemanticIntentResult['intent'] | null = null
  let cos = -1
  for (const [intent, n] of nearest)
    if (intent !== 'consult' && n.cos > cos) {
      top = intent
      cos = n.cos
    }
  if (top === null) return null
  const consultCos = nearest.get('consult')?.cos ?? -1
  if (cos < o.minCos || cos - consultCos < o.margin) return null
  if ((top === 'report' || top === 'illegal') && asksAboutTheRule(text)) return null
  if (top !== 'human' && top !== 'out-of-scope' && ASKS_A_RULE.test(text)) return null
  // 「…找票冲成本…少交点所得税…怎么弄」 is close in meaning to chatter only by its length: a message about tax is
  // never declined as outside tax (that reply says 「无法回答与税务无关的问题」)
  if (top === 'out-of-scope' && mentionsTax(text)) return null
  return { intent: top, cos, consultCos, example: nearest.get(top)?.text ?? '' }
}

/** What the step needs from the dense side: PassageVectors (query vectors with their LRU, cached text vectors). */
export interface ExemplarVectors {
  queryVector(text: string): Promise<Float32Array>
  vectorsFor(passages: readonly Passage[]): Promise<Float32Array[]>
}

/** The examples as passages, the shape the dense side embeds and caches (their vectors ship with the corpus's). */
export function exemplarPassages(exemplars: readonly Exemplar[]): Passage[] {
  return exemplars.map((e, i) => ({
    id: `intent-exemplar#${i}`,
    entryId: 'intent-exemplars',
    n: i,
    label: '',
    text: e.text,
  }))
}

export class SemanticIntents {
  readonly #intentOf: ExemplarIntent[]
  readonly #texts: string[]
  /** The examples' vectors, row id = the example's index (the same exact SIMD scan as passage search). */
  readonly #index = new VectorIndex()
  readonly #intents: number
  readonly #decided = new LruCache<string, SemanticIntentResult | null>(2000)

  private constructor(
    exemplars: readonly Exemplar[],
    vectors: readonly Float32Array[],
    private readonly source: ExemplarVectors,
    private readonly options: { minCos: number; margin: number },
  ) {
    vectors.forEach((v, i) => this.#index.upsert(String(i), v))
    this.#intentOf = exemplars.map((e) => e.intent)
    this.#texts = exemplars.map((e) => e.text)
    this.#intents = new Set(this.#intentOf).size
  }

  /** Loads the examples and their vectors (the shipped ones; any missing are embedded once and cached). */
  static async create(
    exemplars: readonly Exemplar[],
    source: ExemplarVectors,
    options = SEMANTIC_INTENT_DEFAULTS,
  ): Promise<SemanticIntents> {
    return new SemanticIntents(exemplars, await source.vectorsFor(exemplarPassages(exemplars)), source, options)
  }

  static async fromFile(file: string, source: ExemplarVectors): Promise<SemanticIntents | null> {
    if (!fs.existsSync(file)) return null
    return SemanticIntents.create(parseExemplars(fs.readFileSync(file, 'utf8'), file), source)
  }

  get size(): number {
    return this.#texts.length
  }

  /** The intent by meaning for a message the rules called a consult, or null (stays a consult). */
  async classify(text: string): Promise<SemanticIntentResult | null> {
    const key = text.trim()
    const hit = this.#decided.get(key)
    if (hit !== undefined) return hit
    const q = await this.source.queryVector(key)
    const decided = decideIntent(key, this.nearest(q), this.options)
    this.#decided.set(key, decided)
    return decided
  }

  /** The nearest example of each intent to a query vector. */
  nearest(q: Float32Array): Map<ExemplarIntent, { cos: number; text: string }> {
    const best = new Map<ExemplarIntent, { cos: number; text: string }>()
    for (const hit of this.#index.search(q, this.#index.size)) {
      const row = Number(hit.id)
      const intent = this.#intentOf[row] as ExemplarIntent
      if (!best.has(intent)) best.set(intent, { cos: hit.score, text: this.#texts[row] as string })
      if (best.size === this.#intents) break
    }
    return best
  }
}

/** The chat's intent from the rules' and the semantic step's decisions. */
export function combinedIntent(rules: Intent, semantic: SemanticIntentResult | null): Intent {
  return rules === 'consult' && semantic ? semantic.intent : rules
}
