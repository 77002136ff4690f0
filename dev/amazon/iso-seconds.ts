/** Amazon's timestamps: ISO 8601, UTC, whole seconds (`2026-11-20T12:00:00Z`). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
