/** The OpenAPI document the app serves at /docs/json, from an app built in-process over an empty temp store. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { build } from '../services/api/app.js'
import { loadConfig } from '../services/shared/config.js'

export async function servedDocument(): Promise<Record<string, unknown>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-openapi-'))
  try {
    const app = await build(loadConfig({ TAXKB_LOG_LEVEL: 'silent' }, { dataDir: path.join(dir, 'data') }), {
      logger: false,
    })
    await app.ready()
    const doc = structuredClone(app.swagger()) as unknown as Record<string, unknown>
    await app.close()
    return doc
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
