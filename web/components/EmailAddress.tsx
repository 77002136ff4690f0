import { Fragment } from 'react'

/**
 * An email address that wraps where a reader expects it to: after the @ and after each dot (`<wbr>`), and only
 * inside a part when one part alone is wider than the space (`overflow-wrap: anywhere` on `.email`).
 */
export function EmailAddress({ email }: { email: string }) {
  const parts = email.split(/(?<=[@.])/)
  return (
    <span className="email">
      {parts.map((part, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {part}
        </Fragment>
      ))}
    </span>
  )
}
