/**
 * Runs the `taxkb` CLI in-process (services/cli/taxkb.ts main) with its own environment map, capturing
 * what it prints and its exit code — for tests where the child process itself is not under test
 * (test/hardening/cli-bad-args.test.ts and the bin smoke test still spawn the real binary).
 */
import { format } from 'node:util'
import { vi } from 'vitest'
import { main } from '../../services/cli/taxkb.js'

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliResult> {
  const out: string[] = []
  const err: string[] = []
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(`${format(...a)}\n`))
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(`${format(...a)}\n`))
  const before = process.exitCode
  process.exitCode = undefined
  try {
    await main(['node', 'taxkb', ...args], env)
  } finally {
    log.mockRestore()
    error.mockRestore()
  }
  const code = Number(process.exitCode ?? 0)
  process.exitCode = before
  return { code, stdout: out.join(''), stderr: err.join('') }
}
