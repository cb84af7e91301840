import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RegionTable } from '../../knowledge/regions.js'
import { AppError } from '../../services/shared/errors.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))

describe('RegionTable.require', () => {
  it('returns the region for a known code', () => {
    expect(regions.require('320100')).toMatchObject({ code: '320100', level: 'city', parent: '320000' })
    expect(regions.require('320000').level).toBe('province')
  })

  it.each(['999999', '3201', '320100 ', 'abcdef', '', '3'.repeat(300)])('rejects %j with UNKNOWN_REGION', (code) => {
    let caught: unknown
    try {
      regions.require(code)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('UNKNOWN_REGION')
    expect((caught as AppError).status).toBe(400)
    // The message echoes at most 20 characters of the input.
    expect((caught as AppError).message.length).toBeLessThan(80)
  })
})
