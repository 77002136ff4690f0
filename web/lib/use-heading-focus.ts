'use client'
// After a move to another dashboard page, focus goes to the new page's h1: a screen reader announces where the
// seller arrived, and Tab continues from the top of the new content instead of from the link that was followed.
// Not on the first page load, where the browser's own start (the top of the document) is right.
import { usePathname } from 'next/navigation'
import { useEffect, useRef } from 'react'

export function useHeadingFocus(): void {
  const pathname = usePathname()
  const previous = useRef(pathname)
  useEffect(() => {
    if (previous.current === pathname) return
    previous.current = pathname
    const heading = document.querySelector<HTMLElement>('main h1')
    if (!heading) return
    heading.tabIndex = -1 // focusable by script only, never a Tab stop
    heading.focus()
  }, [pathname])
}
