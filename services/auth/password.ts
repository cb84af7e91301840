/** scrypt password hashing (node:crypto), encoded as `scrypt$N$r$p$salt$hash` so parameters can change later. */
import crypto from 'node:crypto'
import { promisify } from 'node:util'

const scrypt = promisify(crypto.scrypt) as (
  pw: string,
  salt: Buffer,
  len: number,
  opts: crypto.ScryptOptions,
) => Promise<Buffer>
const N = 16384
const R = 8
const P = 1
const LEN = 32

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.randomBytes(16)
  const hash = await scrypt(password, salt, LEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 })
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${hash.toString('base64url')}`
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [algo, n, r, p, salt, hash] = encoded.split('$')
  if (algo !== 'scrypt' || !n || !r || !p || !salt || !hash) return false
  const want = Buffer.from(hash, 'base64url')
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), want.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  })
  return got.length === want.length && crypto.timingSafeEqual(got, want)
}

export function validatePasswordStrength(password: string): string | null {
  if (password.length < 10) return '密码至少 10 位'
  if (!/[a-zA-Z]/.test(password) || !/\d/.test(password)) return '密码需同时包含字母和数字'
  return null
}

/** A random initial password that passes validatePasswordStrength (72 random bits), printed once by the CLI. */
export function generatePassword(): string {
  return `Tk${crypto.randomBytes(9).toString('base64url')}9`
}
