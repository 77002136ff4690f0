// A Next.js build adapter (`adapterPath` in next.config.ts) whose one job is to write the export's `_headers`
// (./static-headers.ts) once `next build` has written the static export: the pages' inline scripts are only
// known then. Next runs onBuildComplete after the export, for every build (`npm run build:web*`, bench:web).
import { relative } from 'node:path'
import type { NextAdapter } from 'next'
import { clerkFrontendApiHost, exportDirectory, writeHeadersFile } from './static-headers.ts'

const adapter: NextAdapter = {
  name: 'sellersync-static-headers',
  onBuildComplete({ projectDir, config }) {
    if (config.output !== 'export') return
    const auth = config.env.NEXT_PUBLIC_AUTH === 'local' ? 'local' : 'clerk'
    const setting = process.env.SELLERSYNC_CLERK_FRONTEND_API
    const clerkFrontendApi = clerkFrontendApiHost(setting)
    const written = writeHeadersFile(exportDirectory(projectDir, config.distDir), { auth, clerkFrontendApi })
    console.log(`   wrote ${relative(projectDir, written)} (${auth} build${auth === 'clerk' ? `, Frontend API ${clerkFrontendApi}` : ''})`)
    if (auth === 'clerk' && !setting?.trim()) {
      console.log('   its CSP lets in Clerk development instances only: for a production instance build with SELLERSYNC_CLERK_FRONTEND_API=clerk.<your domain>')
    }
  },
}

export default adapter
