'use client'
// The dashboard's pages, in the top bar: what the active account shows, the accounts themselves, the console.
import Link from 'next/link'
import { usePathname } from 'next/navigation'

const pages = [
  { href: '/overview/', label: 'Overview' },
  { href: '/accounts/', label: 'Accounts' },
  { href: '/console/', label: 'API console' },
]

/** With or without the trailing slash the export adds. */
const samePath = (a: string, b: string) => a.replace(/\/$/, '') === b.replace(/\/$/, '')

export function MainNav() {
  const pathname = usePathname()
  return (
    <nav className="main-nav" aria-label="Dashboard">
      <ul>
        {pages.map((page) => (
          <li key={page.href}>
            <Link href={page.href} aria-current={samePath(pathname, page.href) ? 'page' : undefined}>
              {page.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
