/**
 * Masks personal identifiers before anything is logged, stored in the ledger or exported:
 * 18-digit resident ID numbers, mainland mobile numbers, and 18-character unified social credit codes /
 * taxpayer identification numbers. Keeps a short prefix and suffix so agents can still talk about them.
 */
const ID_CARD =
  /(?<![0-9A-Za-z])([1-9]\d{5})(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}([\dXx])(?![0-9A-Za-z])/g
// Unified social credit code (= TIN for organisations): 18 chars from the GB 32100 alphabet, at least one letter.
const USCC =
  /(?<![0-9A-Za-z])(?=[0-9A-HJ-NPQRTUWXY]{18}(?![0-9A-Za-z]))(?=[0-9]*[A-HJ-NPQRTUWXY])([0-9A-HJ-NPQRTUWXY]{4})[0-9A-HJ-NPQRTUWXY]{10}([0-9A-HJ-NPQRTUWXY]{4})/g
// 15-digit legacy TINs and 20-digit individual TINs.
const LONG_DIGITS = /(?<!\d)(\d{4})\d{7,12}(\d{4})(?!\d)/g
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?(1[3-9]\d)[- ]?\d{4}[- ]?(\d{4})(?!\d)/g
const LANDLINE = /(?<!\d)(0\d{2,3})-?\d{7,8}(?!\d)/g

// Identifiers typed back to back with no separator ("身份证…手机…" glued into one 29-digit run) match none
// of the above; any alphanumeric run of 21+ characters with 10+ digits is masked as a whole, first.
const GLUED = /(?<![0-9A-Za-z])([0-9A-Za-z]{4})[0-9A-Za-z]{13,}([0-9A-Za-z]{4})(?![0-9A-Za-z])/g

export function maskPii(text: string): string {
  return text
    .replace(GLUED, (m: string, a: string, b: string) =>
      m.length >= 21 && (m.match(/\d/g)?.length ?? 0) >= 10 ? `${a}${'*'.repeat(m.length - 8)}${b}` : m,
    )
    .replace(ID_CARD, (_m, a: string, b: string) => `${a}********${'***'}${b}`)
    .replace(USCC, (_m, a: string, b: string) => `${a}**********${b}`)
    .replace(MOBILE, (_m, a: string, b: string) => `${a}****${b}`)
    .replace(LONG_DIGITS, (_m, a: string, b: string) => `${a}*******${b}`)
    .replace(LANDLINE, (_m, a: string) => `${a}-********`)
}

export function containsPii(text: string): boolean {
  return maskPii(text) !== text
}
