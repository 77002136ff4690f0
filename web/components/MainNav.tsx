'use client'
// The dashboard's pages, in the top bar: what the active account shows, the accounts themselves, the console,
// and the API keys scripts use.
import Link from 'next/link'
import { usePathname } from 'next/navigation'
import { useEffect, useRef } from 'react'

const pages = [
  { href: '/overview/', label: 'Overview' },
  { href: '/accounts/', label: 'Accounts' },
  { href: '/console/', label: 'API console' },
  { href: '/keys/', label: 'API keys' },
]

/** With or without the trailing slash the export adds. */
const samePath = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '')

/** `prefetch={false}`: the app frame's copy, shown while signing in, leaves the network to what the page needs first. */
export function MainNav({ prefetch = true }: { prefetch?: boolean }) {
  const pathname = usePathname()
  const list = useRef<HTMLUListElement>(null)
  // On a narrow screen the row scrolls sideways: keep the current page's link in view (the list only, never the page).
  useEffect(() => {
    const ul = list.current
    const current = ul?.querySelector<HTMLElement>('a[aria-current="page"]')
    if (!ul || !current) return
    const start = current.getBoundingClientRect().left - ul.getBoundingClientRect().left + ul.scrollLeft
    const end = start + current.offsetWidth
    if (start < ul.scrollLeft) ul.scrollLeft = start
    else if (end > ul.scrollLeft + ul.clientWidth) ul.scrollLeft = end - ul.clientWidth
  }, [pathname])
  return (
    <nav className="main-nav" aria-label="Dashboard">
      <ul ref={list}>
        {pages.map((page) => (
          <li key={page.href}>
            <Link href={page.href} prefetch={prefetch ? undefined : false} aria-current={samePath(pathname, page.href) ? 'page' : undefined}>
              {page.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
