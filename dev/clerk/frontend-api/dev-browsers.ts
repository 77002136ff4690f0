import { clerkId } from '../clerk-ids.ts'
import { ClerkApiError } from '../clerk-errors.ts'

/**
 * Development instances identify a browser by its "dev browser" (`POST /v1/dev_browser`), not by a
 * cookie on the Frontend API's domain: clerk-js keeps the value in a `__clerk_db_jwt` cookie on the app's
 * own domain and sends it as the `__clerk_db_jwt` query parameter of every Frontend API request. Each dev
 * browser has one client (the FAPI Client object: its sessions and sign-in attempt).
 *
 * clerk-js 6.40 stores the response's `id` as that value (older versions read `token`); both carry it.
 */
export type DevBrowser = { object: 'dev_browser'; id: string; token: string; client_id: string }

export class DevBrowserRegistry {
  readonly #clientByToken = new Map<string, string>()

  create(): DevBrowser {
    const token = clerkId('dvb')
    const clientId = clerkId('client')
    this.#clientByToken.set(token, clientId)
    return { object: 'dev_browser', id: token, token, client_id: clientId }
  }

  /** The client of the request's dev browser; a 401 clerk-js answers by creating a new dev browser. */
  requireClient(token: string | null): string {
    const clientId = token ? this.#clientByToken.get(token) : undefined
    if (!clientId) {
      throw new ClerkApiError(401, [
        {
          message: 'Browser unauthenticated',
          long_message: 'Unable to authenticate this browser for your development instance. Check that your Clerk cookies are enabled.',
          code: 'dev_browser_unauthenticated',
        },
      ])
    }
    return clientId
  }
}
