'use client'
// After a move to another dashboard page, focus goes to the new page's h1: a screen reader announces where the
// seller arrived, and Tab continues from the top of the new content instead of from the link that was followed.
// The same on the page reached by signing in. Not on a plain first load or a reload, where the browser's own start
// (the top of the document, the skip link first) is right.
import { usePathname } from 'next/navigation'
import { useEffect, useRef } from 'react'

/** Set while the sign-in or sign-up form is shown; survives Clerk's full-page redirect after signing in (per tab). */
const FROM_SIGN_IN = 'sellersync.from-sign-in'

/** The sign-in or sign-up form is on screen: the dashboard page shown next is where the seller lands. */
export function markSignInShown(): void {
  try {
    sessionStorage.setItem(FROM_SIGN_IN, '1')
  } catch {} // storage refused: no focus move, nothing worse
}

function takeSignInMark(): boolean {
  try {
    const marked = sessionStorage.getItem(FROM_SIGN_IN) !== null
    sessionStorage.removeItem(FROM_SIGN_IN)
    return marked
  } catch {
    return false
  }
}

/** `ready`: the page's content is rendered (signed in), so its h1 is there to focus. */
export function useHeadingFocus(ready: boolean): void {
  const pathname = usePathname()
  const previous = useRef<string | null>(null)
  useEffect(() => {
    if (!ready || previous.current === pathname) return
    const firstPage = previous.current === null
    previous.current = pathname
    if (firstPage && !takeSignInMark()) return
    const heading = document.querySelector<HTMLElement>('main h1')
    if (!heading) return
    heading.tabIndex = -1 // focusable by script only, never a Tab stop
    heading.focus()
  }, [pathname, ready])
}
