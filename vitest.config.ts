import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker per core minus one: a single worker on this 2-core machine, so test files ran
    // one after another while most of them wait on Elasticsearch, Chromium or child processes. Two: CI's tests
    // 501 s -> 338 s on a fresh clone (152 files, all passed), the whole run 617 s -> 432 s.
    maxWorkers: 2,
  },
})
