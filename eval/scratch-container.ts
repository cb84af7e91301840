/**
 * The dev tools' container: a scratch copy of the configured data directory (their turns would otherwise write
 * sessions, ledger rows and tickets into it), a container over it with logs silenced, removed afterwards even
 * when the run fails.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { type Container, createContainer } from '../services/container.js'
import type { Config } from '../services/shared/config.js'

export async function withScratchContainer<T>(
  config: Config,
  prefix: string,
  run: (ctx: Container) => Promise<T>,
): Promise<T> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  try {
    if (fs.existsSync(config.dataDir)) fs.cpSync(config.dataDir, scratch, { recursive: true })
    const ctx = await createContainer({ ...config, dataDir: scratch, logLevel: 'silent' })
    try {
      return await run(ctx)
    } finally {
      await ctx.close()
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}
