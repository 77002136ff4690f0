/**
 * Interop with the reference implementation, Python's `cryptography.fernet`, in both directions.
 * Runs in Node (it spawns python3). Without python3 + cryptography the suite fails, saying so: these
 * tests are the proof of compatibility and must not pass by being skipped.
 */
import { spawnSync } from 'node:child_process'
import { beforeAll, describe, expect, it } from 'vitest'
import { base64urlDecode, base64urlEncode } from '../../src/crypto/base64url.ts'
import { Fernet, InvalidToken, MultiFernet } from '../../src/crypto/fernet.ts'
import { encryptWithIv } from '../support/fernet-fixed-iv.ts'

/** Runs a Python snippet that reads JSON from stdin (as `data`) and assigns its answer to `result`. */
function python<T>(body: string, input: unknown): T {
  const program = [
    'import base64, json, sys',
    'from cryptography.fernet import Fernet, MultiFernet, InvalidToken',
    'b64 = lambda b: base64.b64encode(b).decode()',
    'unb64 = lambda s: base64.b64decode(s)',
    'data = json.load(sys.stdin)',
    body,
    'json.dump(result, sys.stdout)',
  ].join('\n')
  const run = spawnSync('python3', ['-c', program], { input: JSON.stringify(input), encoding: 'utf8', timeout: 30_000 })
  if (run.error) throw new Error(`could not run python3: ${run.error.message}`)
  if (run.status !== 0) throw new Error(`python3 exited with ${run.status}: ${run.stderr}`)
  return JSON.parse(run.stdout) as T
}

const toB64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'))

const payloads: Uint8Array[] = [
  new Uint8Array(0),
  new TextEncoder().encode('hello'),
  new Uint8Array(16).fill(7),
  new Uint8Array(32).fill(9),
  new TextEncoder().encode(`Atzr|${'IwEBI'.repeat(79)}`),
  new TextEncoder().encode('grüße ✓ 🔐'),
  crypto.getRandomValues(new Uint8Array(65_536)),
]

beforeAll(() => {
  const probe = spawnSync('python3', ['-c', 'import cryptography; print(cryptography.__version__)'], { encoding: 'utf8' })
  if (probe.error || probe.status !== 0) {
    throw new Error(
      'The Fernet interop tests need python3 with the `cryptography` package (the reference implementation). ' +
        `Install it (e.g. apt-get install python3-cryptography, or pip install cryptography). Details: ${
          probe.error?.message ?? probe.stderr.trim()
        }`,
    )
  }
})

describe('interop with Python cryptography.fernet', () => {
  it('decrypts what Python encrypts, with its timestamps', async () => {
    const out = python<{ key: string; tokens: Array<{ token: string; timestamp: number }> }>(
      `key = Fernet.generate_key()
f = Fernet(key)
tokens = []
for i, p in enumerate(data['payloads']):
    t = f.encrypt_at_time(unb64(p), 1_700_000_000 + i)
    tokens.append({'token': t.decode(), 'timestamp': f.extract_timestamp(t)})
result = {'key': key.decode(), 'tokens': tokens}`,
      { payloads: payloads.map(toB64) },
    )
    const fernet = new Fernet(out.key)
    for (const [i, { token, timestamp }] of out.tokens.entries()) {
      expect(await fernet.decrypt(token)).toEqual(payloads[i])
      expect(await fernet.decryptAtTime(token, 60, 1_700_000_030 + i)).toEqual(payloads[i])
      await expect(fernet.decryptAtTime(token, 60, 1_700_000_061 + i)).rejects.toBeInstanceOf(InvalidToken)
      expect(await fernet.extractTimestamp(token)).toBe(timestamp)
    }
  })

  it('produces tokens Python decrypts, and Python accepts our keys', async () => {
    const key = Fernet.generateKey()
    const fernet = new Fernet(key)
    const tokens = await Promise.all(payloads.map((payload, i) => fernet.encryptAtTime(payload, 1_600_000_000 + i)))
    const out = python<Array<{ plaintext: string; timestamp: number; expired: boolean }>>(
      `f = Fernet(data['key'])
result = []
for i, t in enumerate(data['tokens']):
    try:
        f.decrypt_at_time(t, 60, 1_600_000_061 + i)
        expired = False
    except InvalidToken:
        expired = True
    result.append({'plaintext': b64(f.decrypt_at_time(t, 60, 1_600_000_030 + i)),
                   'timestamp': f.extract_timestamp(t), 'expired': expired})`,
      { key, tokens },
    )
    expect(out).toHaveLength(payloads.length)
    for (const [i, answer] of out.entries()) {
      expect(fromB64(answer.plaintext)).toEqual(payloads[i])
      expect(answer.timestamp).toBe(1_600_000_000 + i)
      expect(answer.expired).toBe(true)
    }
  })

  it('builds byte-identical tokens for the same key, time and IV', async () => {
    const key = Fernet.generateKey()
    const iv = crypto.getRandomValues(new Uint8Array(16))
    const ours = await Promise.all(payloads.map((payload, i) => encryptWithIv(key, payload, 1_500_000_000 + i, iv)))
    const theirs = python<string[]>(
      `f = Fernet(data['key'])
result = [f._encrypt_from_parts(unb64(p), 1_500_000_000 + i, unb64(data['iv'])).decode()
          for i, p in enumerate(data['payloads'])]`,
      { key, iv: toB64(iv), payloads: payloads.map(toB64) },
    )
    expect(ours).toEqual(theirs)
  })

  it('rotates Python tokens that Python then reads with the new key only', async () => {
    const [oldKey, newKey] = [Fernet.generateKey(), Fernet.generateKey()]
    const tokens = python<string[]>(
      `f = Fernet(data['key'])
result = [f.encrypt_at_time(b'Atzr|rotate-me-%d' % i, 1_650_000_000 + i).decode() for i in range(5)]`,
      { key: oldKey },
    )
    const keys = new MultiFernet([new Fernet(newKey), new Fernet(oldKey)])
    const rotated = await Promise.all(tokens.map((token) => keys.rotate(token)))
    const out = python<Array<{ plaintext: string; timestamp: number; oldKeyRejected: boolean }>>(
      `new, old = Fernet(data['new']), Fernet(data['old'])
result = []
for t in data['tokens']:
    try:
        old.decrypt(t)
        rejected = False
    except InvalidToken:
        rejected = True
    result.append({'plaintext': new.decrypt(t).decode(), 'timestamp': new.extract_timestamp(t),
                   'oldKeyRejected': rejected})`,
      { new: newKey, old: oldKey, tokens: rotated },
    )
    expect(out).toEqual(
      Array.from({ length: 5 }, (_, i) => ({
        plaintext: `Atzr|rotate-me-${i}`,
        timestamp: 1_650_000_000 + i,
        oldKeyRejected: true,
      })),
    )
  })

  it('reads tokens that Python’s MultiFernet rotated from ours', async () => {
    const [oldKey, newKey] = [Fernet.generateKey(), Fernet.generateKey()]
    const tokens = await Promise.all(
      Array.from({ length: 5 }, (_, i) => new Fernet(oldKey).encryptAtTime(`Atzr|py-rotates-${i}`, 1_660_000_000 + i)),
    )
    const rotated = python<string[]>(
      `m = MultiFernet([Fernet(data['new']), Fernet(data['old'])])
result = [m.rotate(t).decode() for t in data['tokens']]`,
      { new: newKey, old: oldKey, tokens },
    )
    const newFernet = new Fernet(newKey)
    for (const [i, token] of rotated.entries()) {
      expect(new TextDecoder().decode(await newFernet.decrypt(token))).toBe(`Atzr|py-rotates-${i}`)
      expect(await newFernet.extractTimestamp(token)).toBe(1_660_000_000 + i)
      await expect(new Fernet(oldKey).decrypt(token)).rejects.toBeInstanceOf(InvalidToken)
    }
  })

  it('rejects exactly the tampered tokens Python rejects', async () => {
    const key = Fernet.generateKey()
    const token = await new Fernet(key).encryptAtTime('Atzr|tamper', 1_700_000_000)
    const raw = base64urlDecode(token)!
    const candidates = [token]
    for (let bit = 0; bit < raw.length * 8; bit += 7) {
      const copy = raw.slice()
      copy[bit >> 3]! ^= 1 << (bit & 7)
      candidates.push(base64urlEncode(copy))
    }
    candidates.push(base64urlEncode(raw.subarray(0, raw.length - 1)), base64urlEncode(raw.subarray(0, 57)))
    const pythonAccepts = python<boolean[]>(
      `f = Fernet(data['key'])
def accepts(t):
    try:
        f.decrypt_at_time(t, 3600, 1_700_000_000)
        return True
    except InvalidToken:
        return False
result = [accepts(t) for t in data['tokens']]`,
      { key, tokens: candidates },
    )
    const fernet = new Fernet(key)
    const weAccept = await Promise.all(
      candidates.map((candidate) =>
        fernet.decryptAtTime(candidate, 3600, 1_700_000_000).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof InvalidToken)) throw error
            return false
          },
        ),
      ),
    )
    expect(weAccept).toEqual(pythonAccepts)
    expect(weAccept.filter(Boolean)).toEqual([true]) // only the untouched token
  })
})
