/**
 * `npm audit --omit=dev` as a gate: fails on any high or critical advisory in production dependencies,
 * but only reports (does not fail) when the registry's audit endpoint cannot be reached — this build
 * environment's registry mirror answers the bulk-advisory endpoint with 405. Strict on findings, tolerant
 * of network failure.   npx tsx services/ops/npm-audit.ts
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export type AuditVerdict =
  | { status: 'ok'; counts: Record<string, number> }
  | { status: 'fail'; counts: Record<string, number>; packages: string[] }
  | { status: 'unavailable'; reason: string }

/** Interprets `npm audit --json` output (npm 7+ report, or the error object npm prints when it cannot audit). */
export function auditVerdict(stdout: string): AuditVerdict {
  let report: {
    metadata?: { vulnerabilities?: Record<string, number> }
    vulnerabilities?: Record<string, { severity?: string }>
    error?: unknown
    message?: string
    statusCode?: number
  }
  try {
    report = JSON.parse(stdout) as typeof report
  } catch {
    return { status: 'unavailable', reason: `npm audit printed no JSON: ${stdout.slice(0, 120)}` }
  }
  const counts = report.metadata?.vulnerabilities
  if (!counts)
    return {
      status: 'unavailable',
      reason: String(
        report.message ?? (report.error as { summary?: string } | undefined)?.summary ?? 'no audit report',
      ),
    }
  const packages = Object.entries(report.vulnerabilities ?? {})
    .filter(([, v]) => v.severity === 'high' || v.severity === 'critical')
    .map(([k, v]) => `${k} (${v.severity})`)
  return (counts.high ?? 0) + (counts.critical ?? 0) > 0
    ? { status: 'fail', counts, packages }
    : { status: 'ok', counts }
}

export function runNpmAudit(cwd: string): Promise<AuditVerdict> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['audit', '--omit=dev', '--json'],
      { cwd, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
      (_err, stdout) => resolve(auditVerdict(String(stdout ?? ''))),
    )
  })
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
if (isMain) {
  const v = await runNpmAudit(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'))
  console.log(JSON.stringify(v))
  process.exitCode = v.status === 'fail' ? 1 : 0
}
