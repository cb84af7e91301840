/**
 * Where LocalEmbedder's forward pass runs. onnxruntime-node's `session.run` computes on the calling thread
 * (it only defers to setImmediate), so on the server's main thread one pass — a new question, or the few
 * candidate passages the answer layer embeds — held every other request for its milliseconds. `workerSession`
 * runs the same session in a worker thread (ort-worker.mjs): the main thread tokenizes, pads and pools, the
 * matrix work runs on another core, and the vectors are the same bytes (same model file, same options, same
 * inputs). `inThreadSession` is the plain session, for one-shot commands and as the fallback.
 */
import { Worker } from 'node:worker_threads'

export interface Int64Feed {
  type: 'int64'
  data: BigInt64Array
  dims: number[]
}

export interface ModelOutput {
  data: Float32Array
  dims: readonly number[]
}

export interface ModelSession {
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  /**
   * One forward pass. The feeds' buffers may be moved to the worker: do not reuse them after the call. With
   * `firstToken` a session may return a [batch × tokens × dim] output as [batch × 1 × dim] (only token 0, all
   * [CLS] pooling reads): the worker then sends a few KB instead of every token's state.
   */
  run(feeds: Record<string, Int64Feed>, options?: { firstToken?: boolean }): Promise<Record<string, ModelOutput>>
  release(): Promise<void>
}

export interface SessionOptions {
  executionProviders: string[]
  intraOpNumThreads: number
  interOpNumThreads: number
  logSeverityLevel: 0 | 1 | 2 | 3 | 4
}

export async function inThreadSession(modelFile: string, options: SessionOptions): Promise<ModelSession> {
  const ort = await import('onnxruntime-node')
  const session = await ort.InferenceSession.create(modelFile, options)
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors = Object.fromEntries(
        Object.entries(feeds).map(([name, f]) => [name, new ort.Tensor(f.type, f.data, f.dims)]),
      )
      const out = await session.run(tensors)
      return Object.fromEntries(
        Object.entries(out).map(([name, t]) => [name, { data: t.data as Float32Array, dims: t.dims }]),
      )
    },
    release: () => session.release(),
  }
}

type Reply = { id: number; outputs?: Record<string, ModelOutput>; error?: string }

/**
 * The session in a worker thread. The worker is unref'd while idle (a CLI command that embedded something
 * still exits) and ref'd while a pass is pending; if it dies, pending passes fail and the next load starts a
 * new one (LocalEmbedder drops a failed model).
 */
export async function workerSession(modelFile: string, options: SessionOptions): Promise<ModelSession> {
  const worker = new Worker(new URL('./ort-worker.mjs', import.meta.url), {
    workerData: { modelFile, options },
    // the worker is plain JavaScript: no TypeScript loader, and none of the parent's flags
    execArgv: [],
    // it only passes buffers through: a small heap (a default isolate reserves tens of MB of young space)
    resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 },
  })
  const pending = new Map<number, PromiseWithResolvers<Record<string, ModelOutput>>>()
  let next = 0
  let dead: Error | null = null
  const fail = (e: Error) => {
    dead = e
    for (const p of pending.values()) p.reject(e)
    pending.clear()
  }
  const ready = await new Promise<{ inputNames: string[]; outputNames: string[] }>((resolve, reject) => {
    worker.once('message', (m: { ready?: boolean; error?: string; inputNames: string[]; outputNames: string[] }) =>
      m.ready ? resolve(m) : reject(new Error(m.error ?? 'the model worker did not start')),
    )
    worker.once('error', reject)
  }).catch(async (e: unknown) => {
    await worker.terminate()
    throw e
  })
  worker.on('message', (m: Reply) => {
    const p = pending.get(m.id)
    if (!p) return
    pending.delete(m.id)
    if (pending.size === 0) worker.unref()
    if (m.error !== undefined) p.reject(new Error(m.error))
    else p.resolve(m.outputs ?? {})
  })
  worker.on('error', (e) => fail(e))
  worker.on('exit', (code) => fail(new Error(`the model worker exited (code ${code})`)))
  worker.unref()
  return {
    inputNames: ready.inputNames,
    outputNames: ready.outputNames,
    run(feeds, runOptions) {
      if (dead) return Promise.reject(dead)
      const id = next++
      const p = Promise.withResolvers<Record<string, ModelOutput>>()
      pending.set(id, p)
      worker.ref()
      worker.postMessage(
        { id, feeds, firstToken: runOptions?.firstToken === true },
        Object.values(feeds).map((f) => f.data.buffer as ArrayBuffer),
      )
      return p.promise
    },
    async release() {
      worker.removeAllListeners('exit')
      await worker.terminate()
    },
  }
}
