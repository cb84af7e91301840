/** The README's definitions table is the one in services/ops/dashboard-definitions.ts, word for word. */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { FIGURES } from '../../services/ops/dashboard-definitions.js'
import { dashboardTables } from '../../services/ops/dashboard-tables.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8')

describe('dashboard definitions', () => {
  it('README lists every figure with its definition', () => {
    for (const [key, f] of Object.entries(FIGURES)) {
      expect(readme).toContain(`| ${f.label} | \`${key}\` | ${f.definition} |`)
    }
  })

  it('every figure has a table (for the table view and the CSV)', () => {
    const empty = {
      days: [],
      hours: [],
      channels: [],
      intents: [],
      handoffReasons: [],
      ratings: { distribution: [], dissatisfiedReasons: [] },
      tickets: { onTime: [], overdue: [], extensions: [] },
      seatGroups: [],
      agents: [],
      knowledge: { unansweredTopics: [], mostCited: [], badlyCited: [] },
      bookings: { halls: [], days: [], totals: {} },
      surveys: [],
      satisfaction: [],
      followUps: { days: [] },
    }
    const tables = dashboardTables(empty as never)
    expect(Object.keys(tables).sort()).toEqual(Object.keys(FIGURES).sort())
    for (const t of Object.values(tables)) expect(t.columns.length).toBeGreaterThan(1)
  })
})
