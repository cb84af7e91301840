/**
 * Loads a versioned mapping / index-template JSON file (`{{prefix}}` → index prefix). Each owner keeps its
 * own files next to it: the store's in knowledge/store/mappings/, the search index's in
 * services/search/es/mappings/.
 */
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'

export function loadMappingFile<T = Record<string, unknown>>(file: URL, prefix: string): T {
  const raw = fs.readFileSync(fileURLToPath(file), 'utf8')
  const data = JSON.parse(raw.replaceAll('{{prefix}}', prefix)) as Record<string, unknown>
  delete data._comment
  return data as T
}
