// Workers Logs and traces record each invocation's request URL; the OAuth callback's query string holds Amazon's
// authorization code and our state. wrangler.toml's [observability] must remove query strings, in a form the
// installed wrangler knows (an unknown key is dropped with a warning, and the deploy would log them after all).
// Beside the dashboard's tests because the dashboard's pages start that flow (Connect → Amazon → callback).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { unstable_readConfig } from 'wrangler'

const root = new URL('../../../', import.meta.url).pathname

describe("wrangler.toml's observability", () => {
  afterEach(() => vi.restoreAllMocks())

  it('stays on, with query strings removed from logged and traced request URLs', () => {
    const warnings: string[] = []
    vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')))
    const config = unstable_readConfig({ config: `${root}wrangler.toml` })
    expect(warnings.filter((line) => /observability/i.test(line))).toEqual([])
    expect({ ...config.observability }).toMatchObject({ enabled: true, redact_query_string: true })
    // Invocation logs are not switched off: with the query string gone they hold nothing secret.
    expect(config.observability?.logs?.invocation_logs).not.toBe(false)
  })
})
