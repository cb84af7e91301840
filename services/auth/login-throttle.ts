/**
 * Login failure counting, pure. Every attempt is counted BEFORE the password is checked (a reservation),
 * in one atomic update of the attempt record, so a burst of concurrent guesses cannot all be checked
 * against a counter none of them has incremented yet; a correct password then only gets in when the
 * account was not locked meanwhile. Records are kept per username — existing or not — so an unknown
 * user, a wrong password and a locked account take the same path and get the same answer.
 */
export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15

export interface LoginAttempts {
  id: string
  /** Attempts counted since the last success or lock, including ones still being checked. */
  failures: number
  lockedUntil: string | null
}

const isLocked = (a: LoginAttempts, now: Date) => a.lockedUntil !== null && new Date(a.lockedUntil) > now
const lock = (a: LoginAttempts, now: Date): LoginAttempts => ({
  ...a,
  failures: 0,
  lockedUntil: new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString(),
})

/** Step 1, before the password check: count the attempt; `allowed` false when locked (now or by it). */
export function reserveAttempt(a: LoginAttempts, now: Date): { next: LoginAttempts; allowed: boolean } {
  if (isLocked(a, now)) return { next: a, allowed: false }
  const failures = (a.lockedUntil ? 0 : a.failures) + 1
  if (failures > MAX_FAILED_LOGINS) return { next: lock(a, now), allowed: false }
  return { next: { ...a, failures, lockedUntil: null }, allowed: true }
}

/** Step 2, after the check: a right password gets in unless the account locked meanwhile. */
export function settleAttempt(
  a: LoginAttempts,
  now: Date,
  passwordOk: boolean,
): { next: LoginAttempts; granted: boolean } {
  if (isLocked(a, now)) return { next: a, granted: false }
  if (!passwordOk) return { next: a.failures >= MAX_FAILED_LOGINS ? lock(a, now) : a, granted: false }
  // Our own reservation is one of the failures counted; the others are failures or concurrent guesses.
  if (a.failures - 1 >= MAX_FAILED_LOGINS) return { next: lock(a, now), granted: false }
  return { next: { ...a, failures: 0, lockedUntil: null }, granted: true }
}
