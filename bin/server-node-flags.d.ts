/** Node flags for a long-running server; see server-node-flags.js. */
export declare const SERVER_NODE_FLAGS: readonly string[]
/** Environment a re-executed server starts with, under the operator's own values. */
export declare const SERVER_ENV: Readonly<Record<string, string>>
/** Whether this command line starts a server and the flags are not set yet. */
export declare function serverFlagsMissing(args: readonly string[], execArgv: readonly string[]): boolean
