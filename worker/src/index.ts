import { createApp } from './app.ts'
import type { Bindings } from './env.ts'

export { UserRateLimiter } from './durable/user-rate-limiter.ts'

const app = createApp()

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Bindings>
