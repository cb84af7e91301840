#!/usr/bin/env node
// Runs the CLI from JS compiled on first use (bin/compiled-cli.js, cached in .cache/cli/ and rebuilt when a
// source changes); falls back to tsx transpiling the TypeScript at start when it cannot compile.
import module from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { compiledCli } from './compiled-cli.js'
import { SERVER_ENV, SERVER_NODE_FLAGS, serverFlagsMissing } from './server-node-flags.js'

// A server caps V8's young generation (see server-node-flags.js): the process re-executes itself with the flag,
// same pid, before anything is loaded. Node 22 has no process.execve: it runs as is.
if (serverFlagsMissing(process.argv.slice(2), process.execArgv) && typeof process.execve === 'function') {
  process.execve(
    process.execPath,
    [process.execPath, ...SERVER_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)],
    { ...SERVER_ENV, ...process.env },
  )
}

// V8 code cache for every module loaded from here on (the compiled CLI, jieba, transformers.js …): later
// starts skip parsing and compiling them. Node keys entries by file content, so an edited file is recompiled.
module.enableCompileCache?.(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '.cache', 'v8-compile'))

const entry = await compiledCli()
// Another process may be swapping in a fresh build this very moment: then run from the sources instead.
const compiled = entry
  ? await import(entry).catch((e) => (e?.code === 'ERR_MODULE_NOT_FOUND' ? null : Promise.reject(e)))
  : null
if (compiled) {
  await compiled.main()
} else {
  const { register } = await import('tsx/esm/api')
  register()
  const { main } = await import('../services/cli/taxkb.ts')
  await main()
}
