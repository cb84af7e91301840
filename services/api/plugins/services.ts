/**
 * Typed service decorators: one `fastify-plugin` per service, so a route is given the one or two
 * services it uses and nothing else — never the raw store, the index or the whole container.
 *
 *   export default routes('ticket-routes', ['tickets', 'search'], async (app) => { app.tickets… })
 *
 * `app` in that callback is typed with exactly the listed decorators (anything else is a type error), and
 * Fastify refuses to start if a listed service plugin was not registered first (plugin `dependencies`).
 */
import type { FastifyInstance } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import fp from 'fastify-plugin'
import type { AnswerService } from '../../answer/answer-service.js'
import type { LedgerService } from '../../answer/ledger.js'
import type { SessionService } from '../../answer/session-service.js'
import type { TokenSigner } from '../../auth/tokens.js'
import type { TokenRevocations } from '../../auth/token-revocations.js'
import type { UserService } from '../../auth/user-service.js'
import type { EditorialService } from '../../editorial/editorial-service.js'
import type { PublicEntries } from '../../editorial/public-entries.js'
import type { HealthService } from '../../ops/health-service.js'
import type { OperationsService } from '../../ops/operations-service.js'
import type { DashboardService } from '../../ops/dashboard-service.js'
import type { SearchService } from '../../search/search-service.js'
import type { Clock } from '../../shared/clock.js'
import type { Config } from '../../shared/config.js'
import type { Metrics } from '../../shared/metrics.js'
import type { CalendarService } from '../../tickets/calendar-service.js'
import type { TicketService } from '../../tickets/ticket-service.js'
import type { FeedbackService } from '../../feedback/feedback-service.js'
import type { SurveyService } from '../../feedback/survey-service.js'
import type { BookingService } from '../../booking/booking-service.js'
import type { TicketRecommender } from '../../answer/ticket-recommendations.js'
import type { TurnGate } from '../../answer/turn-gate.js'

/** Everything a route may be given. Add a line here (and a member in the container) for a new service. */
export interface RouteServices {
  config: Config
  clock: Clock
  search: SearchService
  entries: PublicEntries
  users: UserService
  tokens: TokenSigner
  sessions: SessionService
  answer: AnswerService
  ledger: LedgerService
  metrics: Metrics
  tickets: TicketService
  editorial: EditorialService
  operations: OperationsService
  calendars: CalendarService
  health: HealthService
  revocations: TokenRevocations
  feedback: FeedbackService
  surveys: SurveyService
  booking: BookingService
  dashboard: DashboardService
  recommender: TicketRecommender
  chatGate: TurnGate
}
export type ServiceName = keyof RouteServices

export const servicePluginName = (name: ServiceName): string => `taxkb-service-${name}`

/** The plugin that decorates the app with one service. */
export function servicePlugin<K extends ServiceName>(name: K, service: RouteServices[K]) {
  return fp(
    async (app: FastifyInstance) => {
      app.decorate(name, service as never)
    },
    { name: servicePluginName(name), fastify: '5.x' },
  )
}

// Exhaustive by type: a new RouteServices member must be listed here too.
const SERVICE_NAMES = Object.keys({
  config: 1,
  clock: 1,
  search: 1,
  entries: 1,
  users: 1,
  tokens: 1,
  sessions: 1,
  answer: 1,
  ledger: 1,
  metrics: 1,
  tickets: 1,
  editorial: 1,
  operations: 1,
  calendars: 1,
  health: 1,
  revocations: 1,
  booking: 1,
  feedback: 1,
  surveys: 1,
  dashboard: 1,
  recommender: 1,
  chatGate: 1,
} satisfies Record<ServiceName, 1>) as ServiceName[]

/**
 * Registers one plugin per route-visible service, taken from the composition root (which holds more:
 * the store, the index, the holders — those are not copied onto the app).
 */
export async function registerServices(app: FastifyInstance, root: RouteServices): Promise<void> {
  for (const name of SERVICE_NAMES) await app.register(servicePlugin(name, root[name]))
}

type TypeboxApp = Parameters<FastifyPluginAsyncTypebox>[0]
/** A route plugin's view of the app: Fastify with the TypeBox provider plus exactly the services it lists. */
export type RouteApp<K extends ServiceName> = TypeboxApp & Readonly<Pick<RouteServices, K>>

/** Declares a route plugin and the services it uses (see the header). */
export function routes<K extends ServiceName>(
  name: string,
  uses: readonly K[],
  plugin: (app: RouteApp<K>) => Promise<void>,
) {
  return fp(async (app: FastifyInstance) => plugin(app as unknown as RouteApp<K>), {
    name,
    encapsulate: true,
    dependencies: uses.map(servicePluginName),
  })
}
