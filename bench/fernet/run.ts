/**
 * Fernet benchmark: our implementation inside workerd (the production runtime) against Python's
 * `cryptography` and npm `fernet` 0.4.0, all on one ~400-byte Amazon-style refresh token, in one run.
 *
 *   node bench/fernet/run.ts            (npm run bench:fernet)
 *   node bench/fernet/run.ts --check    also exit 1 when a target is missed
 *
 * Targets (docs/architecture.md, Flows: token encryption): ours in workerd ≥ 1.2× Python and ≥ 10× npm fernet, for encrypt and decrypt.
 *
 * How it measures: every contender does sequential operations on one core. Rounds are interleaved
 * (workerd, Python, npm, … then the next round), so all of them sample the same background load, and the
 * best round of each counts: other work on the machine can only slow a round down. workerd freezes its
 * clocks during pure CPU work, so its rounds are timed from Node around one request of N operations,
 * minus the round trip of an empty request.
 */
import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Fernet } from '../../worker/src/crypto/fernet.ts'

process.env.WRANGLER_SEND_METRICS = 'false'
process.env.CLOUDFLARE_CF_FETCH_ENABLED = 'false'

const ROUNDS = 10
const WORKERD_OPS_PER_REQUEST = 15_000
const ROUND_SECONDS = 0.25 // for the contenders that time themselves (Python, Node)
const TARGET_VS_PYTHON = 1.2
const TARGET_VS_NPM = 10

type Operation = 'encrypt' | 'decrypt'
const OPERATIONS: Operation[] = ['encrypt', 'decrypt']

/** Runs one timed round of an operation and answers its rate in operations per second. */
type Contender = { name: string; round(operation: Operation): Promise<number>; close(): Promise<void> }

const key = Fernet.generateKey()
const payload = refreshTokenLike(400)

function refreshTokenLike(length: number): string {
  const body = Buffer.from(crypto.getRandomValues(new Uint8Array(length))).toString('base64url')
  return `Atzr|${body}`.slice(0, length)
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[sorted.length >> 1]!
}

async function startWorkerd(): Promise<Contender> {
  const { unstable_startWorker } = await import('wrangler')
  const worker = await unstable_startWorker({
    config: fileURLToPath(new URL('./wrangler.jsonc', import.meta.url)),
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, watch: false, logLevel: 'warn' },
  })
  await worker.ready
  const query = `key=${encodeURIComponent(key)}&payload=${encodeURIComponent(payload)}`
  const timeRequest = async (path: string, n: number): Promise<number> => {
    const started = performance.now()
    const response = await worker.fetch(`http://bench/${path}?n=${n}&${query}`)
    const body = (await response.json()) as { n: number; checksum: number }
    if (!response.ok || body.n !== n || (path !== 'noop' && body.checksum === 0)) {
      throw new Error(`bench worker answered ${response.status} ${JSON.stringify(body)}`)
    }
    return performance.now() - started
  }
  const emptyRoundTrips: number[] = []
  for (let i = 0; i < 15; i++) emptyRoundTrips.push(await timeRequest('noop', 0))
  const roundTrip = median(emptyRoundTrips)
  return {
    name: 'ours, workerd',
    round: async (operation) => {
      const ms = (await timeRequest(operation, WORKERD_OPS_PER_REQUEST)) - roundTrip
      return (WORKERD_OPS_PER_REQUEST / ms) * 1000
    },
    close: () => worker.dispose(),
  }
}

// A Python process that waits for "encrypt"/"decrypt" lines and answers each with one round's rate.
const PYTHON_BENCH = `
import json, sys, time
from cryptography.fernet import Fernet
job = json.loads(sys.stdin.readline())
f = Fernet(job['key'])
data = job['payload'].encode()
token = f.encrypt(data)
assert f.decrypt(token) == data
ops = {'encrypt': lambda: f.encrypt(data), 'decrypt': lambda: f.decrypt(token)}
print(__import__('cryptography').__version__, flush=True)
for line in sys.stdin:
    op = ops[line.strip()]
    count, started = 0, time.perf_counter()
    while True:
        for _ in range(500):
            op()
        count += 500
        elapsed = time.perf_counter() - started
        if elapsed >= job['seconds']:
            break
    print(count / elapsed, flush=True)
`

async function startPython(): Promise<Contender> {
  const python = spawn('python3', ['-c', PYTHON_BENCH], { stdio: ['pipe', 'pipe', 'inherit'] })
  const failed = new Promise<never>((_, reject) => {
    python.on('error', (error) => reject(new Error(`python3 with the cryptography package is needed: ${error.message}`)))
    python.on('exit', (code) => reject(new Error(`python3 bench exited with ${code} (is cryptography installed?)`)))
  })
  failed.catch(() => {}) // observed through the races below
  const lines = createInterface({ input: python.stdout })[Symbol.asyncIterator]()
  const nextLine = async () => {
    const line = await Promise.race([lines.next(), failed])
    if (line.done) throw new Error('python3 bench ended early')
    return line.value
  }
  python.stdin.write(`${JSON.stringify({ key, payload, seconds: ROUND_SECONDS })}\n`)
  const version = await nextLine()
  return {
    name: `python cryptography ${version}`,
    round: async (operation) => {
      python.stdin.write(`${operation}\n`)
      return Number(await nextLine())
    },
    close: async () => {
      python.removeAllListeners('exit')
      python.stdin.end()
    },
  }
}

/** A round of an operation timed in this Node process. */
async function nodeRound(operation: () => unknown): Promise<number> {
  let count = 0
  let elapsed = 0
  const started = performance.now()
  while (elapsed < ROUND_SECONDS * 1000) {
    for (let i = 0; i < 50; i++) {
      const result = operation()
      if (result instanceof Promise) await result // npm fernet is synchronous: no await to pay for
    }
    count += 50
    elapsed = performance.now() - started
  }
  return (count / elapsed) * 1000
}

type NpmFernet = {
  Secret: new (key: string) => unknown
  Token: new (options: { secret: unknown; token?: string; ttl?: number }) => {
    encode(message: string): string
    decode(): string
  }
}

async function startNpmFernet(): Promise<Contender> {
  const npm = createRequire(import.meta.url)('fernet') as NpmFernet
  const secret = new npm.Secret(key)
  const token = new npm.Token({ secret, ttl: 0 }).encode(payload)
  // Each must read the other's tokens, or the two would not be doing the same work.
  const ours = new Fernet(key)
  if (new TextDecoder().decode(await ours.decrypt(token)) !== payload) throw new Error('npm fernet token unreadable')
  if (new npm.Token({ secret, token: await ours.encrypt(payload), ttl: 0 }).decode() !== payload) {
    throw new Error('our token unreadable by npm fernet')
  }
  const operations = {
    encrypt: () => new npm.Token({ secret, ttl: 0 }).encode(payload),
    decrypt: () => new npm.Token({ secret, token, ttl: 0 }).decode(),
  }
  return { name: 'npm fernet 0.4.0, Node', round: (operation) => nodeRound(operations[operation]), close: async () => {} }
}

async function startOursInNode(): Promise<Contender> {
  const fernet = new Fernet(key)
  const token = await fernet.encrypt(payload)
  const operations = { encrypt: () => fernet.encrypt(payload), decrypt: () => fernet.decrypt(token) }
  return {
    name: `ours, Node ${process.versions.node} (reference)`,
    round: (operation) => nodeRound(operations[operation]),
    close: async () => {},
  }
}

const started = performance.now()
const contenders = [await startWorkerd(), await startPython(), await startNpmFernet(), await startOursInNode()]
const [workerd, python, npmFernet] = contenders as [Contender, Contender, Contender, Contender]
const rates = new Map(contenders.map((contender) => [contender, { encrypt: [] as number[], decrypt: [] as number[] }]))
try {
  // Round 0 warms every contender up (JIT tiers, caches, key import) and is not counted.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const operation of OPERATIONS) {
      for (const contender of contenders) {
        const rate = await contender.round(operation)
        if (round > 0) rates.get(contender)![operation].push(rate)
      }
    }
  }
} finally {
  for (const contender of contenders) await contender.close()
}

const best = (contender: Contender, operation: Operation) => Math.max(...rates.get(contender)![operation])
const ratio = (a: Contender, b: Contender, operation: Operation) => best(a, operation) / best(b, operation)
const meets = (other: Contender, target: number) => OPERATIONS.every((op) => ratio(workerd, other, op) >= target)
const number = (value: number) => Math.round(value).toLocaleString('en-US').padStart(10)
const times = (value: number) => `${value.toFixed(2)}×`.padStart(10)
const label = (text: string) => text.padEnd(36)

console.log(`Fernet on a ${payload.length}-byte refresh token: ops/s, best of ${ROUNDS} interleaved rounds, one core each`)
console.log(`${label('')}${'encrypt'.padStart(10)}${'decrypt'.padStart(10)}`)
for (const contender of contenders) {
  console.log(`${label(contender.name)}${number(best(contender, 'encrypt'))}${number(best(contender, 'decrypt'))}`)
}
const verdicts: Array<[string, Contender, number]> = [
  ['ours (workerd) / python', python, TARGET_VS_PYTHON],
  ['ours (workerd) / npm fernet', npmFernet, TARGET_VS_NPM],
]
for (const [text, other, target] of verdicts) {
  const verdict = meets(other, target) ? 'met' : 'NOT MET'
  console.log(`${label(text)}${times(ratio(workerd, other, 'encrypt'))}${times(ratio(workerd, other, 'decrypt'))}   target ≥ ${target}×: ${verdict}`)
}
console.log(`(${((performance.now() - started) / 1000).toFixed(1)} s)`)
if (process.argv.includes('--check') && !verdicts.every(([, other, target]) => meets(other, target))) process.exitCode = 1
