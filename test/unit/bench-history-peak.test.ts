import { describe, expect, it } from 'vitest'
import { peakRssMb } from '../../eval/bench/history-bench.js'

describe('history bench: peak RSS of the server process', () => {
  it.skipIf(process.platform !== 'linux')('is VmHWM: at least the RSS now; none for a process that is gone', () => {
    const peak = peakRssMb(process.pid)
    expect(peak).toBeGreaterThanOrEqual(Math.floor(process.memoryUsage().rss / 2 ** 20))
    expect(peakRssMb(2 ** 22 + 1)).toBeUndefined() // above Linux's pid_max
    expect(peakRssMb(undefined)).toBeUndefined()
  })
})
