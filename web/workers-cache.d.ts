// The dashboard's type-check includes the Worker's sources (the API client imports its AppType). There the DOM
// lib's `caches` wins, and the browser's CacheStorage has no `default`, which the Worker's edge cache uses
// (worker/src/proxy/edge-cache.ts). Nothing in the dashboard touches `caches`.
interface CacheStorage {
  readonly default: Cache
}
