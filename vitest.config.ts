import { cloudflareTest } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'

// One run, two runtimes. dev/test/global-setup.ts starts the local stack (Postgres, PostgREST behind the
// Supabase-style gateway, the Clerk stand-in) once and provides its URLs and keys to every suite.
//   worker: suites under worker/test run inside workerd, the production runtime.
//   node:   *.node.test.ts and the dev/ and supabase/ suites run in Node (they spawn processes, run python3…).
export default defineConfig({
  test: {
    globalSetup: ['dev/test/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: inject('workerBindings') },
          })),
        ],
        test: { name: 'worker', include: ['worker/test/**/*.test.ts'], exclude: ['**/*.node.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['worker/test/**/*.node.test.ts', 'dev/test/**/*.test.ts', 'supabase/tests/**/*.test.ts'],
          // The browser tests wait on pages loading chunks on a busy 2-core CI machine: the 1 s default
          // made them flaky. A longer ceiling costs nothing when the condition comes true sooner.
          expect: { poll: { timeout: 10_000 } },
        },
      },
    ],
  },
})
