/** The HMAC secret: from config, or generated once and kept (mode 0600) in the data directory. */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export function resolveSecret(configured: string, dataDir: string): string {
  if (configured) {
    if (configured.length < 16) throw new Error('TAXKB_SESSION_SECRET must be at least 16 characters')
    return configured
  }
  const file = path.join(dataDir, 'secret.key')
  try {
    return fs.readFileSync(file, 'utf8').trim()
  } catch {
    fs.mkdirSync(dataDir, { recursive: true })
    const secret = crypto.randomBytes(32).toString('base64url')
    // wx: never overwrite a secret another process created meanwhile.
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' })
      return secret
    } catch {
      return fs.readFileSync(file, 'utf8').trim()
    }
  }
}
