// Node flags for a long-running server (`taxkb serve`, `taxkb start`; the chat bench starts its server with them
// too). --max-semi-space-size=8: V8 sizes the young generation from the machine's memory (64 MB semi-spaces,
// 128 MB committed on this 23.5 GB VM), and start-up's short-lived garbage (entries, snapshot, passage vectors)
// grows it to the maximum, which then stays resident. 8 MB semi-spaces cut RSS at ready by ≈ 110 MB with no loss
// of chat throughput measured (README "Benchmarks"). Override by passing the flag yourself:
//   node --max-semi-space-size=32 bin/taxkb.js serve
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=8']

const SERVER_COMMANDS = new Set(['serve', 'start'])

/** Whether this command line starts a server and the flags are not set yet (by us or by the operator). */
export function serverFlagsMissing(args, execArgv) {
  const command = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--data-dir')
  if (!command || !SERVER_COMMANDS.has(command)) return false
  return !execArgv.some((a) => a.startsWith('--max-semi-space-size'))
}
