import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time of this process and everything it started (wrangler, workerd, PostgREST, a PostgreSQL
 * server), read from /proc, plus the machine's total busy time: where the CPU went during a round,
 * and how much of the machine other work took meanwhile. Linux only; elsewhere it reports nothing.
 */

/** USER_HZ: the unit of /proc's CPU times (100 on every Linux this runs on). */
const TICK_MS = 10

type ProcTimes = { pid: number; ppid: number; comm: string; ticks: number }
export type CpuSnapshot = { at: number; processes: Map<number, { label: string; ticks: number }>; machineBusyTicks: number; machineTotalTicks: number }
export type CpuUse = {
  seconds: number
  /** CPU milliseconds per process group, largest first. */
  byLabel: Array<[label: string, ms: number]>
  /** Our process tree, in CPU milliseconds. */
  oursMs: number
  /** The whole machine, in CPU milliseconds (all cores). */
  machineBusyMs: number
  /** Machine capacity over the interval, in CPU milliseconds (cores × wall time). */
  machineCapacityMs: number
}

function readProc(pid: number): ProcTimes | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // comm is in parentheses and may hold spaces: split after its closing one.
    const close = stat.lastIndexOf(')')
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const fields = stat.slice(close + 2).split(' ')
    // fields[0] is state (field 3); utime, stime are fields 14, 15.
    return { pid, ppid: Number(fields[1]), comm, ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined
  }
}

function label(pid: number, comm: string): string {
  if (pid === process.pid) return 'bench process (node: autocannon, Amazon + Clerk stand-ins, gateway, counting proxy, PGlite)'
  let cmdline = ''
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {}
  if (comm === 'workerd' || /\bworkerd\b/.test(cmdline)) return 'workerd (the Worker, its Durable Objects)'
  if (/wrangler/.test(cmdline)) return 'wrangler (node)'
  if (/postgrest/i.test(comm) || /postgrest/i.test(cmdline)) return 'PostgREST'
  if (comm.startsWith('postgres') || /\bpostgres\b/.test(cmdline)) return 'PostgreSQL server'
  if (/esbuild/.test(cmdline)) return 'esbuild'
  return comm
}

function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!
    const values = line.trim().split(/\s+/).slice(1).map(Number)
    const total = values.reduce((sum, n) => sum + n, 0)
    const idle = (values[3] ?? 0) + (values[4] ?? 0) // idle + iowait
    return { busy: total - idle, total }
  } catch {
    return { busy: 0, total: 0 }
  }
}

export function cpuSnapshot(): CpuSnapshot {
  const all: ProcTimes[] = []
  let pids: string[] = []
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
  } catch {}
  for (const name of pids) {
    const proc = readProc(Number(name))
    if (proc) all.push(proc)
  }
  const children = new Map<number, ProcTimes[]>()
  for (const proc of all) children.set(proc.ppid, [...(children.get(proc.ppid) ?? []), proc])
  const processes = new Map<number, { label: string; ticks: number }>()
  const own = all.find((proc) => proc.pid === process.pid)
  const queue = own ? [own] : []
  while (queue.length) {
    const proc = queue.shift()!
    processes.set(proc.pid, { label: label(proc.pid, proc.comm), ticks: proc.ticks })
    queue.push(...(children.get(proc.pid) ?? []))
  }
  const machine = machineTicks()
  return { at: performance.now(), processes, machineBusyTicks: machine.busy, machineTotalTicks: machine.total }
}

/** CPU used between two snapshots (processes that started in between count from zero). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): CpuUse {
  const byLabel = new Map<string, number>()
  for (const [pid, proc] of after.processes) {
    const ms = (proc.ticks - (before.processes.get(pid)?.ticks ?? 0)) * TICK_MS
    byLabel.set(proc.label, (byLabel.get(proc.label) ?? 0) + ms)
  }
  const oursMs = [...byLabel.values()].reduce((sum, ms) => sum + ms, 0)
  return {
    seconds: (after.at - before.at) / 1000,
    byLabel: [...byLabel].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]),
    oursMs,
    machineBusyMs: (after.machineBusyTicks - before.machineBusyTicks) * TICK_MS,
    machineCapacityMs: (after.machineTotalTicks - before.machineTotalTicks) * TICK_MS,
  }
}

/** Adds CPU use of several intervals (the rounds of one route). */
export function addCpu(a: CpuUse | undefined, b: CpuUse): CpuUse {
  if (!a) return b
  const byLabel = new Map(a.byLabel)
  for (const [name, ms] of b.byLabel) byLabel.set(name, (byLabel.get(name) ?? 0) + ms)
  return {
    seconds: a.seconds + b.seconds,
    byLabel: [...byLabel].sort((x, y) => y[1] - x[1]),
    oursMs: a.oursMs + b.oursMs,
    machineBusyMs: a.machineBusyMs + b.machineBusyMs,
    machineCapacityMs: a.machineCapacityMs + b.machineCapacityMs,
  }
}
