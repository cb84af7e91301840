/**
 * The composition root: builds every service once from config, in dependency order, and hands back a
 * frozen container. Nothing reassigns a member afterwards; what changes at run time (the lexicon after
 * an edit, the calendar after a new year's notice) sits behind a swappable handle (shared/swappable.ts).
 * The HTTP app (api/app.ts) and the CLI both start from here, so they behave the same.
 *
 * Adding a service: construct it below after what it needs, add it to `Container`; if a route needs it,
 * add it to `RouteServices` in api/plugins/services.ts too (README "Architecture" has the recipe).
 */
import type { Lexicon } from '../knowledge/lexicon.js'
import { KnownGaps } from '../knowledge/known-gaps.js'
import type { RegionTable } from '../knowledge/regions.js'
import type { Store } from '../knowledge/store/store.js'
import { TokenRevocations } from './auth/token-revocations.js'
import { AnswerService, type Draft } from './answer/answer-service.js'
import { createChatModel, type ChatModel } from './answer/chat-model.js'
import { DraftCache } from './answer/draft-cache.js'
import { invalidatingIndex } from './answer/invalidating-index.js'
import { LedgerService } from './answer/ledger.js'
import { Retriever } from './answer/retrieval.js'
import { SessionService } from './answer/session-service.js'
import { TicketRecommender } from './answer/ticket-recommendations.js'
import { resolveSecret } from './auth/secret.js'
import { TokenSigner } from './auth/tokens.js'
import { UserService } from './auth/user-service.js'
import { EditorialService } from './editorial/editorial-service.js'
import { PublicEntries } from './editorial/public-entries.js'
import { createNotifier } from './notify/create-notifier.js'
import type { Notifier } from './notify/notifier.js'
import { StaffAuditTrail } from './ops/audit.js'
import { HealthService } from './ops/health-service.js'
import { OperationsService } from './ops/operations-service.js'
import { DashboardService } from './ops/dashboard-service.js'
import { withDashboardInvalidation } from './ops/dashboard-invalidation.js'
import { registerOpsGauges } from './ops/ops-gauges.js'
import { chatConcurrencyOf, TurnGate } from './answer/turn-gate.js'
import type { BackendBundle } from './search/backend-bundle.js'
import type { Embedder } from './search/embedder.js'
import { SemanticIntents } from './answer/semantic-intent.js'
import type { Clock } from './shared/clock.js'
import type { Config } from './shared/config.js'
import { swappable } from './shared/swappable.js'
import { createSearchContainer } from './search-container.js'
import type { SearchService } from './search/search-service.js'
import { createMetrics, type Metrics } from './shared/metrics.js'
import { WorkingDayCalendar } from './shared/working-day-calendar.js'
import { CalendarService } from './tickets/calendar-service.js'
import { loadEffectiveCalendar } from './tickets/calendar-store.js'
import { ContactCipher, resolveEncryptionKey } from './tickets/contact-cipher.js'
import { TicketService } from './tickets/ticket-service.js'
import { FeedbackService } from './feedback/feedback-service.js'
import { SurveyService } from './feedback/survey-service.js'
import { BookingService } from './booking/booking-service.js'
import { createSmsSender } from './notify/create-notifier.js'

export interface Container {
  readonly config: Config
  readonly clock: Clock
  /** The raw store: for the CLI, importers and backups. Routes never get it (api/plugins/services.ts). */
  readonly store: Store
  /** Swappable handle: always the current lexicon (editors' edits swap it). */
  readonly lexicon: Lexicon
  readonly regions: RegionTable
  readonly index: BackendBundle
  readonly search: SearchService
  readonly users: UserService
  /** Signs staff tokens and taxpayer session ids. */
  readonly tokens: TokenSigner
  /** Swappable handle: always the current working-day calendar (see `calendars`). */
  /** Staff token ids revoked at logout. */
  readonly revocations: TokenRevocations
  readonly calendar: WorkingDayCalendar
  /** Reads and saves the admin-edited calendar, swapping `calendar`. */
  readonly calendars: CalendarService
  readonly tickets: TicketService
  /** Tells taxpayers about replies and extensions outside the chat (log | webhook). */
  readonly notifier: Notifier
  /** Drafting, review, publishing, versions, bulk import, worklists, lexicon and hot topics. */
  readonly editorial: EditorialService
  /** Published knowledge by id (GET /api/entries/:id). */
  readonly entries: PublicEntries
  /** Chat sessions (signed ids, transcripts, SSE events). */
  readonly sessions: SessionService
  /** Consultation ledger (台账) and ratings. */
  readonly ledger: LedgerService
  /** Ledger, ticket export and operations figures for managers. */
  readonly operations: OperationsService
  /** Region-scoped operations dashboard (/admin) for 12366 centre managers. */
  readonly dashboard: DashboardService
  /** Liveness and readiness (/healthz, /readyz). */
  readonly health: HealthService
  /** Audit trail of staff writes over HTTP. */
  readonly audit: StaffAuditTrail
  /** Prometheus registry and counters (GET /metrics). */
  readonly metrics: Metrics
  /** Optional LLM (name 'none' = extractive answers only). */
  readonly chatModel: ChatModel
  /** Optional dense embeddings (name 'none' = BM25 only). */
  readonly embedder: Embedder
  /** The answering service behind POST /api/chat and `taxkb ask`. */
  readonly answer: AnswerService
  /** 我要评价 / 我要投诉 / 我要建议 and 回访 follow-ups. */
  readonly feedback: FeedbackService
  /** 网上调查 (online surveys). */
  readonly surveys: SurveyService
  /** 网上预约办税: halls, codes, appointments, queue board (services/booking). */
  readonly booking: BookingService
  /** 推荐知识 for a ticket in the agent console: the chat's retrieval over the question and transcript. */
  readonly recommender: TicketRecommender
  /** Admission for chat turns: a few composed at once, the rest in arrival order, BUSY when the line is full. */
  readonly chatGate: TurnGate
  /** Replies to repeated questions, emptied by every write to `index` (answer/draft-cache.ts). */
  readonly answerCache: DraftCache<Draft>
  close(): Promise<void>
}

export interface ContainerOptions {
  clock?: Clock
  /** Skip bringing the index in step with the store (the importer does it itself). */
  skipIndexSync?: boolean
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const metrics = createMetrics()
  // An admin-edited calendar in the data dir (PUT /api/admin/calendar) overrides the shipped file.
  const calendar = swappable(new WorkingDayCalendar(loadEffectiveCalendar(config.calendarFile, config.dataDir).data))

  // Knowledge and search: the same half `taxkb search` builds alone (search-container.ts).
  // Writes to ledger, ratings and tickets mark the dashboard's stored days stale (ops/dashboard-invalidation.ts).
  const searchSide = await createSearchContainer(config, {
    ...options,
    wrapStore: withDashboardInvalidation,
  })
  const { clock, store, lexicon, regions, search } = searchSide
  // Replies to repeated questions (answer/draft-cache.ts). Every write to the index, whoever makes it (editorial
  // publish and retire, a lexicon edit, a reindex), goes through this handle and empties the cache.
  const answerCache = new DraftCache<Draft>(config.answerCache, config.answerCacheTtlSeconds * 1000, clock)
  const index = invalidatingIndex(searchSide.index, () => answerCache.invalidate())
  // Vectors live behind the search backend (hybrid search); the container only exposes which model it is.
  const embedder = index.embedder

  // Staff and sessions.
  const secret = resolveSecret(config.sessionSecret, config.dataDir)
  const users = new UserService(store, regions, clock)
  const tokens = new TokenSigner(secret)
  const revocations = new TokenRevocations(store, clock)
  const sessions = new SessionService(store, secret, clock)

  // Editorial, tickets, answering, operations: each after what it needs.
  const editorial = new EditorialService(store, regions, clock, index, {
    dataDir: config.dataDir,
    lexiconDir: config.lexiconDir,
    onLexicon: (next) => lexicon.swap(next),
  })
  const notifier = createNotifier(config)
  const cipher = new ContactCipher(resolveEncryptionKey(config.encryptionKey, config.dataDir))
  const tickets = new TicketService(store, regions, calendar.value, clock, {
    cipher,
    notifier,
    sessions,
    registry: metrics.registry,
    knowledge: editorial,
  })
  const ledger = new LedgerService(store, clock)
  const chatModel = createChatModel(config)
  // The LLM client library loads lazily (CLI start); load it now so the first answer's timeout excludes it.
  await chatModel.ready?.()
  const retriever = new Retriever(index.backend, store, regions, index.analyzer)
  // Intent by meaning needs the model's vectors; without them (BM25 only) the rules decide alone.
  const semanticIntents =
    index.vectors && config.intentExemplarsFile
      ? await SemanticIntents.fromFile(config.intentExemplarsFile, index.vectors)
      : null
  const answer = new AnswerService({
    config,
    clock,
    store,
    regions,
    analyzer: index.analyzer,
    retriever,
    sessions,
    ledger,
    tickets,
    chatModel,
    metrics,
    embedder,
    passageVectors: index.vectors ?? null,
    draftCache: answerCache,
    semanticIntents,
    knownGaps: KnownGaps.load(config.knownGapsFile),
  })
  // 征纳互动: feedback forms and ratings over tickets; surveys check taxpayer sessions.
  const feedback = new FeedbackService(store, tokens, clock, calendar.value, regions, tickets)
  const surveys = new SurveyService(store, tokens, clock, regions, sessions)
  // 网上预约办税: SMS through the same gateway choice as the notifier; phones and taxpayer ids as HMAC keys.
  const booking = new BookingService({
    store,
    regions,
    calendar: () => calendar.value,
    clock,
    sms: createSmsSender(config),
    sealer: { seal: (c) => cipher.seal(c), open: (sealed) => cipher.open(sealed) },
    secret,
    businessTypesFile: config.bookingBusinessTypesFile,
    signature: config.smsSignature,
    queueStaleSeconds: config.bookingQueueStaleSeconds,
  })
  const answering = {
    chatModel: chatModel.name,
    embedder: embedder.name,
    confidenceThreshold: config.confidenceThreshold,
  }
  const chatGate = new TurnGate({ concurrency: chatConcurrencyOf(config), queue: config.chatQueue })
  chatGate.register(metrics.registry)
  answerCache.register(metrics.registry)
  registerOpsGauges(metrics.registry, {
    store,
    clock,
    indexSize: () => index.backend.count(),
    chatModel: chatModel.name,
    embedder: embedder.name,
  })

  return Object.freeze({
    config,
    clock,
    store,
    lexicon: lexicon.value,
    regions,
    index,
    search,
    users,
    tokens,
    revocations,
    calendar: calendar.value,
    calendars: new CalendarService(calendar, config),
    tickets,
    notifier,
    editorial,
    entries: new PublicEntries(store, clock),
    sessions,
    ledger,
    operations: new OperationsService(store, tickets, calendar.value, clock),
    dashboard: new DashboardService(store, regions, calendar.value, clock, config.confidenceThreshold),
    health: new HealthService(store, index.backend, answering),
    audit: new StaffAuditTrail(store, clock),
    metrics,
    chatModel,
    embedder,
    answer,
    feedback,
    surveys,
    booking,
    recommender: new TicketRecommender(retriever, index.analyzer, clock, config.maxQueryChars),
    chatGate,
    answerCache,
    async close() {
      // Turns still being composed (their client may have gone) finish their writes before the store closes.
      await chatGate.idle(5000)
      await editorial.close()
      await index.backend.close()
      await store.close()
    },
  })
}
