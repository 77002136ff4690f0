import type { NextConfig } from 'next'

// bench/web/minimal: the smallest Next app with the dashboard's providers (AuthWrapper with the Clerk
// auth adapter, TanStack Query, sonner) and one heading: the baseline for the dashboard's JS (bench/web/run.ts).
// Same settings as web/next.config.ts; the repository root is Turbopack's root because the page imports web/.
const adapter = '../../../web/lib/auth/clerk-adapter.tsx'
const root = new URL('../../../', import.meta.url).pathname

const config: NextConfig = {
  output: 'export',
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  env: { NEXT_PUBLIC_AUTH: 'clerk' },
  typescript: { ignoreBuildErrors: true },
  turbopack: { root, resolveAlias: { '@auth-adapter': adapter } },
}

export default config
