/**
 * Wires the runtime once from config: store, lexicon, regions, analyzer, search backend and services.
 * The HTTP app and the CLI both start from here, so they behave the same.
 */
import type { Lexicon } from '../knowledge/lexicon.js'
import { EditorialService } from './editorial/editorial-service.js'
import { loadLexiconWithOverlay } from './editorial/lexicon-files.js'
import { RegionTable } from '../knowledge/regions.js'
import { createStore } from '../knowledge/store/create-store.js'
import type { Store } from '../knowledge/store/store.js'
import { createSearchBackend, type BackendBundle } from './search/create-search-backend.js'
import { SearchService } from './search/search-service.js'
import { resolveSecret } from './auth/secret.js'
import { TokenSigner } from './auth/tokens.js'
import { UserService } from './auth/user-service.js'
import { TicketService, type SessionsPort } from './tickets/ticket-service.js'
import { WorkingDayCalendar } from './shared/working-day-calendar.js'
import { loadEffectiveCalendar } from './tickets/calendar-store.js'
import { ContactCipher, resolveEncryptionKey } from './tickets/contact-cipher.js'
import { createNotifier } from './notify/create-notifier.js'
import type { Notifier } from './notify/notifier.js'
import type { Registry } from 'prom-client'
import { systemClock, type Clock } from './shared/clock.js'
import { AnswerService } from './answer/answer-service.js'
import { createChatModel, type ChatModel } from './answer/chat-model.js'
import { LedgerService } from './answer/ledger.js'
import { Retriever } from './answer/retrieval.js'
import { SessionService } from './answer/session-service.js'
import type { Embedder } from './search/embedder.js'
import { createMetrics, type Metrics } from './shared/metrics.js'
import type { Config } from './shared/config.js'

export interface Container {
  config: Config
  clock: Clock
  store: Store
  lexicon: Lexicon
  regions: RegionTable
  index: BackendBundle
  search: SearchService
  users: UserService
  /** Signs staff tokens and taxpayer session ids. */
  tokens: TokenSigner
  calendar: WorkingDayCalendar
  tickets: TicketService
  /** Tells taxpayers about replies and extensions outside the chat (log | webhook). */
  notifier: Notifier
  /** Drafting, review, publishing, versions, bulk import, worklists, lexicon and hot topics. */
  editorial: EditorialService
  /** Chat sessions (signed ids, transcripts, SSE events). */
  sessions: SessionService
  /** Consultation ledger (台账) and ratings. */
  ledger: LedgerService
  /** Prometheus registry and counters (GET /metrics). */
  metrics: Metrics
  /** Optional LLM (name 'none' = extractive answers only). */
  chatModel: ChatModel
  /** Optional dense embeddings (name 'none' = BM25 only). */
  embedder: Embedder
  /** The answering service behind POST /api/chat and `taxkb ask`. */
  answer: AnswerService
  close(): Promise<void>
}

export interface ContainerOptions {
  clock?: Clock
  /** Skip bringing the index in step with the store (the importer does it itself). */
  skipIndexSync?: boolean
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const clock = options.clock ?? systemClock
  // Editors' lexicon files in TAXKB_DATA_DIR/lexicon/ take precedence over the bundled ones, file by file.
  const lexicon = loadLexiconWithOverlay(config.lexiconDir, config.dataDir)
  const regions = RegionTable.load(config.regionsFile)
  const store = await createStore(config)
  const index = await createSearchBackend(config, store, lexicon, regions)
  if (!options.skipIndexSync) await index.reindexAll()
  const search = new SearchService(index.backend, regions, clock, config.maxQueryChars)
  const users = new UserService(store, regions, clock)
  const tokens = new TokenSigner(resolveSecret(config.sessionSecret, config.dataDir))
  // An admin-edited calendar in the data dir (PUT /api/admin/calendar) overrides the shipped file.
  const calendar = new WorkingDayCalendar(loadEffectiveCalendar(config.calendarFile, config.dataDir).data)
  const notifier = createNotifier(config)
  const cipher = new ContactCipher(resolveEncryptionKey(config.encryptionKey, config.dataDir))
  let container: Container | undefined
  // Sessions are resolved lazily: the session service is added to the container after tickets.
  const tickets = new TicketService(store, regions, calendar, clock, { cipher, notifier, sessions: () => (container as { sessions?: SessionsPort } | undefined)?.sessions, registry: () => (container as { metrics?: { registry: Registry } } | undefined)?.metrics?.registry })
  const editorial = new EditorialService(store, regions, clock, index, { dataDir: config.dataDir, lexiconDir: config.lexiconDir, onLexicon: (l) => { if (container) container.lexicon = l } })
  const sessions = new SessionService(store, resolveSecret(config.sessionSecret, config.dataDir), clock)
  const ledger = new LedgerService(store, clock)
  const metrics = createMetrics()
  const chatModel = createChatModel(config)
  // Vectors live behind the search backend (hybrid search); the container only exposes which model it is.
  const embedder = index.embedder
  const retriever = new Retriever(index.backend, store, regions, index.analyzer)
  const answer = new AnswerService({ config, clock, store, regions, analyzer: index.analyzer, retriever, sessions, ledger, tickets, chatModel, metrics })
  container = {
    config,
    clock,
    store,
    lexicon,
    regions,
    index,
    search,
    users,
    tokens,
    calendar,
    tickets,
    notifier,
    editorial,
    sessions,
    ledger,
    metrics,
    chatModel,
    embedder,
    answer,
    async close() {
      await editorial.close()
      await index.backend.close()
      await store.close()
    },
  }
  return container
}
