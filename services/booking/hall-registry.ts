/**
 * The halls registry (collection `halls`) and the business-type catalogue: listing by region, CSV import,
 * capacity settings, hall administrators, and the per-hall queue API key (SHA-256 of a 256-bit random key:
 * the key is shown once at rotation and never stored).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import type { Store } from '../../knowledge/store/store.js'
import { AppError } from '../shared/errors.js'
import type { BusinessType, Hall } from './hall.js'
import { parseCapacityByBusiness, parseHallsCsv, parsePeriods } from './hall-csv.js'

export interface RegionLookup {
  has(code: string): boolean
  provinceOf(code: string): string
}

export interface CapacitySettings {
  capacityPerSlot?: number
  capacityByBusiness?: Record<string, number>
  blackoutDays?: string[]
  slotMinutes?: number
  periods?: string
  windows?: number
}

export function loadBusinessTypes(file: string): BusinessType[] {
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { types?: unknown }
  if (!Array.isArray(raw.types) || raw.types.length === 0) throw new Error(`${file}: "types" must be a non-empty array`)
  return raw.types.map((t: Record<string, unknown>, i: number) => {
    if (typeof t.code !== 'string' || !/^[a-z][a-z0-9-]{1,31}$/.test(t.code) || typeof t.name !== 'string') {
      throw new Error(`${file}: types[${i}] needs a code (lowercase) and a name`)
    }
    return {
      code: t.code,
      name: t.name,
      description: typeof t.description === 'string' ? t.description : '',
      guide: typeof t.guide === 'string' ? t.guide : null,
    }
  })
}

const hashKey = (key: string): string => crypto.createHash('sha256').update(key).digest('hex')

export class HallRegistry {
  readonly #types: readonly BusinessType[]
  readonly #typeCodes: ReadonlySet<string>

  constructor(
    private readonly store: Store,
    private readonly regions: RegionLookup,
    businessTypes: readonly BusinessType[],
  ) {
    this.#types = businessTypes
    this.#typeCodes = new Set(businessTypes.map((t) => t.code))
  }

  private get halls() {
    return this.store.collection<Hall>('halls')
  }

  businessTypes(): readonly BusinessType[] {
    return this.#types
  }

  businessTypeName(code: string): string {
    return this.#types.find((t) => t.code === code)?.name ?? code
  }

  isBusinessType(code: string): boolean {
    return this.#typeCodes.has(code)
  }

  /** Halls of a city (its code) or of a province (…0000); all halls without a region. */
  async list(region?: string): Promise<Hall[]> {
    if (region !== undefined && !this.regions.has(region))
      throw new AppError('UNKNOWN_REGION', `地区代码 ${region} 无效`)
    const all = await this.halls.list({ sort: { field: 'id', order: 'asc' } })
    if (!region) return all
    return all.filter(
      (h) => h.regionCode === region || (region.endsWith('0000') && this.regions.provinceOf(h.regionCode) === region),
    )
  }

  async get(id: string): Promise<Hall> {
    const hall = await this.halls.get(id)
    if (!hall) throw new AppError('HALL_NOT_FOUND', `hall ${id}`)
    return hall
  }

  /** Imports (adds or replaces) halls from CSV; existing API keys and administrators are kept unless given. */
  async importCsv(text: string): Promise<{ imported: number; ids: string[] }> {
    const parsed = parseHallsCsv(text, (c) => this.regions.has(c), this.#typeCodes)
    const existing = new Map((await this.halls.getMany(parsed.map((h) => h.id))).map((h) => [h.id, h]))
    const docs = parsed.map((h) => {
      const old = existing.get(h.id)
      return {
        ...h,
        apiKeyHash: old?.apiKeyHash ?? null,
        adminUserIds: h.adminUserIds.length ? h.adminUserIds : (old?.adminUserIds ?? []),
      }
    })
    await this.halls.putMany(docs)
    return { imported: docs.length, ids: docs.map((d) => d.id) }
  }

  /** Loads the bundled (sample) registry when the collection is empty. */
  async seedIfEmpty(file: string): Promise<number> {
    if (!file || (await this.halls.count()) > 0 || !fs.existsSync(file)) return 0
    return (await this.importCsv(fs.readFileSync(file, 'utf8'))).imported
  }

  async updateCapacity(id: string, s: CapacitySettings): Promise<Hall> {
    const line = 1
    const byBusiness =
      s.capacityByBusiness === undefined
        ? undefined
        : parseCapacityByBusiness(
            Object.entries(s.capacityByBusiness)
              .map(([k, v]) => `${k}=${v}`)
              .join(';'),
            line,
            this.#typeCodes,
          )
    const periods = s.periods === undefined ? undefined : parsePeriods(s.periods, line)
    for (const d of s.blackoutDays ?? []) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) {
        throw new AppError('VALIDATION_FAILED', `bad blackout day ${d}`, { userMessage: `停止预约日期「${d}」无效` })
      }
    }
    await this.get(id)
    return this.halls.update(id, (h) => ({
      ...h,
      ...(s.capacityPerSlot === undefined ? {} : { capacityPerSlot: s.capacityPerSlot }),
      ...(byBusiness === undefined ? {} : { capacityByBusiness: byBusiness }),
      ...(s.blackoutDays === undefined ? {} : { blackoutDays: [...new Set(s.blackoutDays)].sort() }),
      ...(s.slotMinutes === undefined ? {} : { slotMinutes: s.slotMinutes }),
      ...(periods === undefined ? {} : { periods }),
      ...(s.windows === undefined ? {} : { windows: s.windows }),
    }))
  }

  async setAdmins(id: string, userIds: string[]): Promise<Hall> {
    await this.get(id)
    return this.halls.update(id, (h) => ({ ...h, adminUserIds: [...new Set(userIds)] }))
  }

  /** Issues a new queue API key (the old one stops working at once); returns it in clear, once. */
  async rotateApiKey(id: string): Promise<string> {
    await this.get(id)
    const key = `hk_${crypto.randomBytes(32).toString('base64url')}`
    await this.halls.update(id, (h) => ({ ...h, apiKeyHash: hashKey(key) }))
    return key
  }

  async verifyApiKey(id: string, key: string | undefined): Promise<Hall> {
    const hall = await this.get(id)
    if (!key || !hall.apiKeyHash) throw new AppError('HALL_KEY_INVALID')
    const want = Buffer.from(hall.apiKeyHash, 'hex')
    const got = Buffer.from(hashKey(key), 'hex')
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) throw new AppError('HALL_KEY_INVALID')
    return hall
  }
}
