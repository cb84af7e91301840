/** The Chinese texts the assistant says outside of grounded answers, in one place for editors to review. */
import type { GuardReason } from './message-guard.js'

export const REPLIES = {
  greeting:
    '您好！我是 12366 智能咨询助手，可以为您解答个人所得税、增值税、企业所得税、发票、申报缴税等涉税问题。请直接输入您的问题，例如「小规模纳税人增值税征收率是多少」。',
  outOfScope:
    '抱歉，我是税务咨询助手，只能回答涉税问题（如税费政策、申报缴纳、发票、办税流程等），无法回答与税务无关的问题。如有涉税问题，欢迎继续咨询。',
  illegalNamed: (practice: string) =>
    `抱歉，${practice}是违法行为，情节严重的还可能构成犯罪，我不能提供这方面的帮助。依法如实申报纳税是每个纳税人的义务；如需了解合法的办税方式或可以享受的税收优惠，欢迎继续咨询，也可以拨打 12366。`,
  illegal:
    '抱歉，我不能提供逃避缴纳税款、虚开或买卖发票、做假账等违法行为的帮助。依法诚信纳税是每个纳税人的义务；如您对纳税义务有疑问，欢迎咨询合法的办税和享受税收优惠的方式，也可以拨打 12366。',
  guard: {
    injection:
      '抱歉，我只能依据税收法律法规和官方口径回答涉税问题，无法执行更改规则或角色的指令。请直接描述您的涉税问题。',
    'prompt-extraction': '抱歉，我无法提供系统配置或内部设定。如有涉税问题，欢迎直接咨询。',
    abuse:
      '理解您可能遇到了不顺心的情况，请文明用语。如有涉税问题，欢迎继续咨询；如需投诉，请说明具体情况，我们会为您登记转交。',
    sensitive: '抱歉，该问题不属于纳税服务范围，我无法回答。如有涉税问题，欢迎继续咨询。',
  } satisfies Record<GuardReason, string>,
  lowConfidence: '不确定：知识库中没有找到能准确回答这个问题的依据（相关公告或地方口径可能未收录）。',
  lowConfidenceTail:
    '以上内容仅供参考。为避免误导，建议您点击「转人工」由 12366 工作人员解答，或拨打 12366 纳税服务热线。',
  uncertainRelevant:
    '不确定：知识库中与您的问题最相关的是下面这条规定，但我不能确定它完整、准确地回答了您的问题（适用条件、现行公告或地方口径可能需要人工确认）：',
  uncertainPeriod: (years: string, statute = true) =>
    `不确定：知识库中没有找到${years ? `${years}年` : '当前'}适用的最新文件（相关公告可能未收录），无法确认现在的规定。${statute ? '法律法规条文的规定如下' : '知识库中已收录的相关内容如下'}，仅供参考：`,
  uncertainTail: '为避免误导，请以 12366 工作人员的答复为准：点击「转人工」，或拨打 12366 纳税服务热线。',
  nothingFound:
    '不确定：知识库中没有找到与您的问题相关的规定。建议您换一种说法描述问题，或点击「转人工」由 12366 工作人员为您解答。',
  redirect: (name: string) =>
    `您咨询的是${name}的地方性规定或办税服务安排。按照 12366 服务规则，各地的具体政策以当地税务机关的口径为准，请联系当地 12366（拨打 12366 或登录当地电子税务局），也可以通过国家税务总局${name}税务局网站查询。`,
  redirectNational: '以下全国统一的规定供您参考：',
  retired: (oldName: string, until: string, byLaw: string, clause: string) =>
    `提示：${oldName}已于 ${until} 起废止，由${byLaw}取代${clause ? `（见${clause}）` : ''}，以下按现行规定回答。`,
  retiredNoReplacement: (oldName: string, until: string) =>
    `提示：与您的问题最相关的${oldName}已于 ${until} 起废止，不再适用。`,
  howToReport:
    '您可以直接在这里说明要检举的对象（单位或个人的名称、地址）和涉税违法事实，我会为您登记举报工单并在 1 个工作日内转交税务机关处理；您的身份和联系方式将严格保密。也可以拨打 12366 纳税服务热线，或向当地税务机关检举。符合条件的检举，可依照《税收征收管理法》第十三条等规定获得奖励。',
  howToComplain:
    '您可以直接在这里说明要投诉的事项（办税服务厅或工作人员、时间、经过），我会为您登记投诉工单并在 1 个工作日内转交处理；您的身份和联系方式将严格保密。也可以拨打 12366 纳税服务热线投诉。',
  booking: (place: string, link: string) =>
    `您可以通过网上预约办税页面预约${place}办税服务厅的办理时间：${link} 。可预约7天内的时段，当天预约须在时段开始前至少3小时；取消须在时段开始前至少3小时；累计3次预约未到的，90天内不能在全省办税服务厅预约。`,
  localStandard:
    '各地具体适用的税额（税率）由省、自治区、直辖市人民政府在法律规定的幅度内确定，知识库暂未收录本地的具体标准，下面的法定幅度不是您所在地的适用标准。',
  timeSensitive: (years: string) =>
    `知识库中没有找到${years ? `${years}年` : '当前'}适用的最新文件（相关公告可能未收录），以下是法律法规条文的规定：`,
}

export interface HandoffNotice {
  type: 'consult' | 'complaint' | 'report' | 'suggestion' | 'callback'
  number: string
  dueLabel: string
  humansAvailableNow: boolean
}

const TYPE_LABEL: Record<HandoffNotice['type'], string> = {
  consult: '咨询',
  complaint: '投诉',
  report: '举报',
  suggestion: '意见建议',
  callback: '回电',
}

/** What the taxpayer reads after a ticket is created (人机结合: humans work on working days only). */
export function handoffNotice(t: HandoffNotice, askedForContact: boolean): string {
  const parts = [`已为您转人工，登记${TYPE_LABEL[t.type]}工单 ${t.number}，工作人员将在 ${t.dueLabel} 前处理并答复。`]
  if (t.type === 'report' || t.type === 'complaint')
    parts.push('您的身份和联系方式将严格保密，仅用于核实和反馈处理结果。')
  if (t.type === 'report')
    parts.push(
      '检举涉税违法行为请尽量提供被检举人的名称、地址和违法事实线索；符合条件的，可依照《税收征收管理法》第十三条等规定获得奖励。',
    )
  if (!t.humansAvailableNow)
    parts.push(
      '现在是非工作时间，人工坐席工作日 9:00–17:30 在岗，工单将在上班后优先处理；智能助手 7×24 小时可继续为您解答。',
    )
  if (askedForContact) parts.push('如需工作人员回电，请点击「转人工」并留下联系电话。')
  return parts.join('')
}

/**
 * A typed request for a human (转人工, 回电话…) gets the same consent step as the 转人工 button: no ticket
 * (and no conversation passed to staff) until the taxpayer agrees through POST /api/chat/:id/handoff.
 */
export const HANDOFF_CONSENT_REQUEST =
  '可以为您转人工坐席。转人工前需要您同意将本次对话记录（及您自愿留下的联系电话）提供给税务机关人工坐席，' +
  '仅用于答复本次咨询。请点击下方「转人工」按钮确认。'
