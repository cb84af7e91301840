/**
 * Loads, for one viewer's scope and range, the records behind the service figures (service-figures.ts)
 * through indexed queries: halls of the scope and their appointments by day, surveys of the scope and
 * their responses counted by (survey, day), 征纳互动 ratings by (kind, time), follow-ups by creation,
 * completion and open state. A hall, survey, rating or follow-up belongs to its region; national surveys
 * and records without a region show in the national view only.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Appointment } from '../booking/appointment.js'
import type { Hall } from '../booking/hall.js'
import { slotsForDay } from '../booking/slot-rules.js'
import type { FollowUp, StoredRating } from '../feedback/feedback-service.js'
import type { Survey } from '../feedback/survey-service.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import { computeServiceFigures, type ServiceFigures } from './service-figures.js'

export class ServiceFiguresSource {
  constructor(
    private readonly store: Store,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  async figures(
    scope: readonly string[] | null,
    range: { from: string; to: string },
    days: readonly string[],
    now: Date,
  ): Promise<ServiceFigures> {
    const where = scope === null ? {} : { regionCode: [...scope] }
    const first = days[0] ?? ''
    const last = days.at(-1) ?? ''
    const between = (field: string) => ({ range: { field, gte: range.from, lt: range.to } })
    const followups = this.store.collection<FollowUp>('followups')
    const [halls, surveys, ratings, created, done, open] = await Promise.all([
      this.store.collection<Hall>('halls').list({ where }),
      this.store.collection<Survey>('surveys').list({ where: { ...where, state: ['published', 'closed'] } }),
      this.store.collection<StoredRating>('feedback').list({ where: { ...where, kind: 'rating' }, ...between('at') }),
      followups.list({ where, ...between('createdAt') }),
      followups.list({ where: { ...where, state: 'done' }, ...between('doneAt') }),
      followups.list({ where: { ...where, state: 'open' } }),
    ])
    const appointments =
      halls.length === 0
        ? []
        : await this.store.collection<Appointment>('appointments').list({
            where: { hallId: halls.map((h) => h.id) },
            range: { field: 'date', gte: first, lt: `${last}~` },
          })
    const responses = await Promise.all(
      surveys.map((s) =>
        this.store
          .collection('survey_responses')
          .count({ where: { surveyId: s.id }, range: { field: 'day', gte: first, lt: `${last}~` } }),
      ),
    )
    const byId = new Map([...created, ...done].map((f) => [f.id, f]))
    return computeServiceFigures({
      days,
      halls: halls.map((h) => ({
        hallId: h.id,
        hallName: h.name,
        regionCode: h.regionCode,
        offeredByDay: Object.fromEntries(
          days.map((d) => [d, slotsForDay(h, d, this.calendar).length * h.capacityPerSlot]),
        ),
      })),
      appointments,
      surveys: surveys.map((s, i) => ({
        surveyId: s.id,
        title: s.title,
        regionCode: s.regionCode,
        responses: responses[i] ?? 0,
      })),
      ratings,
      followUps: [...byId.values()],
      openFollowUps: open,
      range,
      now,
    })
  }
}
