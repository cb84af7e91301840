/**
 * Child process for the crash-safety tests (run with `node --import tsx`). It opens the store in
 * DATA_DIR and performs one kind of work forever, printing `ack <json>` to stdout after each awaited write.
 * The parent records acks and kills it with SIGKILL at an arbitrary moment.
 *   import  — imports a corpus again and again (alternating two corpora so every import writes)
 *   tickets — creates tickets and runs a storm of concurrent updates on them
 *   publish — create → submit → approve (publish) entries through the editorial service
 */
import { createContainer } from '../../../services/container.js'
import { loadConfig } from '../../../services/shared/config.js'
import { runImport } from '../../../indexers/run-import.js'
import { permissionsOf } from '../../../services/auth/roles.js'

const [mode, dataDir, corpusA, corpusB] = process.argv.slice(2)
const config = loadConfig({ TAXKB_LOG_LEVEL: 'silent', TAXKB_ENCRYPTION_KEY: '11'.repeat(32) }, { dataDir })
const ctx = await createContainer(config, { skipIndexSync: true })
const ack = (o: unknown) => process.stdout.write(`ack ${JSON.stringify(o)}\n`)
process.stdout.write('ready\n')

if (mode === 'import') {
  for (let i = 0; ; i++) {
    const dir = i % 2 === 0 ? corpusA! : corpusB!
    const r = await runImport(ctx, dir)
    ack({ i, dir, total: r.total })
  }
} else if (mode === 'tickets') {
  const ids: string[] = []
  for (let i = 0; i < 5; i++) {
    const t = await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: `第${i}个问题：小规模纳税人怎么申报`,
      contact: { phone: '13912345678' },
    })
    ids.push(t.id)
    ack({ create: t.id, number: t.number })
  }
  const col = ctx.store.collection<{ id: string; storm?: number[] }>('tickets')
  let n = 0
  for (;;) {
    // 20 concurrent read-modify-writes per round, each acknowledged when its write is on disk.
    await Promise.all(
      Array.from({ length: 20 }, async () => {
        const id = ids[n % ids.length]!
        const k = n++
        await col.update(id, (t) => ({ ...t, storm: [...(t.storm ?? []), k] }))
        ack({ update: id, k })
      }),
    )
  }
} else if (mode === 'publish') {
  const actor = (id: string, role: 'editor' | 'reviewer') => ({
    id,
    name: id,
    role,
    regionCode: null,
    permissions: permissionsOf(role),
  })
  const editor = actor('crash-editor', 'editor')
  const reviewer = actor('crash-reviewer', 'reviewer')
  for (let i = 0; ; i++) {
    const id = `crash-faq-${i}`
    await ctx.editorial.create(editor, {
      id,
      kind: 'faq',
      title: `崩溃测试问答 ${i}`,
      question: `崩溃测试问题 ${i}`,
      body: `这是第 ${i} 条用于崩溃测试的问答，内容关于小规模纳税人增值税申报。`,
      source: { title: '测试' },
      layer: 'national',
      regionCode: null,
      effectiveFrom: null,
      effectiveTo: null,
      tags: ['测试'],
      citedArticleIds: [],
    })
    await ctx.editorial.submit(editor, id)
    const e = await ctx.editorial.approve(reviewer, id)
    ack({ published: id, version: e.version, status: e.status })
  }
}
