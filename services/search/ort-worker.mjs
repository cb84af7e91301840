// The onnxruntime session of LocalEmbedder (embedder.ts), run in a worker thread. onnxruntime-node's
// session.run computes on the calling thread, so in the server one forward pass (a new question, the few
// candidate passages) held every other request for its milliseconds. Here the main thread only tokenizes,
// pads and pools; the forward pass runs on another core. Plain JavaScript on purpose: a worker started
// from the server, the compiled CLI or a test runner loads it without a TypeScript loader.
//
// Protocol: workerData { modelFile, options } → { ready, inputNames, outputNames } or { error };
// { id, feeds: { name: { type, data, dims } }, firstToken } → { id, outputs: { name: { data, dims } } } or
// { id, error }; with firstToken, a [batch × tokens × dim] output comes back as [batch × 1 × dim] (token 0 only).
import { parentPort, workerData } from 'node:worker_threads'
import ort from 'onnxruntime-node'

const port = parentPort
if (!port) throw new Error('ort-worker.mjs runs as a worker thread')

let session
try {
  session = await ort.InferenceSession.create(workerData.modelFile, workerData.options)
  port.postMessage({ ready: true, inputNames: session.inputNames, outputNames: session.outputNames })
} catch (e) {
  port.postMessage({ error: e instanceof Error ? e.message : String(e) })
}

port.on('message', async (msg) => {
  if (msg === 'release') {
    await session?.release()
    port.close()
    return
  }
  const { id, feeds, firstToken } = msg
  try {
    const tensors = {}
    for (const [name, f] of Object.entries(feeds)) tensors[name] = new ort.Tensor(f.type, f.data, f.dims)
    const result = await session.run(tensors)
    const outputs = {}
    const transfer = []
    for (const [name, t] of Object.entries(result)) {
      // [CLS] pooling reads only each text's first token: send [batch × 1 × dim], not every token's state
      const [size, length, dim] = t.dims
      const cut = firstToken && t.dims.length === 3 && length > 1
      // (either way a copy the worker owns, so its buffer moves to the main thread without another copy)
      const data = cut ? new Float32Array(size * dim) : t.data.slice()
      if (cut)
        for (let b = 0; b < size; b++) data.set(t.data.subarray(b * length * dim, b * length * dim + dim), b * dim)
      outputs[name] = { data, dims: cut ? [size, 1, dim] : [...t.dims] }
      transfer.push(data.buffer)
    }
    port.postMessage({ id, outputs }, transfer)
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? e.message : String(e) })
  }
})
