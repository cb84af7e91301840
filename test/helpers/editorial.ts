/** Editorial test data: staff actors for service-level calls and a Nanjing FAQ draft. */
import type { Entry } from '../../knowledge/entry.js'
import { permissionsOf, type StaffRole } from '../../services/auth/roles.js'
import type { Actor } from '../../services/editorial/permissions.js'

/** A staff actor: the role's permissions, scoped to a region (null: national). */
export const actorOf = (id: string, role: StaffRole, regionCode: string | null): Actor => ({
  id,
  name: id,
  role,
  regionCode,
  permissions: permissionsOf(role),
})

/** A city-layer (南京) FAQ draft about first invoices; `extra` overrides any field. */
export const faq = (id: string, body: string, extra: Partial<Entry> = {}) => ({
  id,
  kind: 'faq',
  title: '南京市新办纳税人首次领用发票需要多久',
  question: '南京新办企业首次领用发票要多久',
  body,
  source: { title: '南京市税务局编辑部' },
  layer: 'city',
  regionCode: '320100',
  effectiveFrom: null,
  effectiveTo: null,
  tags: ['发票'],
  citedArticleIds: [],
  ...extra,
})
