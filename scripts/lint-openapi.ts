/**
 * Lints the OpenAPI document the app serves at /docs/json with redocly (redocly.yaml: recommended rules).
 * Builds the app in-process over an empty temporary data directory, writes the document to a temp file and runs
 * redocly offline. Fails on any error or warning, so every new route meets the contract.
 *
 *   npm run lint:openapi [-- --keep <file>]   # --keep also writes the document to <file>
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../services/shared/config.js'
import { servedDocument } from './served-document.js'

interface Problem {
  ruleId: string
  severity: 'error' | 'warn'
  message: string
  location?: { pointer?: string }[]
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-openapi-'))
  try {
    const file = path.join(dir, 'openapi.json')
    fs.writeFileSync(file, JSON.stringify(await servedDocument(), null, 2))
    const keep = process.argv.indexOf('--keep')
    if (keep > 0 && process.argv[keep + 1]) fs.copyFileSync(file, path.resolve(process.argv[keep + 1]!))

    const redocly = path.join(REPO_ROOT, 'node_modules', '.bin', 'redocly')
    const args = ['lint', file, '--config', path.join(REPO_ROOT, 'redocly.yaml'), '--format', 'json']
    // Offline: no usage telemetry, no update check.
    const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' }
    const run = spawnSync(redocly, args, { encoding: 'utf8', env })
    const start = run.stdout.indexOf('{')
    if (start < 0) throw new Error(`redocly printed no report (exit ${run.status}): ${run.stderr}`)
    const report = JSON.parse(run.stdout.slice(start)) as {
      totals: { errors: number; warnings: number; ignored: number }
      problems: Problem[]
    }
    for (const p of report.problems)
      console.log(
        `${p.severity === 'error' ? 'error' : 'warning'} ${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`,
      )
    const { errors, warnings, ignored } = report.totals
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { paths: Record<string, object> }
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)
    console.log(`redocly lint: ${operations} operations, ${errors} errors, ${warnings} warnings, ${ignored} ignored`)
    if (errors + warnings > 0) process.exitCode = 1
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
