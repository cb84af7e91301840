/** Node flags for a long-running server; see server-node-flags.js. */
export declare const SERVER_NODE_FLAGS: readonly string[]
/** Whether this command line starts a server and the flags are not set yet. */
export declare function serverFlagsMissing(args: readonly string[], execArgv: readonly string[]): boolean
