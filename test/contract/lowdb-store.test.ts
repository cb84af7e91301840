import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { LowdbStore } from '../../knowledge/store/lowdb-store.js'
import { tempDir } from '../helpers/env.js'
import { storeContract } from './store.contract.js'

storeContract('lowdb', () => LowdbStore.open(tempDir()))

describe('lowdb store files', () => {
  it('acknowledged writes are on disk and survive reopening; no temp files are left', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    await store.collection<{ id: string; v: number }>('tickets').put({ id: 'x', v: 1 })
    const onDisk = JSON.parse(fs.readFileSync(path.join(dir, 'tickets.json'), 'utf8'))
    expect(onDisk.docs.x.v).toBe(1)
    const again = await LowdbStore.open(dir)
    expect((await again.collection<{ id: string; v: number }>('tickets').get('x'))?.v).toBe(1)
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('refuses to open a corrupt file with a clear error instead of silently dropping data', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'tickets.json'), '{"docs": {"x": ')
    await expect(LowdbStore.open(dir)).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' })
  })
})
