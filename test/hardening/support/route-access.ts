/**
 * Who may call which route: the route × role matrix checked by `route-role-matrix.test.ts`.
 *
 * Every route the app has must have a row here — a new route joins the matrix the day it is added. A row
 * lists the callers that are ALLOWED (the response is anything but 401/403/404); every other caller must
 * be DENIED (401, 403 or 404 with the error envelope). The lists are written out per route on purpose,
 * not derived from services/auth/roles.ts: a wrong role table must make this test fail, not follow it.
 *
 * `request` is a sample that passes the route's schema (validation runs before the auth guard, so an
 * invalid body would answer 400 to everyone and prove nothing). Placeholders in params, query and body:
 *   $ticket   a fresh consult ticket of 南京 (320100-remote), claimed by the caller when the caller can work
 *             tickets (so "not the assignee" never masks the access decision)
 *   $entry    a fresh 南京 city draft written and submitted by another editor (so four eyes never masks it)
 *   $published  a published entry of the fixture corpus
 *   $lexiconProposal  a pending lexicon change proposed by another national editor
 *   $session  the caller's own chat session (only the taxpayer has one; everyone else sends a forged id)
 *   $followup a fresh open 回访 task of 南京 (320100-remote), from a 不满意 chat-answer rating
 *   $checkedIn a fresh appointment of 玄武 (nj-xuanwu) booked and checked in today
 *   $survey   a fresh published anonymous survey for 南京 with one optional rating question (id q1)
 */

export const CALLERS = [
  'anonymous', // no credentials at all
  'taxpayer', // anonymous, holding their own chat session id
  'agentCity', // agent of 南京 (320100-remote)
  'agentProvince', // agent of the 江苏 provincial centre (320000-center)
  'editor', // city editor of 南京
  'reviewer', // provincial reviewer of 江苏
  'admin', // national admin
  'confidential', // 南京 agent holding confidential:read (report-handling officer)
  'hallAdmin', // hall administrator (role hall-admin, booking:hall) listed for 玄武 (nj-xuanwu)
  'hallAdminOther', // hall administrator of another 南京 hall, not of 玄武
] as const
export type CallerName = (typeof CALLERS)[number]

export interface SampleRequest {
  params?: Record<string, string>
  query?: Record<string, string>
  body?: unknown
  headers?: Record<string, string>
  /** Open-ended text/event-stream: only the status line is read. */
  stream?: boolean
}

export interface RouteAccess {
  allow: readonly CallerName[]
  request?: SampleRequest
}

const EVERYONE = CALLERS
const STAFF: readonly CallerName[] = ['agentCity', 'agentProvince', 'editor', 'reviewer', 'admin', 'confidential']
/** Every logged-in staff member, hall administrators included (their own session, nothing more). */
const ANY_STAFF: readonly CallerName[] = [...STAFF, 'hallAdmin', 'hallAdminOther']
/** Hall routes of 玄武: its own administrator, and admin (booking:manage). */
const XUANWU_STAFF: readonly CallerName[] = ['admin', 'hallAdmin']
const TICKET_WORKERS: readonly CallerName[] = ['agentCity', 'agentProvince', 'admin', 'confidential']
const DRAFTERS: readonly CallerName[] = ['editor', 'reviewer', 'admin']
const REVIEWERS: readonly CallerName[] = ['reviewer', 'admin']
const LEDGER_READERS: readonly CallerName[] = ['admin']
const SESSION_HOLDER: readonly CallerName[] = ['taxpayer']
const NOBODY: readonly CallerName[] = []
const SURVEY_MANAGERS: readonly CallerName[] = ['admin']
/** A valid survey definition for 南京 (also what `$survey` publishes). */
export const MATRIX_SURVEY = {
  title: '矩阵测试问卷',
  regionCode: '320100',
  mode: 'anonymous',
  opensAt: '2026-01-01T00:00:00Z',
  closesAt: '2099-01-01T00:00:00Z',
  questions: [{ id: 'q1', type: 'rating', title: '总体评分', required: false }],
} as const
const NATIONAL_LEXICON: readonly CallerName[] = ['admin']
const SESSION = { sessionId: '$session' }

/** Passes the route schema and stays inside the 南京 editor's scope (the service validates the rest). */
const NANJING_FAQ = { kind: 'faq', layer: 'city', regionCode: '320100' }
const ticket = (body?: unknown): RouteAccess => ({
  allow: TICKET_WORKERS,
  request: { params: { id: '$ticket' }, body },
})
const draftEntry = (allow: readonly CallerName[], body?: unknown, query?: Record<string, string>): RouteAccess => ({
  allow,
  request: { params: { id: '$entry' }, ...(body === undefined ? {} : { body }), ...(query ? { query } : {}) },
})

export const ROUTE_ACCESS: Record<string, RouteAccess> = {
  // Public pages, docs and probes.
  'GET /': { allow: EVERYONE },
  'GET /widget.js': { allow: EVERYONE },
  'GET /docs': { allow: EVERYONE },
  'GET /docs/': { allow: EVERYONE },
  'GET /docs/static/index.html': { allow: EVERYONE },
  'GET /docs/static/swagger-initializer.js': { allow: EVERYONE },
  'GET /docs/*': { allow: EVERYONE, request: { params: { '*': 'static/swagger-ui.css' } } },
  'GET /docs/json': { allow: EVERYONE },
  'GET /docs/yaml': { allow: EVERYONE },
  'GET /healthz': { allow: EVERYONE },
  'GET /readyz': { allow: EVERYONE },
  'GET /console': { allow: EVERYONE },
  'GET /console*': { allow: EVERYONE, request: { params: { '*': '/' } } },
  'GET /console/console.js': { allow: EVERYONE },
  'GET /editor/editor.js': { allow: EVERYONE },
  'GET /editor': { allow: EVERYONE },
  'GET /editor*': { allow: EVERYONE, request: { params: { '*': '/' } } },
  // CORS preflight: without TAXKB_CORS_ORIGINS nobody gets a preflight answer.
  'OPTIONS /*': {
    allow: NOBODY,
    request: {
      params: { '*': 'api/chat' },
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    },
  },
  'GET /metrics': { allow: LEDGER_READERS },

  // Taxpayer APIs.
  'GET /api/search': { allow: EVERYONE, request: { query: { q: '增值税' } } },
  'GET /api/entries/:id': { allow: EVERYONE, request: { params: { id: '$published' } } },
  'GET /api/hot-topics': { allow: EVERYONE, request: { query: { region: '320100' } } },
  'POST /api/chat': { allow: EVERYONE, request: { body: { message: '增值税税率是多少' } } },
  'GET /api/chat/:sessionId': { allow: SESSION_HOLDER, request: { params: SESSION } },
  'GET /api/chat/:sessionId/events': { allow: SESSION_HOLDER, request: { params: SESSION, stream: true } },
  'POST /api/chat/:sessionId/rating': { allow: SESSION_HOLDER, request: { params: SESSION, body: { helpful: true } } },
  'POST /api/chat/:sessionId/handoff': { allow: SESSION_HOLDER, request: { params: SESSION, body: { consent: true } } },

  // Staff sessions.
  'POST /api/auth/login': {
    allow: EVERYONE,
    request: { body: { username: 'matrix-login', password: 'password-123' } },
  },
  'POST /api/auth/logout': { allow: EVERYONE },
  'GET /api/auth/me': { allow: ANY_STAFF },

  // Agent console.
  'GET /api/tickets': { allow: TICKET_WORKERS },
  'GET /api/tickets/seat-groups': { allow: TICKET_WORKERS },
  'GET /api/tickets/:id': ticket(),
  'GET /api/tickets/:id/recommendations': ticket(),
  'POST /api/tickets/:id/claim': ticket(),
  'POST /api/tickets/:id/reply': ticket({ text: '您好，已为您查询。' }),
  'POST /api/tickets/:id/difficulty': ticket({ difficulty: 'difficult' }),
  'POST /api/tickets/:id/transfer': ticket({ seatGroup: '320200-remote', note: '属无锡' }),
  'POST /api/tickets/:id/escalate': ticket({ note: '需省级中心答复' }),
  'POST /api/tickets/:id/extend': ticket({ days: 1, reason: '需核实' }),
  'POST /api/tickets/:id/close': ticket({}),
  'POST /api/tickets/:id/redirect': ticket({ regionCode: '320200', note: '请向无锡咨询' }),
  'POST /api/tickets/:id/reopen': ticket({ reason: '纳税人补充问题' }),
  'POST /api/tickets/:id/promote': ticket({}),
  'GET /api/agent/search': { allow: STAFF, request: { query: { q: '增值税' } } },

  // Editor console.
  'GET /api/editor/entries': { allow: STAFF },
  'POST /api/editor/entries': { allow: DRAFTERS, request: { body: NANJING_FAQ } },
  'GET /api/editor/entries/:id': draftEntry(STAFF),
  'PUT /api/editor/entries/:id': draftEntry(DRAFTERS, NANJING_FAQ),
  'POST /api/editor/entries/:id/submit': draftEntry(DRAFTERS, {}),
  'POST /api/editor/entries/:id/approve': draftEntry(REVIEWERS, {}),
  'POST /api/editor/entries/:id/reject': draftEntry(REVIEWERS, { comment: '请补充依据' }),
  'POST /api/editor/entries/:id/retire': draftEntry(REVIEWERS, {}),
  'POST /api/editor/entries/:id/rollback': draftEntry(REVIEWERS, { version: 1 }),
  'POST /api/editor/entries/:id/acknowledge': draftEntry(DRAFTERS, {}),
  'DELETE /api/editor/entries/:id/revision': draftEntry(DRAFTERS),
  'GET /api/editor/entries/:id/versions': draftEntry(STAFF),
  'GET /api/editor/entries/:id/diff': draftEntry(STAFF, undefined, { from: '1', to: '1' }),
  'GET /api/editor/review-queue': { allow: STAFF },
  'GET /api/editor/import-template': { allow: DRAFTERS, request: { query: { kind: 'faq', format: 'csv' } } },
  'GET /api/editor/needs-review': { allow: STAFF },
  'GET /api/editor/audit': { allow: STAFF },
  'GET /api/editor/worklists': { allow: DRAFTERS },
  'POST /api/editor/import': {
    allow: DRAFTERS,
    request: { body: { format: 'jsonl', content: '', dryRun: true } },
  },
  'GET /api/editor/export': { allow: STAFF, request: { query: { format: 'jsonl' } } },
  'GET /api/editor/lexicon': { allow: STAFF },
  // Global lexicon: national lexicon editors only (the matrix's editor and reviewer are regional).
  'PUT /api/editor/lexicon/:name': {
    allow: NATIONAL_LEXICON,
    request: { params: { name: 'stopwords.txt' }, body: { text: '$stopwords' } },
  },
  'POST /api/editor/hot-topics/pins': { allow: DRAFTERS, request: { body: { id: '$published', pinned: false } } },
  'GET /api/editor/hot-topics/blocks': { allow: DRAFTERS },
  'GET /api/editor/lexicon/proposals': { allow: NATIONAL_LEXICON },
  'POST /api/editor/lexicon/proposals/:id/approve': {
    allow: NATIONAL_LEXICON,
    request: { params: { id: '$lexiconProposal' } },
  },
  'GET /api/editor/lexicon/:name/versions': { allow: STAFF, request: { params: { name: 'stopwords.txt' } } },
  'POST /api/editor/lexicon/:name/revert': {
    allow: NATIONAL_LEXICON,
    request: { params: { name: 'stopwords.txt' }, body: { version: 1 } },
  },
  'POST /api/editor/hot-topics/blocks': {
    allow: DRAFTERS,
    request: { body: { question: '加微信领补贴', blocked: true } },
  },
  // 政策公告 (policy documents): intake drafts, JSONL import (dry run here), documents cited but missing.
  'POST /api/editor/policies/parse': { allow: DRAFTERS, request: { body: { format: 'text', content: '公告' } } },
  'POST /api/editor/policies': { allow: DRAFTERS, request: { body: { format: 'text', content: '公告' } } },
  'POST /api/editor/policies/import': { allow: DRAFTERS, request: { body: { content: '{}', dryRun: true } } },
  'GET /api/editor/policies/missing': { allow: STAFF },

  // Administration.
  'GET /api/admin/ledger': { allow: LEDGER_READERS },
  'GET /api/admin/tickets': { allow: LEDGER_READERS },
  'GET /api/admin/metrics': { allow: LEDGER_READERS },
  'GET /api/admin/calendar': { allow: ['admin'] },
  'PUT /api/admin/calendar': { allow: ['admin'], request: { body: { years: {} } } },
  // Operations dashboard (reports:read: managers and admins; no matrix caller is a manager).
  'GET /api/admin/dashboard': { allow: ['admin'] },
  'GET /admin': { allow: EVERYONE },
  'GET /admin/': { allow: EVERYONE },
  'GET /admin/admin.js': { allow: EVERYONE },
  'GET /admin/admin.css': { allow: EVERYONE },

  // 征纳互动 (feedback and surveys). Taxpayer routes are public; a bad token or code answers 400, not 401.
  'POST /api/feedback/ratings': { allow: EVERYONE, request: { body: { eventToken: 'x.y', level: 'satisfied' } } },
  'POST /api/feedback/events/overall': { allow: SESSION_HOLDER, request: { body: SESSION } },
  'POST /api/feedback/events/chat': { allow: SESSION_HOLDER, request: { body: SESSION } },
  // Hall staff only (booking:hall, or booking:manage); an unknown hall answers 404 to those allowed.
  'POST /api/feedback/events/hall-visit': {
    allow: XUANWU_STAFF,
    request: { body: { hallId: 'nj-xuanwu', appointmentId: '$checkedIn' } },
  },
  'POST /api/feedback/complaints': {
    allow: EVERYONE,
    request: { body: { category: '服务态度', regionCode: '320100', concerned: '某窗口', text: '态度不好' } },
  },
  'POST /api/feedback/suggestions': {
    allow: EVERYONE,
    request: { body: { category: '网上服务', regionCode: '320100', text: '希望增加夜间服务' } },
  },
  'POST /api/feedback/phone-codes': { allow: EVERYONE, request: { body: { phone: '1390000' } } },
  'POST /api/feedback/phone-codes/verify': {
    allow: EVERYONE,
    request: { body: { phone: '13900001111', code: '0000' } },
  },
  // Only the holder of a verified phone token may look a ticket up; no role grants it.
  'GET /api/feedback/tickets/:number': { allow: NOBODY, request: { params: { number: '12366-20261125-0001' } } },
  'GET /api/feedback/followups': { allow: TICKET_WORKERS },
  'POST /api/feedback/followups/:id/done': {
    allow: TICKET_WORKERS,
    request: { params: { id: '$followup' }, body: { note: '已回访' } },
  },
  'GET /api/admin/feedback/satisfaction': { allow: LEDGER_READERS, request: { query: { by: 'agent' } } },
  'POST /api/surveys/sessions': { allow: EVERYONE, request: { body: { regionCode: '320100' } } },
  'GET /feedback/': { allow: EVERYONE },
  'GET /feedback/admin.html': { allow: EVERYONE },
  'GET /feedback/page.css': { allow: EVERYONE },
  'GET /feedback/feedback.js': { allow: EVERYONE },
  'GET /feedback/admin.js': { allow: EVERYONE },
  'GET /api/surveys': { allow: EVERYONE, request: { query: { region: '320100' } } },
  'GET /api/surveys/:id': { allow: EVERYONE, request: { params: { id: '$survey' } } },
  'POST /api/surveys/:id/responses': {
    allow: SESSION_HOLDER,
    request: { params: { id: '$survey' }, body: { sessionId: '$session', answers: { q1: 4 } } },
  },
  'GET /api/admin/surveys': { allow: SURVEY_MANAGERS },
  'POST /api/admin/surveys': { allow: SURVEY_MANAGERS, request: { body: { ...MATRIX_SURVEY } } },
  'POST /api/admin/surveys/:id/publish': { allow: SURVEY_MANAGERS, request: { params: { id: '$survey' } } },
  'POST /api/admin/surveys/:id/close': { allow: SURVEY_MANAGERS, request: { params: { id: '$survey' } } },
  'GET /api/admin/surveys/:id/results': { allow: SURVEY_MANAGERS, request: { params: { id: '$survey' } } },
  'GET /api/admin/surveys/:id/export': {
    allow: SURVEY_MANAGERS,
    request: { params: { id: '$survey' }, query: { format: 'csv' } },
  },
  // 网上预约办税. Taxpayer routes are open (the phone code, not a role, proves the caller: a wrong code is a 400);
  // hall staff routes need booking:hall for their own hall (hallAdmin of 玄武; hallAdminOther, of another hall,
  // is denied) or booking:manage (admin). The queue push takes only a hall API key.
  ...bookingRows(),
}

function bookingRows(): Record<string, RouteAccess> {
  const hall = { hallId: 'nj-xuanwu' }
  const proof = { phone: '13900000001', code: '000000' }
  const apptId = { id: 'ap_xxxxxxxxxxxx' }
  const admin: readonly CallerName[] = ['admin']
  // Any hall administrator lists their own halls and reads their own halls' figures.
  const ALL_HALL_STAFF: readonly CallerName[] = ['admin', 'hallAdmin', 'hallAdminOther']
  return {
    'GET /booking': { allow: EVERYONE },
    'GET /booking/': { allow: EVERYONE },
    'GET /hall': { allow: EVERYONE },
    'GET /hall/': { allow: EVERYONE },
    'GET /booking/booking.css': { allow: EVERYONE },
    'GET /shared/base.css': { allow: EVERYONE },
    'GET /booking/booking.js': { allow: EVERYONE },
    'GET /booking/hall.js': { allow: EVERYONE },
    'GET /api/booking/halls': { allow: EVERYONE, request: { query: { region: '320100' } } },
    'GET /api/booking/business-types': { allow: EVERYONE },
    'GET /api/booking/halls/:hallId/slots': {
      allow: EVERYONE,
      request: { params: hall, query: { date: '2026-12-02' } },
    },
    'GET /api/booking/halls/:hallId/queue': { allow: EVERYONE, request: { params: hall } },
    'POST /api/booking/halls/:hallId/queue': { allow: NOBODY, request: { params: hall, body: { waiting: 1 } } },
    'POST /api/booking/verification-codes': { allow: EVERYONE, request: { body: { phone: '13900000000' } } },
    'POST /api/booking/appointments': {
      allow: EVERYONE,
      request: {
        body: {
          hallId: 'nj-xuanwu',
          slotStart: '2026-12-02T01:00:00.000Z',
          businessTypes: ['filing'],
          taxpayerId: '91320100MA0000001X',
          taxpayerName: '南京示例有限公司',
          ...proof,
        },
      },
    },
    'POST /api/booking/appointments/:id/cancel': { allow: EVERYONE, request: { params: apptId, body: proof } },
    'POST /api/booking/appointments/:id/reschedule/accept': {
      allow: EVERYONE,
      request: { params: apptId, body: proof },
    },
    'POST /api/booking/appointments/:id/reschedule/decline': {
      allow: EVERYONE,
      request: { params: apptId, body: proof },
    },
    'POST /api/booking/my-appointments': { allow: EVERYONE, request: { body: proof } },
    'GET /api/booking/staff/halls': { allow: ALL_HALL_STAFF },
    'GET /api/booking/halls/:hallId/appointments': { allow: XUANWU_STAFF, request: { params: hall } },
    // A malformed 预约号 / id answers 400 to an allowed caller; the guard runs before validation.
    'POST /api/booking/halls/:hallId/appointments/lookup': {
      allow: XUANWU_STAFF,
      request: { params: hall, body: { taxpayerName: 'x', number: 'bad' } },
    },
    'POST /api/booking/halls/:hallId/appointments/:id/check-in': {
      allow: XUANWU_STAFF,
      request: { params: { ...hall, id: 'bad' } },
    },
    'POST /api/booking/halls/:hallId/appointments/:id/reschedule': {
      allow: XUANWU_STAFF,
      request: { params: { ...hall, id: 'bad' }, body: { slotStart: '2026-12-03T01:00:00.000Z', reason: '系统故障' } },
    },
    'POST /api/booking/halls/:hallId/locks/status': {
      allow: XUANWU_STAFF,
      request: { params: hall, body: { taxpayerId: '91320100MA0000001X' } },
    },
    'POST /api/booking/halls/:hallId/unlock': {
      allow: XUANWU_STAFF,
      request: { params: hall, body: { taxpayerId: '91320100MA0000001X', idChecked: true, note: '现场核验身份证件' } },
    },
    'PUT /api/booking/halls/:hallId/capacity': { allow: XUANWU_STAFF, request: { params: hall, body: {} } },
    'POST /api/booking/halls/import': { allow: admin, request: { body: { csv: 'not,a,hall' } } },
    // Sets 玄武's administrators to the matrix's hall administrator again (an empty list would lock them out
    // of every hall row after this one).
    'PUT /api/booking/halls/:hallId/admins': {
      allow: admin,
      request: { params: hall, body: { userIds: ['matrix-hall-xuanwu'] } },
    },
    'POST /api/booking/halls/:hallId/api-key': { allow: admin, request: { params: hall } },
    'GET /api/booking/metrics': { allow: ALL_HALL_STAFF, request: { query: { from: '2026-12-01', to: '2026-12-07' } } },
  }
}
