#!/usr/bin/env node
// Config is read once, in services/shared/config.ts (CONVENTIONS.md): fails when any other product source
// file reads process.env. dependency-cruiser sees imports only, so this is its companion in `npm run lint:deps`.
// Tests are not checked: they set variables for the child processes they start.
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '..')
const DIRS = ['services', 'knowledge', 'indexers', 'eval', 'bin']
// bin/taxkb.js reads nothing from the environment: it hands the whole of it, under SERVER_ENV's defaults, to the
// server it re-executes (process.execve takes the environment as an argument) before any TypeScript can load
const ALLOWED = new Set(['services/shared/config.ts', 'bin/taxkb.js'])
const SOURCE = /\.(?:ts|mts|cts|js|mjs|cjs)$/
const READ = /\bprocess\s*(?:\.\s*env\b|\[\s*['"`]env['"`]\s*\])/

const offenders = []
for (const dir of DIRS) {
  const abs = path.join(ROOT, dir)
  if (!fs.existsSync(abs)) continue
  for (const rel of fs.readdirSync(abs, { recursive: true, encoding: 'utf8' })) {
    const file = path.posix.join(dir, rel.split(path.sep).join('/'))
    if (!SOURCE.test(file) || file.includes('node_modules/') || ALLOWED.has(file)) continue
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n')
    lines.forEach((line, i) => {
      if (READ.test(line)) offenders.push(`${file}:${i + 1}: ${line.trim()}`)
    })
  }
}
if (offenders.length > 0) {
  console.error('process.env read outside services/shared/config.ts (add a variable to its VARIABLES table instead):')
  for (const o of offenders) console.error(`  ${o}`)
  process.exit(1)
}
console.log('✔ process.env is read only in services/shared/config.ts')
