import type { Metadata, Viewport } from 'next'
import type { ReactNode } from 'react'
import { AuthWrapper } from '../components/AuthWrapper.tsx'
import { ClientConfigPreload } from '../components/ClientConfigPreload.tsx'
import { SkipLink } from '../components/SkipLink.tsx'
import './globals.css'

export const metadata: Metadata = {
  title: { default: 'sellersync', template: '%s · sellersync' },
  description: 'Connect and manage your Amazon seller accounts.',
}

export const viewport: Viewport = {
  width: 'device-width',
  initialScale: 1,
  colorScheme: 'light dark',
}

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        {process.env.NEXT_PUBLIC_AUTH === 'clerk' && <ClientConfigPreload />}
        <SkipLink />
        <AuthWrapper>{children}</AuthWrapper>
      </body>
    </html>
  )
}
