'use client'
// Each region of a page fails on its own: a render error or a failed query shows a notice with a retry in
// its place, and the rest of the page keeps working. Retry also resets the failed TanStack queries inside,
// so they fetch again instead of rethrowing the cached error.
import { QueryErrorResetBoundary } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { ErrorBoundary, type FallbackProps } from 'react-error-boundary'
import { ApiError } from '../lib/api/api-error.ts'

type Props = {
  /** What could not be shown, as the notice's heading: "Your accounts could not be loaded". */
  title: string
  /** `inline`: one line, for small regions such as the top bar; `page`: the whole page failed (centred). */
  variant?: 'region' | 'inline' | 'page'
  children: ReactNode
}

export function RegionBoundary({ title, variant = 'region', children }: Props) {
  return (
    <QueryErrorResetBoundary>
      {({ reset }) => (
        <ErrorBoundary onReset={reset} fallbackRender={(fallback) => <RegionError title={title} variant={variant} {...fallback} />}>
          {children}
        </ErrorBoundary>
      )}
    </QueryErrorResetBoundary>
  )
}

function RegionError({ title, variant, error, resetErrorBoundary }: FallbackProps & Required<Pick<Props, 'title' | 'variant'>>) {
  const retry = () => resetErrorBoundary()
  if (variant === 'inline') {
    return (
      <div className="region-error" role="alert">
        <span title={describe(error)}>{title}</span>
        <button type="button" className="button small" onClick={retry}>
          Retry
        </button>
      </div>
    )
  }
  // The whole page failed: its notice is the page's one heading.
  const Heading = variant === 'page' ? 'h1' : 'h2'
  const notice = (
    <div className="card notice" role="alert">
      <Heading>{title}</Heading>
      <p className="muted">{describe(error)}</p>
      <button type="button" className="button" onClick={retry}>
        Try again
      </button>
    </div>
  )
  return variant === 'page' ? <main id="main" className="center page">{notice}</main> : notice
}

/** The API's messages are written for users; a render bug's message is not. */
function describe(error: unknown): string {
  if (error instanceof ApiError) return error.message
  return 'Something went wrong while showing this part of the page. Trying again usually helps; if not, reload the page.'
}
