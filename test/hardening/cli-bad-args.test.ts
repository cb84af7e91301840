/**
 * Every `taxkb` command (discovered from the commander program, so new commands are covered) with bad
 * arguments: a non-zero exit, an error line on stderr, and never a stack trace for a user error.
 * Each spawn costs ~0.6 s, so per command: one unknown option, one missing required argument/option,
 * plus a handful of bad values for the commands that take them; run 4 at a time.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { program } from '../../services/cli/taxkb.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { tempDir } from '../helpers/env.js'

const run = promisify(execFile)
const BIN = path.join(REPO_ROOT, 'bin', 'taxkb.js')
const STACK = /\n\s+at .+[:(]\d+:\d+\)?/

function commandPaths(): { path: string[]; required: string[]; args: number }[] {
  const out: { path: string[]; required: string[]; args: number }[] = []
  const walk = (c: ReturnType<typeof program>, prefix: string[]) => {
    for (const sub of c.commands) {
      const p = [...prefix, sub.name()]
      if (sub.commands.length) walk(sub as ReturnType<typeof program>, p)
      else
        out.push({
          path: p,
          required: sub.options.filter((o) => o.mandatory).map((o) => o.long ?? ''),
          args: sub.registeredArguments.filter((a) => a.required).length,
        })
    }
  }
  walk(program({}), [])
  return out
}

async function taxkb(args: string[]) {
  try {
    const r = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, TAXKB_LOG_LEVEL: 'silent' },
      cwd: REPO_ROOT,
      timeout: 60_000,
    })
    return { code: 0, stderr: r.stderr, stdout: r.stdout }
  } catch (e) {
    const x = e as { code: number; stderr: string; stdout: string }
    return { code: x.code, stderr: x.stderr ?? String(e), stdout: x.stdout ?? '' }
  }
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>) {
  const queue = [...items]
  await Promise.all(
    Array.from({ length: n }, async () => {
      for (let t = queue.shift(); t !== undefined; t = queue.shift()) await fn(t)
    }),
  )
}

describe('taxkb with bad arguments', () => {
  it('every command: non-zero exit, an error line, no stack trace', async () => {
    const dataDir = tempDir()
    const cmds = commandPaths()
    expect(cmds.map((c) => c.path.join(' '))).toEqual(expect.arrayContaining(['import', 'search', 'backup', 'restore']))
    const cases: string[][] = []
    for (const c of cmds) {
      if (['serve', 'start', 'bench'].includes(c.path[0]!) && c.args === 0 && c.required.length === 0) {
        cases.push([...c.path, '--no-such-flag'])
        continue
      }
      cases.push([...c.path, '--no-such-flag'])
      if (c.args > 0 || c.required.length > 0) cases.push([...c.path])
    }
    cases.push(
      ['search', '小规模', '--limit', 'abc'],
      ['search', '小规模', '--limit', '100000'],
      ['search', '小规模', '--region', '999999'],
      ['search', '小规模', '--kind', 'bogus'],
      ['search', '\u200b\ufeff'],
      ['search', 'x'.repeat(5000)],
      ['import', '--source', '/nonexistent/dir'],
      ['eval', '--set', '/nonexistent.jsonl'],
      ['restore', '/nonexistent.backup'],
      ['restore', path.join(REPO_ROOT, 'package.json')],
      ['backup', '/proc/taxkb-cannot-write/b.backup'], // hung: recursive mkdir under /proc never returned
      ['backup', '/proc/b.backup'], // printed a stack trace
      ['backup', REPO_ROOT], // a directory: printed a stack trace
      ['user', 'add', '--role', 'king', '--name', 'x'],
      ['user', 'add', '--role', 'admin', '--name', '../../etc', '--password', 'short'],
      ['serve', '--port', '99999'],
      ['no-such-command'],
    )
    const bad: string[] = []
    await pool(cases, 4, async (args) => {
      const r = await taxkb(['--data-dir', dataDir, ...args])
      const label = args.join(' ').slice(0, 80)
      if (r.code === 0) bad.push(`${label}: exit 0`)
      if (!/^(错误 \[[A-Z_]+\]|error:)/m.test(r.stderr))
        bad.push(`${label}: no error line in ${JSON.stringify(r.stderr.slice(0, 200))}`)
      if (STACK.test(r.stderr)) bad.push(`${label}: stack trace ${r.stderr.slice(0, 300)}`)
    })
    console.log(`[cli] ${cases.length} bad invocations over ${cmds.length} commands`)
    expect(bad).toEqual([])
  }, 300_000)
})
