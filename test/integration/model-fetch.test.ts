/**
 * `taxkb model fetch` logic against a local HTTP server standing in for Maven Central (the real jar from
 * ~/.m2 is served; skipped when it is not there): download, published SHA-1 + pinned SHA-256 checks, the
 * unpacked transformers.js folder, and refusal of a tampered jar with nothing left behind.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BGE_SMALL_ZH, mavenPath, sha1 } from '../../services/search/model/bge-small-zh.js'
import { fetchModel, modelPresent } from '../../services/search/model/model-fetch.js'
import { tempDir } from '../helpers/env.js'

const jarFile = path.join(os.homedir(), '.m2', 'repository', mavenPath(BGE_SMALL_ZH))
const haveJar = fs.existsSync(jarFile)
if (!haveJar) console.warn(`[model-fetch] skipped: ${jarFile} not present`)

describe.skipIf(!haveJar)('model fetch over HTTPS fallback (local stand-in for Maven Central)', () => {
  let server: http.Server
  let base = ''
  let jar: Buffer = Buffer.alloc(0)
  let served: Buffer = Buffer.alloc(0)
  let publishedSha1 = ''
  beforeAll(async () => {
    jar = fs.readFileSync(jarFile)
    server = http.createServer((req, res) => {
      if (req.url === `/${mavenPath(BGE_SMALL_ZH)}`)
        return void res.writeHead(200, { 'content-length': served.length }).end(served)
      if (req.url === `/${mavenPath(BGE_SMALL_ZH)}.sha1`) return void res.end(publishedSha1)
      res.writeHead(404).end()
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((r) => server.close(() => r())))

  it('downloads, verifies both digests and unpacks a folder transformers.js loads', async () => {
    served = jar
    publishedSha1 = `${sha1(jar)}  ${path.basename(jarFile)}\n`
    const dir = path.join(tempDir('taxkb-model-'), BGE_SMALL_ZH.folder)
    const progress: string[] = []
    const r = await fetchModel({
      modelDir: dir,
      mavenRepo: tempDir('taxkb-m2-'),
      centralUrl: base,
      useMaven: false,
      onProgress: (p) => progress.push(p.phase),
    })
    expect(r).toMatchObject({ source: 'https', sha256: BGE_SMALL_ZH.sha256 })
    expect(progress).toContain('download')
    expect(modelPresent(dir)).toBe(true)
    expect(fs.statSync(path.join(dir, 'onnx', 'model_quantized.onnx')).size).toBeGreaterThan(20e6)
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'))).toMatchObject({
      model_type: 'bert',
      hidden_size: 512,
    })
    expect(JSON.parse(fs.readFileSync(path.join(dir, '1_Pooling', 'config.json'), 'utf8'))).toMatchObject({
      pooling_mode_cls_token: true,
    })
    // a second call sees the folder and does nothing
    expect((await fetchModel({ modelDir: dir, centralUrl: 'http://127.0.0.1:1', useMaven: false })).source).toBe(
      'present',
    )
  })

  it('refuses a tampered jar or a wrong published SHA-1, leaving no folder', async () => {
    const dir = path.join(tempDir('taxkb-model-'), BGE_SMALL_ZH.folder)
    served = Buffer.from(jar)
    served[served.length - 100] = served[served.length - 100]! ^ 0xff
    publishedSha1 = sha1(served)
    await expect(
      fetchModel({ modelDir: dir, mavenRepo: tempDir('taxkb-m2-'), centralUrl: base, useMaven: false }),
    ).rejects.toThrow(/SHA-256 .* ≠ pinned/)
    served = jar
    publishedSha1 = '0'.repeat(40)
    await expect(
      fetchModel({ modelDir: dir, mavenRepo: tempDir('taxkb-m2-'), centralUrl: base, useMaven: false }),
    ).rejects.toThrow(/SHA-1 .* ≠ published/)
    expect(fs.existsSync(dir)).toBe(false)
    expect(fs.readdirSync(path.dirname(dir))).toEqual([])
  })
})
