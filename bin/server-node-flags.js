// Node flags for a long-running server (`taxkb serve`, `taxkb start`; the chat bench starts its server with them
// too). --max-semi-space-size=8: V8 sizes the young generation from the machine's memory (64 MB semi-spaces,
// 128 MB committed on this 23.5 GB VM), and start-up's short-lived garbage (entries, snapshot, passage vectors)
// grows it to the maximum, which then stays resident. 8 MB semi-spaces cut RSS at ready by ≈ 110 MB with no loss
// of chat throughput measured (README "Benchmarks"). Override by passing the flag yourself:
//   node --max-semi-space-size=32 bin/taxkb.js serve
// --max-old-space-size=256: V8 grows the old generation under load and, with no major GC pending, keeps the
// garbage resident (RSS 635-715 MB after 50 clients, live heap ≈ 125 MB). A 256 MB cap makes it collect
// instead: RSS after the same load 444-451 MB, chat throughput unchanged (README "Benchmarks"); a fresh
// import of the bundled corpus at first start stays well inside it.
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8', '--max-old-space-size=256']

// Environment the re-executed server starts with, under the operator's own values (theirs win). MALLOC_ARENA_MAX=2:
// glibc gives every thread that allocates (libuv's pool running onnxruntime, V8's helpers) its own malloc arena,
// each keeping its high-water mark; two arenas cut the server's native memory after 50-client load by ≈ 13 MB
// (three interleaved runs each, README "Benchmarks"). Read by glibc at process start only, so it must be set here.
export const SERVER_ENV = { MALLOC_ARENA_MAX: '2' }

const SERVER_COMMANDS = new Set(['serve', 'start'])

/** Whether this command line starts a server and the flags are not set yet (by us or by the operator). */
export function serverFlagsMissing(args, execArgv) {
  const command = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--data-dir')
  if (!command || !SERVER_COMMANDS.has(command)) return false
  // the operator's own value comes after ours on the command line, so it wins; only a flag never given is added
  return SERVER_NODE_FLAGS.some((f) => !execArgv.some((a) => a.startsWith(f.split('=')[0])))
}
