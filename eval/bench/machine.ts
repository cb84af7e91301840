/** The machine and runtime a benchmark ran on, recorded next to every figure. */
import os from 'node:os'

export interface MachineInfo {
  date: string
  cpuModel: string
  cores: number
  memoryGb: number
  node: string
  platform: string
  /** 1-minute load average when the run started: other processes on the machine skew every figure. */
  loadAvg1: number
}

export function machineInfo(now = new Date()): MachineInfo {
  const cpus = os.cpus()
  return {
    date: now.toISOString(),
    cpuModel: (cpus[0]?.model ?? 'unknown').replace(/\s+/g, ' ').trim(),
    cores: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    memoryGb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadAvg1: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  }
}

export function machineLine(m: MachineInfo): string {
  return `${m.date.slice(0, 10)} · ${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB · Node ${m.node.replace(/^v/, '')} · ${m.platform} · load ${m.loadAvg1}`
}
