/** Loads the versioned mapping / template JSON files next to this module (`{{prefix}}` → index prefix). */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

export function loadMappingFile<T = Record<string, unknown>>(file: string, prefix: string): T {
  const raw = fs.readFileSync(fileURLToPath(new URL(`./mappings/${file}`, import.meta.url)), 'utf8')
  const data = JSON.parse(raw.replaceAll('{{prefix}}', prefix)) as Record<string, unknown>
  delete data._comment
  return data as T
}
