/**
 * Every dashboard figure as a plain table (Chinese column headings): the /admin page shows it as the
 * chart's table view (accessibility) and GET /api/admin/dashboard?format=csv&figure=… exports it through
 * the shared formula-safe CSV writer. One place, so the table view and the CSV never disagree.
 */
import type { Dashboard } from './dashboard-report.js'
import type { ServiceFigures } from './service-figures.js'
import type { FigureKey } from './dashboard-definitions.js'

export type Cell = string | number | null
export interface Table {
  columns: string[]
  rows: Cell[][]
}

const pct = (r: number | null): Cell => (r === null ? null : Math.round(r * 1000) / 10)

export function dashboardTables(d: Dashboard & ServiceFigures): Record<FigureKey, Table> {
  const channelCols = d.channels
  return {
    volume: {
      columns: ['日期', '工作日', '咨询量', ...channelCols],
      rows: d.days.map((x) => [
        x.day,
        x.workingDay ? '是' : '否',
        x.volume,
        ...channelCols.map((c) => x.byChannel[c] ?? 0),
      ]),
    },
    volumeByHour: {
      columns: ['小时', '咨询量', ...channelCols],
      rows: d.hours.map((x) => [`${x.hour}时`, x.volume, ...channelCols.map((c) => x.byChannel[c] ?? 0)]),
    },
    volumeByIntent: { columns: ['意图', '咨询量'], rows: d.intents.map((x) => [x.label, x.count]) },
    automationRate: {
      columns: ['日期', '咨询量', '智能应答', '智能应答占比（%）'],
      rows: d.days.map((x) => [x.day, x.volume, x.autoAnswered, pct(x.automationRate)]),
    },
    handoffReasons: { columns: ['原因', '转人工量'], rows: d.handoffReasons.map((x) => [x.label, x.count]) },
    ratingDistribution: {
      columns: ['满意度', '评价数'],
      rows: d.ratings.distribution.map((x) => [`${x.key} 分 ${x.label}`, x.count]),
    },
    dissatisfiedReasons: {
      columns: ['原因', '评价数'],
      rows: d.ratings.dissatisfiedReasons.map((x) => [x.label, x.count]),
    },
    onTimeRate: {
      columns: ['类型', '时限（工作日）', '结果已知', '按期', '按期办理率（%）'],
      rows: d.tickets.onTime.map((x) => [x.label, x.limitDays, x.outcomeKnown, x.onTime, pct(x.rate)]),
    },
    overdue: {
      columns: ['工单号', '类型', '座席组', '地区', '答复期限', '处理人', '问题（已脱敏）'],
      rows: d.tickets.overdue.map((x) => [
        x.number,
        x.typeLabel,
        x.seatGroup,
        x.regionCode,
        x.dueAt,
        x.assignee,
        x.question,
      ]),
    },
    extensions: {
      columns: ['工单号', '延期（工作日）', '原因', '延期时间', '通知数'],
      rows: d.tickets.extensions.map((x) => [x.number, x.days, x.reason, x.at, x.notices]),
    },
    seatGroups: {
      columns: ['座席组', '新建', '已答复', '未办结', '超期'],
      rows: d.seatGroups.map((x) => [x.seatGroup, x.created, x.answered, x.open, x.overdue]),
    },
    agents: {
      columns: ['座席', '已答复', '平均处理时长（工作小时）'],
      rows: d.agents.map((x) => [x.agent, x.answered, x.avgHandlingWorkingHours]),
    },
    unansweredTopics: { columns: ['主题', '次数'], rows: d.knowledge.unansweredTopics.map((x) => [x.topic, x.count]) },
    mostCited: { columns: ['条目', '引用次数'], rows: d.knowledge.mostCited.map((x) => [x.key, x.count]) },
    badlyCited: { columns: ['条目', '差评次数'], rows: d.knowledge.badlyCited.map((x) => [x.key, x.count]) },
    bookingHalls: {
      columns: ['办税服务厅', '地区', '号源', '已预约', '利用率（%）', '已签到', '爽约', '爽约率（%）', '取消'],
      rows: d.bookings.halls.map((h) => [
        h.hallName,
        h.regionCode,
        h.offeredSeats,
        h.booked,
        pct(h.utilisation),
        h.checkedIn,
        h.noShows,
        pct(h.noShowRate),
        h.cancellations,
      ]),
    },
    bookingDays: {
      columns: ['日期', '号源', '已预约', '利用率（%）', '爽约', '取消'],
      rows: d.bookings.days.map((x) => [
        x.day,
        x.offeredSeats,
        x.booked,
        pct(x.utilisation),
        x.noShows,
        x.cancellations,
      ]),
    },
    surveyResponses: {
      columns: ['问卷', '地区', '答卷数'],
      rows: d.surveys.map((x) => [x.title, x.regionCode ?? '全国', x.responses]),
    },
    serviceSatisfaction: {
      columns: ['渠道', '评价数', '满意', '满意率（%）', '平均分'],
      rows: d.satisfaction.map((x) => [x.channel, x.count, x.satisfied, pct(x.satisfiedRate), x.meanScore]),
    },
    followUps: {
      columns: ['日期', '新建回访', '完成回访'],
      rows: d.followUps.days.map((x) => [x.day, x.opened, x.closed]),
    },
  }
}
