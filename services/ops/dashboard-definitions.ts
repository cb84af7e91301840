/**
 * The definitions of every figure on the operations dashboard, written once: dashboard-report.ts computes
 * exactly this, the /admin page shows `definition` as each chart's tooltip, and the README table lists the
 * same text (test/unit/dashboard-definitions.test.ts keeps the README in step).
 */
export const FIGURES = {
  volume: {
    label: '咨询量',
    definition: '区间内的咨询轮次（台账记录），加上没有台账记录的工单（如电话、窗口转入）；按中国时间统计',
  },
  volumeByHour: {
    label: '分时咨询量',
    definition: '按中国时间的小时（0–23 时）汇总区间内的咨询量，按渠道分列',
  },
  volumeByIntent: {
    label: '咨询意图分布',
    definition: '区间内咨询量按意图（咨询、投诉、举报、建议等）汇总',
  },
  automationRate: {
    label: '智能应答占比（话务分流量）',
    definition: '由智能应答处理（未转人工、未建工单）的咨询量 ÷ 咨询量',
  },
  handoffReasons: {
    label: '转人工原因',
    definition:
      '转人工的咨询按原因汇总：投诉、举报、建议按类型；其余咨询置信度低于阈值为“低置信度”，否则为“纳税人要求转人工”',
  },
  ratingDistribution: {
    label: '满意度分布',
    definition: '区间内带满意度（1–5 分）的评价按分值汇总；满意率 = 4–5 分 ÷ 有满意度的评价',
  },
  dissatisfiedReasons: {
    label: '不满意原因',
    definition: '1–2 分（不满意、非常不满意）评价填写的原因，按原因汇总',
  },
  onTimeRate: {
    label: '按期办理率',
    definition:
      '区间内创建、结果已知（已办理，或未办理且已超期）的工单中，在期限内办理的比例；一般咨询 1 个、疑难咨询 3 个工作日内答复，' +
      '投诉、举报、建议 1 个工作日内转交（以答复或转派时间计），延期工单按延期后的期限',
  },
  overdue: {
    label: '超期工单',
    definition: '当前未答复、未办结且已过答复期限的工单（不限创建日期），按期限先后排列；举报、投诉不显示问题内容',
  },
  extensions: {
    label: '延期工单',
    definition: '区间内创建并办理过延期的工单，含延期天数、原因和已发出的通知数',
  },
  seatGroups: {
    label: '座席组工作量',
    definition: '区间内创建的工单按座席组汇总：新建、已答复、未办结、超期',
  },
  agents: {
    label: '座席工作量与平均处理时长',
    definition:
      '区间内创建并已答复的工单按答复人汇总；平均处理时长 = 创建到答复之间的工作时间（小时，按工作日历）的平均值',
  },
  unansweredTopics: {
    label: '未解答与低置信度主题',
    definition: '转人工或置信度低于阈值的咨询，按主题汇总（无主题记为“未分类”），前 10 位',
  },
  mostCited: {
    label: '引用最多的条目',
    definition: '区间内智能应答引用的条目按引用次数汇总，前 10 位',
  },
  badlyCited: {
    label: '引用后被差评的条目',
    definition: '评价为 1–2 分的回答所引用的条目，按差评次数汇总；评价对应同一会话中评价时间之前最近的一次回答',
  },
  bookingHalls: {
    label: '预约办税：各办税服务厅',
    definition:
      '区间内本辖区各办税服务厅的号源（开放时段数 × 每时段容量，按工作日历和停止预约日）、已预约（不含取消）、' +
      '利用率 = 已预约 ÷ 号源、爽约率 = 爽约 ÷（爽约 + 已签到）和取消数；按预约日期（中国时间）统计',
  },
  bookingDays: {
    label: '预约办税：每日利用率',
    definition: '本辖区全部办税服务厅每天的号源、已预约（不含取消）、利用率 = 已预约 ÷ 号源、爽约数和取消数',
  },
  surveyResponses: {
    label: '网上调查答卷数',
    definition:
      '已发布或已结束的在线问卷在区间内（按答卷的中国日期）收到的答卷数；问卷按发布地区归入辖区，全国问卷只在全国视图显示',
  },
  serviceSatisfaction: {
    label: '征纳互动满意度',
    definition:
      '区间内纳税人对咨询、工单答复和办税服务厅的五级评价，按渠道汇总；满意率 = （非常满意 + 满意 + 基本满意）÷ 全部评价，' +
      '平均分按非常满意 5 分至非常不满意 1 分',
  },
  followUps: {
    label: '回访任务',
    definition:
      '“不满意”“非常不满意”评价自动生成的回访任务：区间内新建数、区间内完成数（按完成时间），以及当前未完成数和其中已过回访期限的数量',
  },
} as const

export type FigureKey = keyof typeof FIGURES
