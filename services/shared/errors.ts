/**
 * One error class with a code table (Orama-style). Each code has a stable HTTP status, a Chinese message
 * shown to users and an English message for developers. Low-confidence answers and handoffs are normal
 * results, never errors.
 */
export const ERROR_TABLE = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数不正确', en: 'Request validation failed' },
  QUERY_EMPTY: { status: 400, zh: '请输入要查询的内容', en: 'Query is empty' },
  QUERY_TOO_LONG: { status: 400, zh: '输入内容过长，请精简后再试', en: 'Query exceeds the maximum length' },
  MESSAGE_EMPTY: { status: 400, zh: '请输入您要咨询的问题', en: 'Message is empty' },
  MESSAGE_TOO_LONG: { status: 400, zh: '消息过长，请精简后再试', en: 'Message exceeds the maximum length' },
  UNKNOWN_REGION: { status: 400, zh: '地区代码无效', en: 'Unknown GB/T 2260 region code' },
  UNKNOWN_KIND: { status: 400, zh: '知识类型无效', en: 'Unknown entry kind' },
  INVALID_ENTRY: { status: 400, zh: '知识条目内容不完整或格式错误', en: 'Entry failed schema validation' },
  INVALID_FILE: { status: 400, zh: '导入文件格式错误', en: 'Import file is malformed' },
  BODY_TOO_LARGE: { status: 413, zh: '请求内容过大', en: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型', en: 'Unsupported content type' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Authentication required' },
  INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Invalid credentials' },
  ACCOUNT_LOCKED: { status: 423, zh: '登录失败次数过多，请稍后再试', en: 'Account temporarily locked' },
  FORBIDDEN: { status: 403, zh: '没有权限执行此操作', en: 'Forbidden for this role or region' },
  CSRF_FAILED: { status: 403, zh: '页面已过期，请刷新后重试', en: 'CSRF token missing or invalid' },
  NOT_FOUND: { status: 404, zh: '未找到相关内容', en: 'Resource not found' },
  ENTRY_NOT_FOUND: { status: 404, zh: '未找到该知识条目', en: 'Entry not found' },
  SESSION_NOT_FOUND: { status: 404, zh: '会话不存在或已过期', en: 'Chat session not found' },
  TICKET_NOT_FOUND: { status: 404, zh: '工单不存在', en: 'Ticket not found' },
  USER_EXISTS: { status: 409, zh: '用户已存在', en: 'User already exists' },
  CONFLICT: { status: 409, zh: '数据已被他人修改，请刷新后重试', en: 'Concurrent modification conflict' },
  INVALID_TRANSITION: { status: 409, zh: '当前状态不允许此操作', en: 'Illegal state transition' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests' },
  BUSY: { status: 503, zh: '当前咨询人数较多，请稍后再试', en: 'Chat turn queue is full' },
  NOT_READY: { status: 503, zh: '服务正在启动，请稍后再试', en: 'Service not ready' },
  BACKEND_UNAVAILABLE: { status: 503, zh: '服务暂时不可用，请稍后再试', en: 'Search or store backend unavailable' },
  INTERNAL: { status: 500, zh: '系统繁忙，请稍后再试', en: 'Internal error' },
  DATA_DIR_LOCKED: {
    status: 409,
    zh: '知识库文件正由另一个 taxkb 进程维护，本进程只读；请在持有锁的进程中操作，或先停止它',
    en: 'Knowledge files are locked by another taxkb process',
  },
  // 征纳互动 (feedback and surveys)
  ALREADY_RATED: { status: 409, zh: '该服务已评价过，感谢您的反馈', en: 'This service event was already rated' },
  SURVEY_NOT_FOUND: { status: 404, zh: '问卷不存在或未发布', en: 'Survey not found' },
  SURVEY_NOT_OPEN: { status: 409, zh: '问卷未开放或已结束', en: 'Survey is not open' },
  SURVEY_LOGIC_INVALID: {
    status: 400,
    zh: '问卷题目或显示条件设置有误',
    en: 'Survey definition or show-if logic is invalid',
  },
  ALREADY_RESPONDED: { status: 409, zh: '您已提交过本问卷，感谢参与', en: 'This session already answered the survey' },
  // 网上预约办税 (booking)
  HALL_NOT_FOUND: { status: 404, zh: '未找到该办税服务厅', en: 'Hall not found' },
  APPOINTMENT_NOT_FOUND: { status: 404, zh: '未找到该预约', en: 'Appointment not found' },
  SLOT_NOT_OFFERED: {
    status: 400,
    zh: '该办税服务厅在所选时间没有可预约的时段',
    en: 'The hall offers no slot starting then',
  },
  SLOT_IN_PAST: { status: 422, zh: '该时段已开始或已过去，请选择其他时段', en: 'Slot has started' },
  BOOKING_TOO_FAR: { status: 422, zh: '最多可预约7天内的时段', en: 'Slot is beyond the one-week booking window' },
  SAME_DAY_TOO_LATE: {
    status: 422,
    zh: '当天预约须在时段开始前至少3小时办理',
    en: 'Same-day slot starts in less than 3 hours',
  },
  CANCEL_TOO_LATE: {
    status: 409,
    zh: '须在预约时段开始前至少3小时取消',
    en: 'Cancel cutoff (3 hours before the slot) has passed',
  },
  PERSON_LOCKED: { status: 423, zh: '因多次预约未到，暂不能预约', en: 'Taxpayer or phone locked after three no-shows' },
  SLOT_FULL: { status: 409, zh: '该时段已约满，请选择其他时段', en: 'No seat left in this slot' },
  BUSINESS_FULL: {
    status: 409,
    zh: '该时段此项业务已约满，请选择其他时段',
    en: 'No capacity left for this business type in this slot',
  },
  TAXPAYER_SLOT_TAKEN: {
    status: 409,
    zh: '该纳税人在此时段已有预约',
    en: 'Taxpayer already holds a booking for this slot',
  },
  CODE_INVALID: { status: 400, zh: '验证码不正确', en: 'Verification code does not match' },
  CODE_EXPIRED: { status: 400, zh: '验证码已失效，请重新获取', en: 'Verification code expired or used up' },
  CODE_TOO_FREQUENT: {
    status: 429,
    zh: '获取验证码过于频繁，请稍后再试',
    en: 'Verification codes requested too often',
  },
  SMS_FAILED: { status: 502, zh: '短信发送失败，请稍后再试', en: 'SMS gateway did not accept the message' },
  HALL_KEY_INVALID: { status: 401, zh: '办税服务厅接口密钥无效', en: 'Missing or invalid hall API key' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>

export type ErrorCode = keyof typeof ERROR_TABLE

export class AppError extends Error {
  readonly code: ErrorCode
  readonly status: number
  /** Chinese message safe to show to end users. */
  readonly userMessage: string
  readonly details: unknown

  constructor(
    code: ErrorCode,
    detail?: string,
    options?: { cause?: unknown; details?: unknown; userMessage?: string },
  ) {
    const row = ERROR_TABLE[code]
    super(detail ? `${row.en}: ${detail}` : row.en, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'AppError'
    this.code = code
    this.status = row.status
    this.userMessage = options?.userMessage ?? (detail && /[\u4e00-\u9fff]/.test(detail) ? detail : row.zh)
    this.details = options?.details
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
