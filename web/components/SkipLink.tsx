'use client'
// Every page's first Tab stop: past the top bar to the page's content, `<main id="main">`. Hidden until focused.
import type { MouseEvent } from 'react'

export function SkipLink() {
  function skip(event: MouseEvent<HTMLAnchorElement>) {
    // Focus itself, not only the scroll position a bare #main gives, so the next Tab starts inside the content.
    const main = document.getElementById('main') ?? document.querySelector('main')
    if (!main) return
    event.preventDefault()
    main.tabIndex = -1 // focusable by script only, never a Tab stop
    main.focus()
  }
  return (
    <a href="#main" className="skip-link" onClick={skip}>
      Skip to content
    </a>
  )
}
