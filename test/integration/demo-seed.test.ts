/** Issue 20 item 3: `taxkb demo seed` creates one account per role with random printed passwords that log in. */
import { describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/env.js'
import { validatePasswordStrength } from '../../services/auth/password.js'

const env = { ...process.env, TAXKB_LOG_LEVEL: 'silent' }

function accounts(stdout: string): Map<string, { role: string; password: string }> {
  const out = new Map<string, { role: string; password: string }>()
  for (const m of stdout.matchAll(/^ {2}(\w+)\s+(demo-[\w-]+)\s+(\S+)/gm)) {
    out.set(m[2] as string, { role: m[1] as string, password: m[3] as string })
  }
  return out
}

describe('taxkb demo seed', () => {
  it('creates agent, editor, reviewer and admin with distinct random passwords; a second run keeps them', async () => {
    const dataDir = tempDir()
    const first = await runCli(['demo', 'seed', '--data-dir', dataDir], env)
    expect(first.code).toBe(0)
    const a = accounts(first.stdout)
    expect([...a.values()].map((u) => u.role).sort()).toEqual(['admin', 'agent', 'editor', 'reviewer'])
    const passwords = [...a.values()].map((u) => u.password)
    expect(new Set(passwords).size).toBe(4)
    for (const p of passwords) expect(validatePasswordStrength(p)).toBeNull()

    const second = await runCli(['demo', 'seed', '--data-dir', dataDir], env)
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('已存在')
    for (const p of passwords) expect(second.stdout).not.toContain(p)

    const other = accounts((await runCli(['demo', 'seed', '--data-dir', tempDir()], env)).stdout)
    for (const [name, u] of other) expect(u.password).not.toBe(a.get(name)?.password)

    const list = await runCli(['user', 'list', '--data-dir', dataDir], env)
    expect(list.stdout).toMatch(/demo-agent\tagent\t320000\t320000-center/)
    expect(list.stdout).toMatch(/demo-editor\teditor\t320100/)
  })
})
