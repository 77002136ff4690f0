// What a card's Activity list says for each audit event (GET /api/accounts/{id}/events), in plain words.
// The events carry codes only; the wording, and whose move a failure is, lives here.

/** The API's event (spelled out, not imported: node tests load this file without the client). */
export type ActivityEvent = {
  kind: 'connected' | 'reconnected' | 'refreshed' | 'refresh_failed' | 'reauth_required' | 'synced' | 'renamed' | 'default_changed' | 'disconnected'
  detail: Record<string, unknown>
}

const times = (attempts: unknown) => (typeof attempts === 'number' && attempts > 1 ? ` ${attempts} times in a row` : '')

const lines: Record<ActivityEvent['kind'], (detail: Record<string, unknown>) => string> = {
  connected: () => 'Connected',
  reconnected: () => 'Reconnected',
  // Renewals that just work are not recorded; this one follows a run of failures.
  refreshed: (detail) => (detail.recovered_from ? 'Token renewal works again' : 'Token renewed'),
  refresh_failed: (detail) => {
    // Written by a sync that Amazon's API failed (`error`), or by the renewal after repeated failures (`reason`).
    if (detail.error === 'amazon_unavailable') return 'Sync failed: Amazon did not answer'
    if (detail.error === 'amazon_rejected') return 'Sync failed: Amazon refused the request'
    switch (detail.reason) {
      case 'unavailable':
      case 'throttled':
        return `Token renewal failed${times(detail.attempts)}: Amazon did not answer`
      case 'invalid_client':
      case 'invalid_request':
      case 'key_missing':
        return `Token renewal failed${times(detail.attempts)} on sellersync’s side — nothing for you to do`
      default:
        return 'Token renewal failed'
    }
  },
  reauth_required: (detail) =>
    detail.reason === 'invalid_grant'
      ? 'Amazon refused the authorization — reconnect needed'
      : detail.reason === 'no_credentials'
        ? 'No authorization stored — reconnect needed'
        : 'Reconnect needed',
  synced: () => 'Synced',
  renamed: () => 'Renamed',
  default_changed: () => 'Made the default account',
  disconnected: () => 'Disconnected',
}

export function activityLine({ kind, detail }: ActivityEvent): string {
  return lines[kind]?.(detail) ?? kind.replaceAll('_', ' ')
}
