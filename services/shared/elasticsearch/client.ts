/**
 * The one Elasticsearch client factory (store and search share its settings): node URL, API key or basic
 * auth, and a CA file for TLS. Readiness is checked with cluster.health because some builds (the
 * integ-test zip used by scripts/es-start.sh) lack the root endpoint that client.info()/ping() use.
 */
import fs from 'node:fs'
import { Client, errors, type ClientOptions } from '@elastic/elasticsearch'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'

export type EsConfig = Pick<
  Config,
  | 'elasticsearchUrl'
  | 'elasticsearchApiKey'
  | 'elasticsearchUsername'
  | 'elasticsearchPassword'
  | 'elasticsearchCaFile'
  | 'esIndexPrefix'
>

export function createEsClient(config: EsConfig): Client {
  if (!config.elasticsearchUrl) throw new AppError('BACKEND_UNAVAILABLE', 'ELASTICSEARCH_URL is not set')
  const opts: ClientOptions = { node: config.elasticsearchUrl, requestTimeout: 30_000, maxRetries: 2 }
  if (config.elasticsearchApiKey) opts.auth = { apiKey: config.elasticsearchApiKey }
  else if (config.elasticsearchUsername)
    opts.auth = { username: config.elasticsearchUsername, password: config.elasticsearchPassword }
  if (config.elasticsearchCaFile) opts.tls = { ca: fs.readFileSync(config.elasticsearchCaFile, 'utf8') }
  return new Client(opts)
}

export function statusOf(e: unknown): number | undefined {
  return e instanceof errors.ResponseError ? e.meta.statusCode : undefined
}

export async function clusterHealth(client: Client): Promise<{ ok: boolean; detail?: string }> {
  try {
    const h = await client.cluster.health({ timeout: '5s' })
    return { ok: h.status !== 'red', detail: `cluster ${h.cluster_name} ${h.status}` }
  } catch (e) {
    return { ok: false, detail: (e as Error).message }
  }
}

/** Wraps a client failure as BACKEND_UNAVAILABLE so the API answers 503 with a stable code. */
export function unavailable(what: string, e: unknown): AppError {
  if (e instanceof AppError) return e
  return new AppError('BACKEND_UNAVAILABLE', `elasticsearch ${what}: ${(e as Error).message}`, { cause: e })
}
