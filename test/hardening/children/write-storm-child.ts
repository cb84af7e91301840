/**
 * Child for the online-backup test: writes forever to the embedded store of DATA_DIR, each step a session
 * and then a ledger row that names it (two separate transactions), printing `ready` after the first step.
 *   node --import tsx write-storm-child.ts DATA_DIR
 */
import { EmbeddedStore } from '../../../knowledge/store/embedded-store.js'

const store = await EmbeddedStore.open(process.argv[2]!)
const sessions = store.collection('sessions')
const ledger = store.collection<{ id: string; sessionId: string }>('ledger')
// Earlier history (consistent pairs), so reading `sessions` takes long enough for the writer to commit meanwhile.
const pad = '咨询记录'.repeat(100)
const old = Array.from({ length: 20_000 }, (_, i) => ({ id: `old-${i}`, pad }))
await sessions.putMany(old)
await ledger.putMany(old.map((s) => ({ id: `l-${s.id}`, sessionId: s.id })))
for (let i = 0; ; i++) {
  await sessions.put({ id: `s-${i}` })
  await ledger.put({ id: `l-${i}`, sessionId: `s-${i}` })
  if (i === 0) process.stdout.write('ready\n')
}
