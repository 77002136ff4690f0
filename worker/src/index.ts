import { createApp } from './app.ts'
import type { Bindings } from './env.ts'
import { consumeRefreshBatch } from './tokens/queue-consumer.ts'
import { runScheduledTick } from './tokens/scheduled.ts'

export { UserRateLimiter } from './durable/user-rate-limiter.ts'
export { AccountSession } from './tokens/account-session.ts'

const app = createApp()

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    await runScheduledTick(env)
  },
  queue: consumeRefreshBatch,
} satisfies ExportedHandler<Bindings>
