/**
 * Live queue status per hall (collection `queue_status`): the hall's queue-calling system pushes its waiting
 * counts; taxpayers read how many wait and an estimated wait. A feed older than the stale limit is returned
 * with `stale: true` and a sentence saying so, never as if it were current. Daily sums of the waits feed the
 * "average wait" metric.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { chinaDateOf, formatChinaDeadline } from '../shared/working-day-calendar.js'
import type { Hall } from './hall.js'

export const DEFAULT_SERVICE_MINUTES = 10

export interface QueuePush {
  waiting: number
  /** Business type code → people waiting for it. */
  byBusiness?: Record<string, number>
  windowsOpen?: number
  /** Average minutes one service takes now (default 10). */
  averageServiceMinutes?: number
  /** Measured average wait of the people called recently, if the queue system knows it. */
  averageWaitMinutes?: number
  /** When the queue system took the reading (default: when received). */
  reportedAt?: string
}

interface QueueDoc {
  id: string
  waiting: number
  byBusiness: Record<string, number>
  windowsOpen: number
  averageServiceMinutes: number
  estimatedWaitMinutes: number
  reportedAt: string
  receivedAt: string
  /** China date → samples and summed wait minutes (for the metrics). */
  daily: Record<string, { samples: number; waitMinutes: number }>
}

export interface QueueView {
  hallId: string
  available: boolean
  waiting: number | null
  byBusiness: Record<string, number>
  windowsOpen: number | null
  estimatedWaitMinutes: number | null
  reportedAt: string | null
  stale: boolean
  message: string
}

/** Pure: people ahead × minutes per service ÷ open windows, rounded up. */
export function estimateWait(waiting: number, windowsOpen: number, serviceMinutes: number): number {
  return Math.ceil((waiting * serviceMinutes) / Math.max(1, windowsOpen))
}

export class QueueBoard {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly staleSeconds: number,
  ) {}

  private get docs() {
    return this.store.collection<QueueDoc>('queue_status')
  }

  async push(hall: Hall, p: QueuePush): Promise<QueueView> {
    const now = this.clock.now()
    const reported = p.reportedAt && Date.parse(p.reportedAt) <= now.getTime() ? new Date(p.reportedAt) : now
    const windowsOpen = p.windowsOpen ?? hall.windows
    const service = p.averageServiceMinutes ?? DEFAULT_SERVICE_MINUTES
    const estimate = estimateWait(p.waiting, windowsOpen, service)
    const day = chinaDateOf(now)
    const wait = p.averageWaitMinutes ?? estimate
    const next = (daily: QueueDoc['daily']): QueueDoc => {
      const today = daily[day] ?? { samples: 0, waitMinutes: 0 }
      return {
        id: hall.id,
        waiting: p.waiting,
        byBusiness: p.byBusiness ?? {},
        windowsOpen,
        averageServiceMinutes: service,
        estimatedWaitMinutes: estimate,
        reportedAt: reported.toISOString(),
        receivedAt: now.toISOString(),
        daily: { ...daily, [day]: { samples: today.samples + 1, waitMinutes: today.waitMinutes + wait } },
      }
    }
    await this.docs.update(hall.id, (d) => next(d.daily), { createIfMissing: next({}) })
    return this.view(hall.id)
  }

  async view(hallId: string): Promise<QueueView> {
    const d = await this.docs.get(hallId)
    if (!d) {
      return {
        hallId,
        available: false,
        waiting: null,
        byBusiness: {},
        windowsOpen: null,
        estimatedWaitMinutes: null,
        reportedAt: null,
        stale: true,
        message: '该办税服务厅暂未接入排队信息',
      }
    }
    const age = this.clock.now().getTime() - Date.parse(d.reportedAt)
    const stale = age > this.staleSeconds * 1000
    const when = formatChinaDeadline(new Date(d.reportedAt))
    const message = stale
      ? `排队信息更新于${when}，已超过${Math.round(this.staleSeconds / 60)}分钟未更新，仅供参考`
      : `当前等候${d.waiting}人，预计等候约${d.estimatedWaitMinutes}分钟（更新于${when}）`
    return {
      hallId,
      available: true,
      waiting: d.waiting,
      byBusiness: d.byBusiness,
      windowsOpen: d.windowsOpen,
      estimatedWaitMinutes: d.estimatedWaitMinutes,
      reportedAt: d.reportedAt,
      stale,
      message,
    }
  }

  async dailyWaits(): Promise<Map<string, QueueDoc['daily']>> {
    return new Map((await this.docs.list()).map((d) => [d.id, d.daily]))
  }
}
