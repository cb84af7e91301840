/**
 * The Node flags a long-running server runs with, for code that starts one itself (the chat bench). The source of
 * truth and the reason are in bin/server-node-flags.js, which bin/taxkb.js applies before any TypeScript loads;
 * test/unit/server-node-flags.test.ts keeps the two equal.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--max-old-space-size=256']

/** The environment such a server starts with under the caller's own (bin/server-node-flags.js says why). */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' }
