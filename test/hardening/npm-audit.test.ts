/**
 * `npm audit --omit=dev`: no high or critical advisory in production dependencies. Strict on findings;
 * when the registry's audit endpoint is unreachable (this environment's mirror answers 405) the live check
 * reports that and passes, and the verdict logic is proven on recorded reports instead.
 */
import { describe, expect, it } from 'vitest'
import { auditVerdict, runNpmAudit } from '../../services/ops/npm-audit.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const report = (high: number, critical: number) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: high || critical ? { 'bad-pkg': { severity: critical ? 'critical' : 'high' } } : {},
    metadata: { vulnerabilities: { info: 0, low: 2, moderate: 1, high, critical, total: 3 + high + critical } },
  })

describe('npm audit gate', () => {
  it('fails on high or critical, passes on low/moderate, is "unavailable" (not ok) when the endpoint errors', () => {
    expect(auditVerdict(report(0, 0)).status).toBe('ok')
    expect(auditVerdict(report(1, 0))).toMatchObject({ status: 'fail', packages: ['bad-pkg (high)'] })
    expect(auditVerdict(report(0, 2))).toMatchObject({ status: 'fail', packages: ['bad-pkg (critical)'] })
    expect(
      auditVerdict(
        JSON.stringify({
          message: '405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk',
          statusCode: 405,
        }),
      ),
    ).toMatchObject({ status: 'unavailable' })
    expect(auditVerdict('npm ERR! network')).toMatchObject({ status: 'unavailable' })
  })

  it('production dependencies have no high or critical advisories (live; tolerant of an unreachable endpoint)', async () => {
    const v = await runNpmAudit(REPO_ROOT)
    if (v.status === 'unavailable') console.warn(`[npm audit] endpoint unavailable, not checked: ${v.reason}`)
    expect(v.status === 'fail' ? v.packages : []).toEqual([])
  }, 90_000)
})
