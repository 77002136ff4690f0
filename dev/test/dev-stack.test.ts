// `npm run dev` end to end: the real orchestrator, wrangler dev and every service, in a private state
// directory on free ports. Checks what the README promises: it comes up and says so, a second start is
// refused with a clear message, the Clerk stand-in's webhook reaches the Worker, and SIGINT leaves nothing running.
import { execFileSync, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnStack, startIsolatedStack, type IsolatedStack } from '../isolated-stack.ts'
import { parseDevVars } from '../dev-vars.ts'
import { fireCron } from '../wrangler-dev.ts'

let stack: IsolatedStack

function collect(child: ChildProcess, onText: (text: string) => void) {
  child.stdout!.setEncoding('utf8').on('data', onText)
  child.stderr!.setEncoding('utf8').on('data', onText)
}

/** Every process whose parent chain leads to pid. */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number])
  const found: number[] = []
  const walk = (parent: number) => {
    for (const [child, ppid] of table) if (ppid === parent) (found.push(child), walk(child))
  }
  walk(pid)
  return found
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

beforeAll(async () => {
  stack = await startIsolatedStack('dev-test')
}, 160_000)

/** A user created through the Clerk stand-in's Backend API (the webhook syncs it), with a session token. */
async function newUser(email: string) {
  const secrets = JSON.parse(readFileSync(join(stack.stateDir, 'local-secrets.json'), 'utf8')) as { clerkSecretKey: string }
  const call = async (path: string, body: unknown) =>
    (await fetch(`${stack.clerkUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secrets.clerkSecretKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })).json() as Promise<{ id: string; jwt: string }>
  const user = await call('/v1/users', { email_address: [email], first_name: 'Local' })
  const session = await call('/v1/sessions', { user_id: user.id })
  const { jwt } = await call(`/v1/sessions/${session.id}/tokens`, {})
  return { user, jwt }
}

afterAll(async () => {
  if (stack.process.exitCode === null) stack.process.kill('SIGKILL')
  await stack.stop()
})

describe('npm run dev', () => {
  it('prints the URL once the Worker reports the database reachable', async () => {
    expect(stack.output()).toContain(stack.url)
    const health = await (await fetch(`http://127.0.0.1:${stack.port}/api/health`)).json()
    expect(health).toMatchObject({ status: 'ok', database: 'reachable' })
  })

  it('refuses a second start with a message naming the running one', async () => {
    const second = spawnStack(stack.env)
    let text = ''
    collect(second, (chunk) => (text += chunk))
    const code = await new Promise<number | null>((resolve) => second.on('exit', resolve))
    expect(code).toBe(1)
    expect(text).toContain(`already running (pid ${stack.process.pid})`)
  })

  it('delivers the Clerk stand-in\'s user.created webhook to the Worker, so the new user can use the API', async () => {
    const { user, jwt } = await newUser('local@example.com')
    const me = await fetch(`http://127.0.0.1:${stack.port}/api/me`, { headers: { authorization: `Bearer ${jwt}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ id: user.id, email: 'local@example.com', first_name: 'Local' })
  })

  it('renews a connected account\'s token in the background: the cron tick, the local queue and the AccountSession under wrangler dev', async () => {
    expect(stack.output()).toMatch(/the cron runs every minute; the Amazon stand-in's access tokens live 600 s/)
    const { jwt } = await newUser('renewal@example.com')
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${stack.port}/api${path}`, { ...init, headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' }, redirect: 'manual' })
    const connect = await api('/auth/amazon/connect', { method: 'POST', body: JSON.stringify({ provider: 'sp_api', region: 'na' }) })
    const { url } = (await connect.json()) as { url: string }
    const cookie = connect.headers.get('set-cookie')!.split(';')[0]!
    await fetch(url)
    const consent = await fetch(url, { method: 'POST', body: new URLSearchParams({ decision: 'approve' }), redirect: 'manual' })
    const back = new URL(consent.headers.get('location')!)
    const landed = await fetch(`http://127.0.0.1:${stack.port}${back.pathname}${back.search}`, { headers: { cookie }, redirect: 'manual' })
    const accountId = new URL(landed.headers.get('location')!).searchParams.get('connected')!
    const token = async () => ((await (await api(`/accounts/${accountId}`)).json()) as { token: { renewed_at: string; expires_at: string } }).token
    const connected = await token()
    expect(Date.parse(connected.expires_at) - Date.parse(connected.renewed_at)).toBeLessThanOrEqual(600_000)

    // Pretend a few minutes went by: the token is due. One tick (as the every-minute timer fires it) renews it.
    const vars = parseDevVars(readFileSync(join(stack.stateDir, 'dev.vars'), 'utf8'))
    const nudged = await fetch(`${vars.SUPABASE_URL}/rest/v1/amazon_grants?user_id=eq.${encodeURIComponent((await (await api('/me')).json() as { id: string }).id)}`, {
      method: 'PATCH',
      headers: { apikey: vars.SUPABASE_SERVICE_ROLE_KEY!, authorization: `Bearer ${vars.SUPABASE_SERVICE_ROLE_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ next_refresh_at: new Date(Date.now() - 1000).toISOString() }),
    })
    expect(nudged.status).toBe(204)
    await fireCron(stack.port)
    await expect.poll(async () => (await token()).renewed_at, { timeout: 20_000 }).not.toBe(connected.renewed_at)
    expect(await token()).toMatchObject({ failed_attempts: 0, last_error: null })
  })

  it('stops every process it started on SIGINT', async () => {
    const children = descendants(stack.process.pid!)
    expect(children.length).toBeGreaterThanOrEqual(3) // at least PostgREST, wrangler and workerd
    const exited = new Promise<number | null>((resolve) => stack.process.on('exit', resolve))
    stack.process.kill('SIGINT')
    expect(await exited).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(children.filter(alive)).toEqual([])
    expect(() => readFileSync(join(stack.stateDir, 'dev.pid'))).toThrow()
  })
})
