/**
 * Bench worker: runs our Fernet inside workerd. GET /{encrypt|decrypt|noop}?n=N&key=…&payload=…
 * performs N sequential operations in one request and answers a checksum, so the work cannot be skipped.
 * workerd freezes its clocks during pure CPU work, so run.ts times the request from outside.
 */
import { Fernet } from '../../worker/src/crypto/fernet.ts'

// One Fernet (and so one key import) per key for the isolate's lifetime, as production does.
const fernets = new Map<string, Fernet>()
const tokens = new Map<string, string>()

function fernetFor(key: string): Fernet {
  let fernet = fernets.get(key)
  if (fernet === undefined) fernets.set(key, (fernet = new Fernet(key)))
  return fernet
}

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const n = Number(url.searchParams.get('n') ?? '1')
    const key = url.searchParams.get('key') ?? ''
    const payload = url.searchParams.get('payload') ?? ''
    const fernet = fernetFor(key)
    let checksum = 0
    switch (url.pathname) {
      case '/noop':
        break
      case '/encrypt':
        for (let i = 0; i < n; i++) checksum += (await fernet.encrypt(payload)).length
        break
      case '/decrypt': {
        let token = tokens.get(key + payload)
        if (token === undefined) tokens.set(key + payload, (token = await fernet.encrypt(payload)))
        for (let i = 0; i < n; i++) checksum += (await fernet.decrypt(token)).length
        break
      }
      default:
        return new Response('not found', { status: 404 })
    }
    return Response.json({ n, checksum })
  },
}
