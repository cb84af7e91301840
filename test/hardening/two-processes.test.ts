/**
 * Two `taxkb` servers (two real child processes) on one data directory, plus the CLI beside them:
 * - 1,000 alternating writes (chats and handoffs to 转人工): every acknowledged session, ledger row and
 *   ticket is in the store, and no ticket number is issued twice;
 * - `taxkb user add` while both serve: the user logs in at once on either server;
 * - the second server holds no knowledge lock: a knowledge write there is refused with DATA_DIR_LOCKED
 *   (409, Chinese message naming the holder), while the first accepts it.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { runImport } from '../../indexers/run-import.js'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { createContainer } from '../../services/container.js'
import { REPO_ROOT, loadConfig } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, FIXTURES, tempDir } from '../helpers/env.js'

const SERVER = path.join(REPO_ROOT, 'eval', 'bench', 'chat-server.ts')
const BIN = path.join(REPO_ROOT, 'bin', 'taxkb.js')
const KEY = '22'.repeat(32)
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) c.kill('SIGKILL')
})

function startServer(dataDir: string): Promise<string> {
  const child = fork(SERVER, [dataDir, 'silent'], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, TAXKB_ENCRYPTION_KEY: KEY, TAXKB_SESSION_SECRET: 'two-process-test-secret-0123' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  })
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start: ${stderr.slice(-800)}`)), 60_000)
    child.on('message', (m: { port: number }) => {
      clearTimeout(t)
      resolve(`http://127.0.0.1:${m.port}`)
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr.slice(-800)}`)))
  })
}

async function post(
  base: string,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(base + url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: r.status, json: (await r.json()) as Record<string, unknown> }
}

describe('two servers and the CLI on one data directory', () => {
  it('keeps every acknowledged write, issues unique ticket numbers, sees CLI users at once, and refuses knowledge writes on the second', async () => {
    const dataDir = tempDir('taxkb-two-')
    const config = loadConfig({ TAXKB_LOG_LEVEL: 'silent', TAXKB_ENCRYPTION_KEY: KEY }, { dataDir })
    const setup = await createContainer(config, { skipIndexSync: true })
    await runImport(setup, path.join(FIXTURES, 'corpus'))
    await setup.close()
    const a = await startServer(dataDir)
    const b = await startServer(dataDir)

    // 1,000 alternating writes, 8 in flight: every 5th a handoff of a session opened on the other server.
    const sessions: string[] = []
    const tickets: { id: string; number: string }[] = []
    const failures: string[] = []
    let next = 0
    const worker = async () => {
      for (let k = next++; k < 1000; k = next++) {
        const base = k % 2 === 0 ? a : b
        if (k % 5 === 4 && sessions.length > 0) {
          const sid = sessions[k % sessions.length]!
          const r = await post(base, `/api/chat/${sid}/handoff`, { consent: true, contact: { phone: '13800001111' } })
          if (r.status !== 200 || typeof r.json.ticketId !== 'string')
            failures.push(`handoff ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`)
          else tickets.push({ id: r.json.ticketId, number: String(r.json.ticketNumber) })
        } else {
          const r = await post(base, '/api/chat', { message: `小规模纳税人增值税怎么申报 ${k}`, region: '320100' })
          if (r.status !== 200) failures.push(`chat ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`)
          else sessions.push(String(r.json.sessionId))
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    expect(failures).toEqual([])
    expect(sessions.length + tickets.length).toBe(1000)
    expect(tickets.length).toBeGreaterThanOrEqual(190)

    // Read back while both servers still run.
    const store = await EmbeddedStore.open(dataDir)
    expect(store.knowledgeWritable).toBe(false)
    const stored = await store.collection('sessions').getMany(sessions)
    expect(stored.length).toBe(sessions.length)
    expect(await store.collection('ledger').count()).toBeGreaterThanOrEqual(sessions.length + tickets.length)
    const storedTickets = await store.collection<{ id: string; number: string }>('tickets').list()
    const ids = new Set(storedTickets.map((t) => t.id))
    for (const t of tickets) expect(ids.has(t.id), t.id).toBe(true)
    const numbers = storedTickets.map((t) => t.number)
    expect(new Set(numbers).size).toBe(numbers.length)
    expect(new Set(tickets.map((t) => t.number)).size).toBe(tickets.length)
    await store.close()

    // `taxkb user add` while both serve: the user logs in at once, on either server.
    await promisify(execFile)(
      process.execPath,
      [
        BIN,
        '--data-dir',
        dataDir,
        'user',
        'add',
        '--role',
        'editor',
        '--name',
        'cli-editor',
        '--password',
        'Password-2026',
      ],
      {
        cwd: REPO_ROOT,
        env: {
          ...process.env,
          TAXKB_ENCRYPTION_KEY: KEY,
          TAXKB_SESSION_SECRET: 'two-process-test-secret-0123',
          TAXKB_LOG_LEVEL: 'silent',
        },
      },
    )
    const loginA = await post(a, '/api/auth/login', { username: 'cli-editor', password: 'Password-2026' })
    const loginB = await post(b, '/api/auth/login', { username: 'cli-editor', password: 'Password-2026' })
    expect(loginA.status).toBe(200)
    expect(loginB.status).toBe(200)

    // `taxkb import` of new entries while a server holds the knowledge lock: refused clearly, nothing written.
    const imp = await promisify(execFile)(
      process.execPath,
      [BIN, '--data-dir', dataDir, 'import', '--source', BUNDLED_CORPUS],
      { cwd: REPO_ROOT, env: { ...process.env, TAXKB_ENCRYPTION_KEY: KEY, TAXKB_LOG_LEVEL: 'silent' } },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    )
    expect(imp.code).not.toBe(0)
    expect(imp.stderr).toContain('DATA_DIR_LOCKED')
    expect(imp.stderr).toMatch(/知识库文件由进程 \d+/)

    // Knowledge: the first server holds the lock and writes; the second refuses with a stable code.
    const draft = (id: string) => ({
      id,
      kind: 'faq',
      title: `双进程测试 ${id}`,
      question: '双进程测试问题',
      body: '用于双进程测试的问答内容，关于小规模纳税人。',
      source: { title: '测试' },
      layer: 'national',
      regionCode: null,
      effectiveFrom: null,
      effectiveTo: null,
      tags: [],
      citedArticleIds: [],
    })
    const onA = await post(a, '/api/editor/entries', draft('two-proc-a'), {
      authorization: `Bearer ${String(loginA.json.token)}`,
    })
    expect(onA.status, JSON.stringify(onA.json)).toBe(201)
    const onB = await post(b, '/api/editor/entries', draft('two-proc-b'), {
      authorization: `Bearer ${String(loginB.json.token)}`,
    })
    expect(onB.status).toBe(409)
    expect(onB.json).toMatchObject({
      error: { code: 'DATA_DIR_LOCKED', message: expect.stringMatching(/知识库.*进程 \d+/) },
    })
  }, 180_000)
})
