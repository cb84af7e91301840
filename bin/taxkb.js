#!/usr/bin/env node
// Runs the TypeScript CLI directly (no build step): tsx registers its ESM loader, then the CLI loads.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../services/cli/taxkb.ts')
await main()
