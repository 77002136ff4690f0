import type { NextConfig } from 'next'

// The dashboard is a static export (web/out) that the Worker serves as static assets.
// The auth implementation is chosen at build time: NEXT_PUBLIC_AUTH=clerk (default, production) or
// local (the Clerk stand-in in dev/clerk). Only the chosen one is bundled.
const auth = process.env.NEXT_PUBLIC_AUTH === 'local' ? 'local' : 'clerk'
const adapter = auth === 'local' ? './lib/auth/local-adapter.tsx' : './lib/auth/clerk-adapter.tsx'
// Where the export goes, relative to web/: `out` unless SELLERSYNC_WEB_OUT says otherwise (the Clerk build the
// browser tests use goes to `out-clerk`, beside the local build in `out`). With output: 'export', Next 16
// takes a custom distDir as the export destination; its build files stay in web/.next either way.
const outDir = process.env.SELLERSYNC_WEB_OUT ?? 'out'

const config: NextConfig = {
  output: 'export',
  distDir: outDir === 'out' ? '.next' : outDir,
  // /accounts → accounts/index.html: what Workers Static Assets serves for /accounts and /accounts/.
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  env: { NEXT_PUBLIC_AUTH: auth },
  // The project's TypeScript is 7 (native, no JS API Next could call): `npm run typecheck` runs
  // `tsc -p web` instead of next build.
  typescript: { ignoreBuildErrors: true },
  turbopack: { resolveAlias: { '@auth-adapter': adapter } },
  // After the export: writes its `_headers` (CSP with the pages' inline-script hashes, caching), build/static-headers.ts.
  adapterPath: new URL('./build/headers-adapter.ts', import.meta.url).pathname,
  webpack: (webpackConfig: { resolve: { alias: Record<string, string> } }) => {
    webpackConfig.resolve.alias['@auth-adapter'] = new URL(adapter, import.meta.url).pathname
    return webpackConfig
  },
}

export default config
