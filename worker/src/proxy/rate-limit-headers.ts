import type { BucketState } from './token-bucket.ts'

/**
 * An operation's bucket in the IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers-11),
 * next to the caller's own sellersync quota under another policy name: `q` is the burst, `w` the seconds
 * an empty bucket takes to fill, `r` the calls that can go now, `t` the seconds until it is full again.
 * Nothing for an operation without a published plan (the Ads API).
 */
export function rateLimitHeaders(operationId: string, bucket: BucketState): Record<string, string> {
  const { plan } = bucket
  if (!plan) return {}
  const name = `"amazon-${operationId}"`
  return {
    'RateLimit-Policy': `${name};q=${plan.burst};w=${Math.ceil(plan.burst / plan.rate)}`,
    RateLimit: `${name};r=${plan.available};t=${Math.ceil(bucket.fullMs / 1000)}`,
  }
}
