import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { chatConcurrencyOf, TurnGate } from '../../services/answer/turn-gate.js'
import { AppError } from '../../services/shared/errors.js'

/** A turn that finishes when told to, recording when it started. */
function controllable(log: string[], name: string) {
  let finish!: () => void
  const done = new Promise<void>((r) => (finish = r))
  return {
    finish: () => finish(),
    turn: async () => {
      log.push(`start ${name}`)
      await done
      log.push(`end ${name}`)
      return name
    },
  }
}

const tick = () => new Promise((r) => setImmediate(r))

describe('TurnGate', () => {
  it('composes at most `concurrency` turns at once and starts the waiting ones in arrival order', async () => {
    const gate = new TurnGate({ concurrency: 2, queue: 10 })
    const log: string[] = []
    const turns = ['a', 'b', 'c', 'd', 'e'].map((n) => controllable(log, n))
    const results = turns.map((t) => gate.run(t.turn))
    await tick()
    expect(log).toEqual(['start a', 'start b'])
    expect([gate.active, gate.waiting]).toEqual([2, 3])
    // b finishing frees one slot: c (the oldest waiting) starts, not e.
    turns[1]!.finish()
    await tick()
    expect(log).toEqual(['start a', 'start b', 'end b', 'start c'])
    turns[0]!.finish()
    await tick()
    expect(log.at(-1)).toBe('start d')
    for (const t of turns) t.finish()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect([gate.active, gate.waiting]).toEqual([0, 0])
  })

  it('refuses at once with BUSY (503, Chinese message) when every slot is busy and the line is full', async () => {
    const gate = new TurnGate({ concurrency: 1, queue: 1 })
    const log: string[] = []
    const a = controllable(log, 'a')
    const b = controllable(log, 'b')
    const first = gate.run(a.turn)
    const second = gate.run(b.turn)
    expect(gate.full).toBe(true)
    let ran = false
    const third = gate.run(async () => {
      ran = true
      return 'c'
    })
    const err = await third.then(
      () => null,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('BUSY')
    expect((err as AppError).status).toBe(503)
    expect((err as AppError).userMessage).toBe('当前咨询人数较多，请稍后再试')
    expect(ran).toBe(false)
    expect(gate.refused).toBe(1)
    a.finish()
    b.finish()
    expect(await Promise.all([first, second])).toEqual(['a', 'b'])
    // The line has room again.
    expect(gate.full).toBe(false)
    expect(await gate.run(async () => 'd')).toBe('d')
  })

  it('a turn that throws frees its slot for the next one and keeps its own error', async () => {
    const gate = new TurnGate({ concurrency: 1, queue: 5 })
    const failing = gate.run(async () => {
      throw new AppError('SESSION_NOT_FOUND')
    })
    const next = gate.run(async () => 'next')
    await expect(failing).rejects.toMatchObject({ code: 'SESSION_NOT_FOUND' })
    expect(await next).toBe('next')
    expect(gate.active).toBe(0)
  })

  it('idle() waits for composed and waiting turns, and gives up after its timeout', async () => {
    const gate = new TurnGate({ concurrency: 1, queue: 5 })
    const log: string[] = []
    const a = controllable(log, 'a')
    const runs = [gate.run(a.turn), gate.run(async () => 'b')]
    expect(await gate.idle(30)).toBe(false)
    setTimeout(() => a.finish(), 20)
    expect(await gate.idle(2000)).toBe(true)
    expect(log).toEqual(['start a', 'end a'])
    expect(await Promise.all(runs)).toEqual(['a', 'b'])
  })

  it('queue 0 lets nobody wait: only free slots take turns', async () => {
    const gate = new TurnGate({ concurrency: 2, queue: 0 })
    const log: string[] = []
    const a = controllable(log, 'a')
    const b = controllable(log, 'b')
    const runs = [gate.run(a.turn), gate.run(b.turn)]
    await expect(gate.run(async () => 'c')).rejects.toMatchObject({ code: 'BUSY' })
    a.finish()
    b.finish()
    await Promise.all(runs)
  })

  it('rejects nonsensical sizes and derives the default from whether an LLM composes', () => {
    expect(() => new TurnGate({ concurrency: 0, queue: 1 })).toThrow(RangeError)
    expect(() => new TurnGate({ concurrency: 1.5, queue: 1 })).toThrow(RangeError)
    expect(() => new TurnGate({ concurrency: 1, queue: -1 })).toThrow(RangeError)
    expect(chatConcurrencyOf({ chatConcurrency: 0, llmBaseUrl: '' })).toBe(4)
    expect(chatConcurrencyOf({ chatConcurrency: 0, llmBaseUrl: 'http://127.0.0.1:9/v1' })).toBe(32)
    expect(chatConcurrencyOf({ chatConcurrency: 7, llmBaseUrl: 'http://127.0.0.1:9/v1' })).toBe(7)
  })

  it('exposes active, waiting and refused turns as Prometheus gauges', async () => {
    const registry = new Registry()
    const gate = new TurnGate({ concurrency: 1, queue: 0 })
    gate.register(registry)
    const log: string[] = []
    const a = controllable(log, 'a')
    const run = gate.run(a.turn)
    await expect(gate.run(async () => 'x')).rejects.toMatchObject({ code: 'BUSY' })
    const text = await registry.metrics()
    expect(text).toMatch(/^taxkb_chat_turns_active 1$/m)
    expect(text).toMatch(/^taxkb_chat_turns_waiting 0$/m)
    expect(text).toMatch(/^taxkb_chat_turns_refused_total 1$/m)
    a.finish()
    await run
  })
})
