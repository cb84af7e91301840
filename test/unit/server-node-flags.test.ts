import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  SERVER_ENV as BIN_ENV,
  SERVER_NODE_FLAGS as BIN_FLAGS,
  serverFlagsMissing,
} from '../../bin/server-node-flags.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../services/shared/server-node-flags.js'

describe('server Node flags (young and old generation caps)', () => {
  it('bin/taxkb.js and the bench start servers with the same flags', () => {
    expect([...SERVER_NODE_FLAGS]).toEqual([...BIN_FLAGS])
    expect(SERVER_ENV).toEqual(BIN_ENV)
  })

  it('applies to serve and start only, and never overrides a size the operator passed', () => {
    expect(serverFlagsMissing(['serve'], [])).toBe(true)
    expect(serverFlagsMissing(['--data-dir', '/srv/taxkb', 'start', '--port', '8080'], [])).toBe(true)
    expect(serverFlagsMissing(['--data-dir', 'serve', 'search', '增值税'], [])).toBe(false)
    expect(serverFlagsMissing(['user', 'add', 'serve'], [])).toBe(false)
    expect(serverFlagsMissing(['serve'], ['--max-semi-space-size=32', '--max-old-space-size=1024'])).toBe(false)
    // one flag given by the operator: the other is still added (theirs comes later on the command line and wins)
    expect(serverFlagsMissing(['serve'], ['--max-semi-space-size=32'])).toBe(true)
    expect(serverFlagsMissing([], [])).toBe(false)
  })

  const serveReexecuted = async (env: Record<string, string | undefined>) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-flags-'))
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'taxkb.js'), '--data-dir', dataDir, 'serve'], {
      stdio: 'ignore',
      env,
    })
    try {
      const read = (f: string) => fs.readFileSync(`/proc/${child.pid}/${f}`, 'utf8').split('\0').filter(Boolean)
      let args = read('cmdline')
      for (let i = 0; i < 100 && !args.includes(BIN_FLAGS[0] as string); i++) {
        await new Promise((r) => setTimeout(r, 50))
        args = read('cmdline')
      }
      return { args, environ: read('environ'), dataDir }
    } finally {
      child.kill('SIGKILL')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }

  it.skipIf(process.platform !== 'linux')(
    '`taxkb serve` re-executes itself with the flags and env, same pid',
    async () => {
      const { MALLOC_ARENA_MAX: _, ...env } = process.env
      const { args, environ, dataDir } = await serveReexecuted(env)
      expect(args).toContain(BIN_FLAGS[0])
      expect(args.slice(-3)).toEqual(['--data-dir', dataDir, 'serve'])
      expect(environ).toContain('MALLOC_ARENA_MAX=2')
    },
  )

  it.skipIf(process.platform !== 'linux')('an operator-set MALLOC_ARENA_MAX is kept', async () => {
    const { environ } = await serveReexecuted({ ...process.env, MALLOC_ARENA_MAX: '4' })
    expect(environ).toContain('MALLOC_ARENA_MAX=4')
    expect(environ).not.toContain('MALLOC_ARENA_MAX=2')
  })
})
