/**
 * Fetches the embedding model jar and unpacks it into a transformers.js model folder. Sources, in order:
 * the local Maven repository (~/.m2, filled earlier by Maven or by this command), the ordinary Maven client
 * (`mvn dependency:get`) when it is on PATH, then Maven Central over HTTPS with Node's fetch. Every jar is
 * checked against its published SHA-1 and the pinned SHA-256 before a byte is unpacked; the folder is
 * written aside and renamed into place, so a half-unpacked model is never loaded.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import {
  BGE_SMALL_ZH,
  MAVEN_CENTRAL,
  bertConfig,
  mavenPath,
  poolingConfig,
  sha256,
  tokenizerConfig,
  verifyJar,
} from './bge-small-zh.js'

export interface FetchProgress {
  phase: 'download' | 'unpack'
  done: number
  total: number
}

export interface FetchOptions {
  /** The model folder to create (e.g. .cache/models/bge-small-zh-v1.5-q). */
  modelDir: string
  /** Local Maven repository (default ~/.m2/repository). */
  mavenRepo?: string
  /** Maven Central base URL (tests point it at a local server). */
  centralUrl?: string
  /** Use `mvn` when found on PATH (default true). */
  useMaven?: boolean
  onProgress?: (p: FetchProgress) => void
  log?: (line: string) => void
}

export interface FetchResult {
  modelDir: string
  source: 'present' | 'maven-repo' | 'mvn' | 'https'
  sha256: string
}

const MANIFEST = 'taxkb-model.json'

/** Whether the folder holds a complete, verified unpack of this model. */
export function modelPresent(modelDir: string): boolean {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(modelDir, MANIFEST), 'utf8')) as { sha256?: string }
    return (
      m.sha256 === BGE_SMALL_ZH.sha256 &&
      Object.values(BGE_SMALL_ZH.files).every((f) => fs.existsSync(path.join(modelDir, f)))
    )
  } catch {
    return false
  }
}

export class ModelFetchError extends Error {
  override name = 'ModelFetchError'
}

export async function fetchModel(options: FetchOptions): Promise<FetchResult> {
  const modelDir = path.resolve(options.modelDir)
  if (modelPresent(modelDir)) return { modelDir, source: 'present', sha256: BGE_SMALL_ZH.sha256 }
  const log = options.log ?? (() => {})
  const repo = options.mavenRepo ?? path.join(os.homedir(), '.m2', 'repository')
  const jarPath = path.join(repo, mavenPath(BGE_SMALL_ZH))
  const problems: string[] = []
  let got: { data: Uint8Array; source: FetchResult['source'] } | null = null
  const tryLocal = (source: FetchResult['source']) => {
    if (!fs.existsSync(jarPath)) return null
    const data = fs.readFileSync(jarPath)
    const sha1File = `${jarPath}.sha1`
    const bad = verifyJar(data, fs.existsSync(sha1File) ? fs.readFileSync(sha1File, 'utf8') : null)
    if (bad.length === 0) return { data, source }
    problems.push(`${jarPath}: ${bad.join('; ')}`)
    return null
  }
  got = tryLocal('maven-repo')
  if (!got && options.useMaven !== false && (await hasMaven())) {
    log(`mvn dependency:get ${BGE_SMALL_ZH.groupId}:${BGE_SMALL_ZH.artifactId}:${BGE_SMALL_ZH.version}`)
    try {
      await promisify(execFile)(
        'mvn',
        [
          '-q',
          '-B',
          'dependency:get',
          `-Dartifact=${BGE_SMALL_ZH.groupId}:${BGE_SMALL_ZH.artifactId}:${BGE_SMALL_ZH.version}`,
          '-Dtransitive=false',
          `-Dmaven.repo.local=${repo}`,
        ],
        { timeout: 300_000 },
      )
      got = tryLocal('mvn')
    } catch (e) {
      problems.push(`mvn: ${(e as Error).message.split('\n')[0]}`)
    }
  }
  if (!got) {
    const url = `${(options.centralUrl ?? MAVEN_CENTRAL).replace(/\/+$/, '')}/${mavenPath(BGE_SMALL_ZH)}`
    log(`GET ${url}`)
    try {
      const [data, published] = await Promise.all([download(url, options.onProgress), text(`${url}.sha1`)])
      const bad = verifyJar(data, published)
      if (bad.length === 0) got = { data, source: 'https' }
      else problems.push(`${url}: ${bad.join('; ')}`)
    } catch (e) {
      problems.push(`${url}: ${(e as Error).message}`)
    }
  }
  if (!got)
    throw new ModelFetchError(
      `could not fetch ${BGE_SMALL_ZH.artifactId}:${BGE_SMALL_ZH.version}: ${problems.join(' | ') || 'no source'}`,
    )
  await unpack(got.data, modelDir, options.onProgress)
  return { modelDir, source: got.source, sha256: sha256(got.data) }
}

async function hasMaven(): Promise<boolean> {
  try {
    await promisify(execFile)('mvn', ['-v'], { timeout: 30_000 })
    return true
  } catch {
    return false
  }
}

async function text(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) })
  if (!res.ok) throw new Error(`HTTP ${res.status}`)
  return res.text()
}

async function download(url: string, onProgress?: (p: FetchProgress) => void): Promise<Uint8Array> {
  const res = await fetch(url, { signal: AbortSignal.timeout(600_000) })
  if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`)
  const total = Number(res.headers.get('content-length') ?? 0)
  const chunks: Uint8Array[] = []
  let done = 0
  const reader = res.body.getReader()
  for (;;) {
    const { done: end, value: chunk } = await reader.read()
    if (end) break
    chunks.push(chunk)
    done += chunk.length
    onProgress?.({ phase: 'download', done, total: Math.max(total, done) })
  }
  return Buffer.concat(chunks)
}

/** Unpacks the two model files, writes the configs transformers.js needs and a manifest, then renames into place. */
async function unpack(jar: Uint8Array, modelDir: string, onProgress?: (p: FetchProgress) => void): Promise<void> {
  const { default: JSZip } = await import('jszip')
  const zip = await JSZip.loadAsync(jar)
  const tmp = `${modelDir}.${process.pid}.tmp`
  fs.rmSync(tmp, { recursive: true, force: true })
  const entries = Object.entries(BGE_SMALL_ZH.files)
  let done = 0
  for (const [inJar, target] of entries) {
    const file = zip.file(inJar)
    if (!file) throw new ModelFetchError(`the jar lacks ${inJar}`)
    const out = path.join(tmp, target)
    fs.mkdirSync(path.dirname(out), { recursive: true })
    fs.writeFileSync(out, await file.async('uint8array'))
    onProgress?.({ phase: 'unpack', done: ++done, total: entries.length })
  }
  const license = zip.file('README')
  if (license) fs.writeFileSync(path.join(tmp, 'README.langchain4j'), await license.async('uint8array'))
  const json = (file: string, value: unknown) => {
    fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true })
    fs.writeFileSync(path.join(tmp, file), `${JSON.stringify(value, null, 2)}\n`)
  }
  json('config.json', bertConfig())
  json('tokenizer_config.json', tokenizerConfig())
  json('1_Pooling/config.json', poolingConfig())
  json(MANIFEST, {
    model: 'BAAI/bge-small-zh-v1.5 (int8-quantized ONNX)',
    artifact: `${BGE_SMALL_ZH.groupId}:${BGE_SMALL_ZH.artifactId}:${BGE_SMALL_ZH.version}`,
    sha256: BGE_SMALL_ZH.sha256,
    licence: 'jar: Apache-2.0 (LangChain4j); weights: MIT (BAAI)',
  })
  fs.rmSync(modelDir, { recursive: true, force: true })
  fs.mkdirSync(path.dirname(modelDir), { recursive: true })
  fs.renameSync(tmp, modelDir)
}
