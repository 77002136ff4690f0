import type { ReactNode } from 'react'
import { AuthWrapper } from '../../../../web/components/AuthWrapper.tsx'

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <AuthWrapper>{children}</AuthWrapper>
      </body>
    </html>
  )
}
