/**
 * SMS templates of the booking service (pure). Each has an id and named parameters so a gateway that only
 * sends pre-registered templates can map them; the rendered text is sent too. Documented in README.
 */
export interface RenderedSms {
  template: string
  params: Record<string, string>
  text: string
}

function render(signature: string, template: string, params: Record<string, string>, body: string): RenderedSms {
  return { template, params, text: `【${signature}】${body}` }
}

export function codeMessage(signature: string, code: string, minutes: number): RenderedSms {
  const params = { code, minutes: String(minutes) }
  return render(signature, 'booking-code', params, `您的预约办税验证码为${code}，${minutes}分钟内有效。请勿告诉他人。`)
}

export interface BookingFacts {
  hall: string
  date: string
  time: string
  business: string
  number: string
}

export function confirmedMessage(signature: string, f: BookingFacts, provisionalNote: string | null): RenderedSms {
  const note = provisionalNote ? `（${provisionalNote}）` : ''
  return render(
    signature,
    'booking-confirmed',
    { ...f },
    `您已预约${f.hall}，${f.date} ${f.time}办理${f.business}，预约号${f.number}${note}。请携带有效证件按时到厅，` +
      '如需取消请在时段开始3小时前操作。',
  )
}

export function cancelledMessage(signature: string, f: BookingFacts): RenderedSms {
  return render(
    signature,
    'booking-cancelled',
    { ...f },
    `您在${f.hall}${f.date} ${f.time}的预约（预约号${f.number}）已取消。`,
  )
}

export function proposalMessage(signature: string, f: BookingFacts, newTime: string, reason: string): RenderedSms {
  return render(
    signature,
    'booking-reschedule-proposed',
    { ...f, newTime, reason },
    `因${reason}，${f.hall}原定${f.date} ${f.time}的预约（预约号${f.number}）无法按时办理，建议改为${newTime}。` +
      '请在“我的预约”中确认或拒绝。',
  )
}

export function proposalAnswerMessage(signature: string, f: BookingFacts, accepted: boolean): RenderedSms {
  const body = accepted
    ? `您已同意改约，${f.hall}预约改为${f.date} ${f.time}，预约号${f.number}不变。`
    : `您已拒绝改约，${f.hall}预约号${f.number}的预约已取消，不计未到。`
  return render(signature, accepted ? 'booking-reschedule-accepted' : 'booking-reschedule-declined', { ...f }, body)
}
