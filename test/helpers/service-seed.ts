/**
 * Bookings, surveys, 征纳互动 ratings and follow-ups for the dashboard's service figures on the seeded
 * week (Mon 2026-11-02 … Fri 11-06, China time), written through the Store. Hand counts are in
 * test/integration/dashboard-services.test.ts. Use with TAXKB_BOOKING_HALLS_FILE empty (no sample halls).
 */
import type { Container } from '../../services/container.js'
import type { Appointment, AppointmentStatus } from '../../services/booking/appointment.js'
import type { Hall } from '../../services/booking/hall.js'
import type { FollowUp, StoredRating } from '../../services/feedback/feedback-service.js'
import type { RatingLevel } from '../../services/feedback/rating-levels.js'
import type { Survey } from '../../services/feedback/survey-service.js'
import { cn } from './dashboard-seed.js'

function hall(
  id: string,
  name: string,
  regionCode: string,
  end: string,
  capacityPerSlot: number,
  blackout: string[],
): Hall {
  return {
    id,
    name,
    regionCode,
    address: '【测试】',
    phone: '000',
    periods: [{ start: '09:00', end }],
    windows: 1,
    slotMinutes: 60,
    capacityPerSlot,
    capacityByBusiness: {},
    blackoutDays: blackout,
    adminUserIds: [],
    apiKeyHash: null,
    sample: false,
  }
}

function appointment(id: string, hallId: string, date: string, status: AppointmentStatus): Appointment {
  return {
    id,
    number: id,
    hallId,
    hallName: hallId,
    businessTypes: [],
    taxpayerName: '测试',
    taxpayerKey: `k-${id}`,
    taxpayerIdMasked: '3201**********0000',
    phoneKey: `p-${id}`,
    phoneSealed: '',
    phoneMasked: '139****0000',
    status,
    claims: [],
    proposal: null,
    provisional: false,
    createdAt: cn(`${date}T08:00`),
    checkedInAt: null,
    cancelledAt: null,
    noShowAt: null,
    events: [],
    slotStart: cn(`${date}T09:00`),
    slotEnd: cn(`${date}T10:00`),
    date,
    label: '09:00–10:00',
  }
}

function survey(id: string, title: string, regionCode: string | null, state: Survey['state']): Survey {
  return {
    id,
    title,
    description: '',
    regionCode,
    mode: 'anonymous',
    opensAt: cn('2026-10-01T00:00'),
    closesAt: cn('2026-12-31T00:00'),
    state,
    questions: [],
    createdBy: 'admin',
    createdAt: cn('2026-10-01T00:00'),
    publishedAt: cn('2026-10-01T00:00'),
  } as Survey
}

const SCORES: Record<RatingLevel, number> = {
  'very-satisfied': 5,
  satisfied: 4,
  neutral: 3,
  dissatisfied: 2,
  'very-dissatisfied': 1,
}
function rated(id: string, regionCode: string, channel: string, level: RatingLevel, at: string): StoredRating {
  return {
    id,
    kind: 'rating',
    eventType: channel === 'hall' ? 'hall-visit' : 'chat-answer',
    level,
    score: SCORES[level],
    reason: SCORES[level] <= 2 ? '没解决' : null,
    at: cn(at),
    channel,
    regionCode,
    seatGroup: null,
    agentId: null,
    hallId: null,
    entryIds: [],
  } as StoredRating
}

function followUp(id: string, regionCode: string, created: string, due: string, done: string | null): FollowUp {
  return {
    id,
    ratingId: `r-${id}`,
    eventType: 'chat-answer',
    level: 'dissatisfied',
    levelLabel: '不满意',
    reason: '没解决',
    regionCode,
    seatGroup: `${regionCode}-remote`,
    agentId: null,
    hallId: null,
    createdAt: cn(created),
    dueAt: cn(due),
    dueLabel: due,
    state: done ? 'done' : 'open',
    doneAt: done ? cn(done) : null,
    doneBy: done ? 'js1' : null,
    note: done ? '已回访' : null,
  } as FollowUp
}

export async function seedServiceWeek(ctx: Container): Promise<void> {
  const s = ctx.store
  await s.collection<Hall>('halls').putMany([
    // 3 seats a working day, closed on Wed 11-04: 4 × 3 × 2 = 24 seats in the week.
    hall('h-nj', '南京测试办税服务厅', '320100', '12:00', 2, ['2026-11-04']),
    hall('h-wx', '无锡测试办税服务厅', '320200', '11:00', 1, []), // 2 seats × 5 days = 10
    hall('h-bj', '北京测试办税服务厅', '110000', '10:00', 1, []), // outside 江苏
  ])
  await s.collection<Appointment>('appointments').putMany([
    appointment('a1', 'h-nj', '2026-11-02', 'checked-in'),
    appointment('a2', 'h-nj', '2026-11-02', 'no-show'),
    appointment('a3', 'h-nj', '2026-11-03', 'checked-in'),
    appointment('a4', 'h-nj', '2026-11-03', 'cancelled'),
    appointment('a5', 'h-nj', '2026-11-05', 'no-show'),
    appointment('a6', 'h-nj', '2026-11-10', 'booked'), // after the week
    appointment('a7', 'h-wx', '2026-11-06', 'checked-in'),
    appointment('a8', 'h-wx', '2026-11-06', 'cancelled'),
    appointment('a9', 'h-bj', '2026-11-02', 'no-show'),
  ])
  await s
    .collection<Survey>('surveys')
    .putMany([
      survey('sv-js', '江苏纳税人满意度调查', '320000', 'published'),
      survey('sv-nj', '南京办税体验调查', '320100', 'closed'),
      survey('sv-cn', '全国纳税服务调查', null, 'published'),
      survey('sv-draft', '南京草稿问卷', '320100', 'draft'),
    ])
  const response = (id: string, surveyId: string, day: string) => ({ id, surveyId, day, answers: {} })
  await s
    .collection('survey_responses')
    .putMany([
      response('sr1', 'sv-js', '2026-11-02'),
      response('sr2', 'sv-js', '2026-11-03'),
      response('sr3', 'sv-js', '2026-11-06'),
      response('sr4', 'sv-js', '2026-11-09'),
      response('sr5', 'sv-nj', '2026-11-04'),
      response('sr6', 'sv-nj', '2026-11-05'),
      ...[1, 2, 3, 4, 5].map((i) => response(`sr-cn${i}`, 'sv-cn', '2026-11-03')),
      response('sr-draft', 'sv-draft', '2026-11-03'),
    ])
  await s.collection<StoredRating>('feedback').putMany([
    rated('fr1', '320100', 'web', 'very-satisfied', '2026-11-02T10:00'),
    rated('fr2', '320100', 'web', 'dissatisfied', '2026-11-03T10:00'),
    rated('fr3', '320100', 'hall', 'neutral', '2026-11-04T10:00'),
    rated('fr4', '320200', 'wechat', 'very-dissatisfied', '2026-11-05T10:00'),
    rated('fr5', '110000', 'web', 'satisfied', '2026-11-05T11:00'),
    rated('fr6', '320100', 'web', 'satisfied', '2026-11-12T10:00'), // after the week
  ])
  await s.collection<FollowUp>('followups').putMany([
    followUp('f1', '320100', '2026-11-02T10:00', '2026-11-04T17:30', '2026-11-03T15:00'),
    followUp('f2', '320100', '2026-11-04T10:00', '2026-11-06T17:30', null), // overdue on 11-09
    followUp('f3', '320200', '2026-11-05T10:00', '2026-11-12T17:30', null),
    followUp('f4', '320100', '2026-10-28T10:00', '2026-10-30T17:30', '2026-11-02T09:30'), // done in the week
    followUp('f5', '110000', '2026-11-03T10:00', '2026-11-05T17:30', null),
  ])
}
