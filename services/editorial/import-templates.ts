/**
 * Downloadable import templates, one per editable kind (issue 20 item 19): the file an editor fills in, in the
 * chosen format, holding one example row that imports cleanly (test/unit/import-messages.test.ts checks it).
 */
import type { Entry } from '../../knowledge/entry.js'
import { type BulkFormat, writeEntries } from './entry-table.js'

export const TEMPLATE_KINDS = ['faq', 'guide', 'hot-topic', 'notice'] as const
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]

const common = {
  layer: 'city',
  regionCode: '320100',
  effectiveFrom: '2026-01-01',
  effectiveTo: null,
  status: 'draft',
  version: 1,
  updatedAt: '2026-01-01T00:00:00.000Z',
  tags: ['示例'],
  citedArticleIds: [],
  source: { title: '南京市税务局', docNumber: '宁税发〔2026〕1号', issuer: '国家税务总局南京市税务局' },
} as const

const EXAMPLES: Record<TemplateKind, Entry> = {
  faq: {
    ...common,
    tags: [...common.tags],
    citedArticleIds: ['个人所得税法#第六条'],
    id: 'faq-320100-示例-0001',
    kind: 'faq',
    title: '（示例）个人所得税专项附加扣除在哪里填报？',
    question: '个人所得税专项附加扣除在哪里填报？',
    body: '（示例答复）可通过个人所得税 App 或扣缴义务人填报。导入前请删除本示例行。',
  },
  guide: {
    ...common,
    tags: [...common.tags],
    citedArticleIds: [],
    id: 'guide-320100-示例-0001',
    kind: 'guide',
    title: '（示例）车辆购置税申报',
    body: '（示例）在南京购买应税车辆的纳税人申报车辆购置税。导入前请删除本示例行。',
    guide: {
      code: 'NJ-示例-001',
      conditions: ['购置应税车辆'],
      materials: ['身份证件', '车辆合格证'],
      steps: ['登录电子税务局', '填写申报表'],
      timeLimit: '即时办结',
      fees: '不收费',
      channels: ['电子税务局', '办税服务厅'],
    },
  },
  'hot-topic': {
    ...common,
    tags: [...common.tags],
    citedArticleIds: [],
    id: 'hot-320100-示例-0001',
    kind: 'hot-topic',
    title: '（示例）年度汇算开始预约',
    body: '（示例）本年度个人所得税综合所得汇算清缴可提前预约。导入前请删除本示例行。',
  },
  notice: {
    ...common,
    tags: [...common.tags],
    citedArticleIds: [],
    id: 'notice-320100-示例-0001',
    kind: 'notice',
    title: '（示例）关于办税服务厅调整办公时间的通告',
    body: '（示例）自 2026 年 1 月 1 日起调整办公时间。导入前请删除本示例行。',
  },
}

export function templateExample(kind: TemplateKind): Entry {
  return EXAMPLES[kind]
}

export function importTemplate(kind: TemplateKind, format: BulkFormat): Promise<Buffer> {
  return writeEntries(format, [EXAMPLES[kind]])
}
