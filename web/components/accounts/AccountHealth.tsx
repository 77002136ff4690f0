import type { AccountStatus } from '../../lib/account-status.ts'

/** The status badge: one word, coloured by its tone (lib/account-status.ts). */
export function StatusBadge({ status }: { status: AccountStatus }) {
  return <span className={`badge tone-${status.tone}`}>{status.word}</span>
}

/** The account's most urgent message, and the one less urgent thing that must stay visible, as the card and the Overview show them. */
export function AccountHealth({ status }: { status: AccountStatus }) {
  return (
    <>
      <p className={`small health tone-${status.tone}`}>{status.message}</p>
      {status.also && <p className="small health-also muted">{status.also}</p>}
    </>
  )
}
