/**
 * Encrypts taxpayer contact details at rest with AES-256-GCM. The key comes from TAXKB_ENCRYPTION_KEY
 * (32 bytes as base64/base64url or 64 hex chars) or is generated once and kept in the data directory
 * (mode 0600), like the session secret. Sealed form: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface Contact {
  name?: string
  phone?: string
}

function decodeKey(value: string): Buffer {
  const v = value.trim()
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64url')
  if (key.length !== 32) throw new Error('TAXKB_ENCRYPTION_KEY must be 32 bytes (64 hex characters or base64)')
  return key
}

export function resolveEncryptionKey(configured: string, dataDir: string): Buffer {
  if (configured) return decodeKey(configured)
  const file = path.join(dataDir, 'contact.key')
  try {
    return decodeKey(fs.readFileSync(file, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
    fs.mkdirSync(dataDir, { recursive: true })
    const fresh = crypto.randomBytes(32).toString('base64url')
    try {
      fs.writeFileSync(file, fresh, { mode: 0o600, flag: 'wx' })
      return decodeKey(fresh)
    } catch {
      return decodeKey(fs.readFileSync(file, 'utf8'))
    }
  }
}

export class ContactCipher {
  readonly #key: Buffer
  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('AES-256-GCM needs a 32-byte key')
    this.#key = key
  }

  seal(contact: Contact | null | undefined): string | null {
    if (!contact || (!contact.name && !contact.phone)) return null
    return this.sealJson(contact)
  }

  open(sealed: string | null): Contact | null {
    return this.openJson<Contact>(sealed)
  }

  /** Any JSON value (e.g. the transcript of a report, which may name the reporter). */
  sealJson(value: unknown): string {
    const iv = crypto.randomBytes(12)
    const cipher = crypto.createCipheriv('aes-256-gcm', this.#key, iv)
    const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
    return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join(
      '.',
    )
  }

  openJson<T>(sealed: string | null): T | null {
    if (!sealed) return null
    const [v, iv, tag, body] = sealed.split('.')
    if (v !== 'v1' || !iv || !tag || body === undefined) throw new Error('unrecognised sealed contact')
    const decipher = crypto.createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    const text = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
    return JSON.parse(text) as T
  }
}
