'use client'
// API keys for scripts, BI tools and scheduled jobs: create one with scopes and an expiry, copy its secret the one
// time it is shown, see every key with its status and last use, revoke. Through the Worker's /api/keys (Clerk's
// <APIKeys/> cannot set scopes).
import { Suspense, useCallback, useEffect, useRef, useState } from 'react'
import type { CreatedApiKey } from '../../lib/api/api-keys.ts'
import { RegionBoundary } from '../RegionBoundary.tsx'
import { CreateKeyForm } from './CreateKeyForm.tsx'
import { KeyList, KeyListSkeleton } from './KeyList.tsx'
import { NewKeyPanel } from './NewKeyPanel.tsx'

export function ApiKeysPage() {
  // The one copy of the secret the browser keeps: gone on "I’ve stored it", on a new key, when the page is left.
  const [created, setCreated] = useState<CreatedApiKey | null>(null)
  const panelRef = useRef<HTMLElement>(null)
  const listHeadingRef = useRef<HTMLHeadingElement>(null)
  const nameRef = useRef<HTMLInputElement>(null)
  // Where focus goes once the render that needs it is done: the new secret, or the list after a change.
  const [focusTarget, setFocusTarget] = useState<{ to: 'panel' | 'list'; at: number } | null>(null)

  useEffect(() => {
    if (!focusTarget) return
    const element = focusTarget.to === 'panel' ? panelRef.current : listHeadingRef.current
    element?.focus()
  }, [focusTarget])

  const onCreated = useCallback((answer: CreatedApiKey) => {
    setCreated(answer)
    setFocusTarget({ to: 'panel', at: Date.now() })
  }, [])
  const focusList = useCallback(() => setFocusTarget({ to: 'list', at: Date.now() }), [])
  const onDismiss = useCallback(() => {
    setCreated(null)
    focusList()
  }, [focusList])

  return (
    <main id="main" className="page">
      <h1>API keys</h1>
      <p className="muted">
        A key lets a script, a BI tool or a scheduled job call the sellersync API as you, without signing in: it sends{' '}
        <code>Authorization: Bearer ak_…</code>. It can do only what its scopes allow, and never connect an Amazon account.
        The <a href="/api/docs">API reference</a> lists what each route needs.
      </p>
      <RegionBoundary title="The form could not be shown">
        <CreateKeyForm nameRef={nameRef} onCreated={onCreated} />
      </RegionBoundary>
      {created && <NewKeyPanel ref={panelRef} created={created} onDismiss={onDismiss} />}
      <section className="stack" aria-labelledby="keys-heading">
        <h2 id="keys-heading" ref={listHeadingRef} tabIndex={-1} className="focus-target">
          Your keys
        </h2>
        <RegionBoundary title="Your API keys could not be loaded">
          <Suspense fallback={<KeyListSkeleton />}>
            <KeyList onRevoked={focusList} onCreateFirst={() => nameRef.current?.focus()} />
          </Suspense>
        </RegionBoundary>
      </section>
    </main>
  )
}
