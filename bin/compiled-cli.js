// Compiles the CLI's TypeScript to plain JS once (esbuild, file by file, no bundle) into .cache/cli/, and
// again whenever a source file changed, so `taxkb` starts without tsx transpiling ~150 files each time.
// Each file keeps its own import.meta.url (rewritten to the source file's URL), so every path computed
// from it (REPO_ROOT, mapping files, widget assets) is exactly what it is when the .ts file runs.
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const SOURCE_DIRS = ['services', 'knowledge', 'indexers', 'eval']
const OUT = path.join(ROOT, '.cache', 'cli')
const STAMP = path.join(OUT, 'stamp.json')
const ENTRY = path.join(OUT, 'services', 'cli', 'taxkb.js')

function sourceFiles() {
  const files = []
  for (const dir of SOURCE_DIRS) {
    for (const rel of fs.readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })) {
      if (rel.endsWith('.ts') && !rel.endsWith('.d.ts') && !rel.includes('node_modules'))
        files.push(path.join(ROOT, dir, rel))
    }
  }
  return files.sort()
}

/** Cheap fingerprint: every source path with its size and mtime (a few ms for ~200 files). */
function fingerprint(files) {
  return files
    .map((f) => {
      const s = fs.statSync(f)
      return `${path.relative(ROOT, f)}:${s.size}:${Math.round(s.mtimeMs)}`
    })
    .join('\n')
}

async function compile(files, stamp) {
  const esbuild = await import('esbuild')
  const keepImportMetaUrl = {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8')
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: 'ts',
        }
      })
    },
  }
  const tmp = `${OUT}.${process.pid}.tmp`
  fs.rmSync(tmp, { recursive: true, force: true })
  await esbuild.build({
    entryPoints: files,
    outdir: tmp,
    outbase: ROOT,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [keepImportMetaUrl],
  })
  fs.writeFileSync(path.join(tmp, 'stamp.json'), JSON.stringify({ stamp }))
  fs.writeFileSync(path.join(tmp, 'package.json'), '{"type":"module"}\n')
  // Swap in whole: a concurrent run sees the old tree or the new one, never half of each.
  const old = `${OUT}.${process.pid}.old`
  if (fs.existsSync(OUT)) fs.renameSync(OUT, old)
  fs.renameSync(tmp, OUT)
  fs.rmSync(old, { recursive: true, force: true })
}

/** The compiled CLI entry, (re)built when stale; null when it cannot be built (then run through tsx). */
export async function compiledCli() {
  try {
    const files = sourceFiles()
    const stamp = fingerprint(files)
    let current = null
    try {
      current = JSON.parse(fs.readFileSync(STAMP, 'utf8')).stamp
    } catch {}
    if (current !== stamp) await compile(files, stamp)
    return pathToFileURL(ENTRY).href
  } catch {
    return null
  }
}
