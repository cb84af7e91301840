/**
 * 操作日志 rows in people's words (issue 20 item 15): the event in Chinese and a Chinese description of
 * what changed. The service writes some notes in English for developers (`3 citing entries need review`,
 * `restored v2`, `bulk import (csv)`); those are translated here, editors' own comments are shown as written.
 * Pure, shared by nothing else than the editor console.
 */
export interface AuditRow {
  action: string
  entryId: string | null
  from: string | null
  to: string | null
  version: number | null
  comment: string | null
  method?: string | undefined
  route?: string | undefined
  status?: number | undefined
}

export const AUDIT_EVENTS: Record<string, string> = {
  create: '新建',
  save: '保存',
  submit: '提交审核',
  approve: '审核通过并发布',
  reject: '退回修改',
  retire: '废止',
  rollback: '回滚',
  import: '批量导入',
  acknowledge: '确认已复核',
  pin: '置顶为热点',
  unpin: '取消置顶',
  lexicon: '词典修改',
  ripple: '法规变更待复核',
}

const STATUS: Record<string, string> = { draft: '草稿', review: '待审核', published: '已发布', retired: '已废止' }
const LEXICON: Record<string, string> = {
  'synonyms.txt': '同义词',
  'user-dict.txt': '用户词典',
  'stopwords.txt': '停用词',
  'expansions.txt': '口语扩展',
}

/** Known machine notes → Chinese; anything else is an editor's comment and stays as it is. */
export function noteText(note: string): string {
  const parts = note.split('; ').map((p) => {
    let m = /^(\d+) citing entr(?:y|ies) need review$/.exec(p)
    if (m) return `${m[1]} 条引用它的条目进入法规变更待复核`
    m = /^restored v(\d+)$/.exec(p)
    if (m) return `恢复 v${m[1]} 的内容`
    m = /^discarded revision v(\d+)$/.exec(p)
    if (m) return `放弃待审修订 v${m[1]}`
    m = /^(policy )?bulk import \((\w+)\)$/.exec(p)
    if (m) return `${m[1] ? '公告' : ''}批量导入（${(m[2] ?? '').toUpperCase()}）`
    m = /^reviewed citations ?(.*)$/.exec(p)
    if (m) return m[1] ? `已复核引用：${m[1].split(', ').join('、')}` : '已复核引用'
    m = /^cites (.+)$/.exec(p)
    if (m) return `引用的 ${m[1]} 已废止或失效`
    m = /^(\S+\.txt) saved \((\d+) lines\)$/.exec(p)
    if (m) return `${LEXICON[m[1] ?? ''] ?? m[1]}已保存（${m[2]} 行）`
    return p
  })
  return parts.join('；')
}

export function auditEvent(r: Pick<AuditRow, 'action' | 'to'>): string {
  if (r.action === 'http') return '请求'
  // a future end date keeps the entry published until then
  if (r.action === 'retire' && r.to === 'published') return '设置失效日期'
  return AUDIT_EVENTS[r.action] ?? r.action
}

export function auditDescription(r: AuditRow): string {
  if (r.action === 'http') return `${r.method ?? ''} ${r.route ?? ''} → ${r.status ?? ''}`.trim()
  const out: string[] = []
  const from = r.from ? STATUS[r.from] : null
  const to = r.to ? STATUS[r.to] : null
  if (r.action !== 'ripple' && to && from !== to) out.push(`${from ?? '新条目'} → ${to}`)
  if (r.version) out.push(`v${r.version}`)
  const head = out.join('，')
  const note = r.comment ? noteText(r.comment) : ''
  return [head, note].filter(Boolean).join('：')
}
