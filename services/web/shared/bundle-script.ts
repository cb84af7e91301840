/**
 * Bundles one browser entry point (TypeScript) into a single minified IIFE with esbuild, in memory: how the
 * widget and the booking pages are served without a build step. Same options for every page, on purpose.
 */
import { build } from 'esbuild'

export async function bundleScript(entryPoint: string, what: string): Promise<Buffer> {
  const result = await build({
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error(`esbuild produced no output for ${what}`)
  return Buffer.from(file.contents)
}
