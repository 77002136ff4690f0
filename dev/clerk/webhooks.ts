import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { Webhook } from 'svix'
import { clerkId } from './clerk-ids.ts'

/** Where Clerk (through Svix) delivers events: the endpoint URL and its signing secret (`whsec_…`). */
export type WebhookTarget = { url: string; secret: string }

export type ClerkEventType = 'user.created' | 'user.updated' | 'user.deleted'

/** The body Clerk posts for every event. */
export type ClerkEvent = {
  data: unknown
  object: 'event'
  type: ClerkEventType
  /** When the event happened, in ms. */
  timestamp: number
  instance_id: string
}

/** One HTTP attempt at delivering one event. Never holds the secret or the payload. */
export type WebhookDeliveryAttempt = {
  messageId: string
  eventType: ClerkEventType
  url: string
  /** 1 for the first try, then 2, 3, 4 for the retries. */
  attempt: number
  attemptedAt: number
  /** The receiver's HTTP status; null when no response arrived. */
  status: number | null
  ok: boolean
  error: string | null
  durationMs: number
}

// Svix retries with growing delays; these are short versions so tests and the dashboard stay fast.
const RETRY_DELAYS_MS = [100, 300, 900]
const ATTEMPT_TIMEOUT_MS = 5_000
const LOG_LIMIT = 1_000

/**
 * Delivers Clerk events in Svix's format, one at a time in the order they happened, retrying failures.
 * `send` resolves once the event was delivered or the retries ran out, so an API call that awaits it
 * returns only after its webhook reached the receiver.
 */
export class WebhookSender {
  readonly #instanceId: string
  readonly #log: (message: string) => void
  readonly #attempts: WebhookDeliveryAttempt[] = []
  readonly #stopping = new AbortController()
  #target: { url: string; signer: Webhook } | undefined
  #queue: Promise<void> = Promise.resolve()

  constructor(instanceId: string, log: (message: string) => void = () => {}) {
    this.#instanceId = instanceId
    this.#log = log
  }

  setTarget(target: WebhookTarget | undefined): void {
    if (!target) {
      this.#target = undefined
      return
    }
    new URL(target.url) // fail now, not at the first delivery
    if (!target.secret.startsWith('whsec_')) throw new Error('The webhook secret must look like whsec_<base64>.')
    this.#target = { url: target.url, signer: new Webhook(target.secret) }
  }

  send(type: ClerkEventType, data: unknown): Promise<void> {
    const event: ClerkEvent = { data, object: 'event', type, timestamp: Date.now(), instance_id: this.#instanceId }
    const delivery = this.#queue.then(() => this.#deliver(event))
    this.#queue = delivery
    return delivery
  }

  attempts(): WebhookDeliveryAttempt[] {
    return this.#attempts.map((attempt) => ({ ...attempt }))
  }

  /** Stops retrying and waits for the delivery under way, so no timer outlives the stand-in. */
  async close(): Promise<void> {
    this.#stopping.abort()
    await this.#queue
  }

  async #deliver(event: ClerkEvent): Promise<void> {
    const target = this.#target
    if (!target || this.#stopping.signal.aborted) return
    const messageId = clerkId('msg')
    const payload = JSON.stringify(event)
    for (let attempt = 1; attempt <= RETRY_DELAYS_MS.length + 1; attempt++) {
      // Like Svix, every attempt keeps the message id (receivers deduplicate on it) and is signed afresh.
      const attemptedAt = Date.now()
      const signedAt = new Date(attemptedAt)
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Svix-Webhooks/1.0 (clerk-stand-in)',
        'svix-id': messageId,
        'svix-timestamp': String(Math.floor(attemptedAt / 1000)),
        'svix-signature': target.signer.sign(messageId, signedAt, payload),
      }
      const { status, error } = await postOnce(target.url, headers, payload)
      const ok = status !== null && status >= 200 && status < 300
      const record: WebhookDeliveryAttempt = {
        messageId,
        eventType: event.type,
        url: target.url,
        attempt,
        attemptedAt,
        status,
        ok,
        error: ok ? null : (error ?? `HTTP ${status}`),
        durationMs: Date.now() - attemptedAt,
      }
      this.#attempts.push(record)
      if (this.#attempts.length > LOG_LIMIT) this.#attempts.shift()
      if (record.ok) return
      const delay = RETRY_DELAYS_MS[attempt - 1]
      this.#log(`webhook ${event.type} ${messageId} attempt ${attempt} to ${target.url} failed: ${record.error}`)
      if (delay === undefined) return
      try {
        await sleep(delay, undefined, { signal: this.#stopping.signal })
      } catch {
        return // stopping
      }
    }
  }
}

/** One POST without connection reuse, so no idle socket keeps the process alive after a test. */
function postOnce(url: string, headers: Record<string, string>, body: string): Promise<{ status: number | null; error?: string }> {
  const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise((resolve) => {
    const outgoing = request(
      url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, agent: false, timeout: ATTEMPT_TIMEOUT_MS },
      (response) => {
        response.resume() // the body does not matter, but must be drained
        response.on('end', () => resolve({ status: response.statusCode ?? null }))
        response.on('error', (error) => resolve({ status: null, error: error.message }))
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error(`no response within ${ATTEMPT_TIMEOUT_MS} ms`)))
    outgoing.on('error', (error) => resolve({ status: null, error: error.message || String(error) }))
    outgoing.end(body)
  })
}
