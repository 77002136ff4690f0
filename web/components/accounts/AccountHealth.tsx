import type { AccountNotices } from './notices.ts'

/** The token's health line and the one notice under it, as the account card and the Overview show them. */
export function AccountHealth({ notices }: { notices: AccountNotices }) {
  const { health, syncError, renewal } = notices
  return (
    <>
      <p className={`small health tone-${health.tone}`}>{health.message}</p>
      {syncError && <p className="form-error small">{syncError}</p>}
      {renewal && <p className="small renewal">{renewal}</p>}
    </>
  )
}
