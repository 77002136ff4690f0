/** FNV-1a: a small stable hash, so generated data (orders, reports, campaigns) is the same on every call. */
export function stableHash(text: string): number {
  let value = 0x811c9dc5
  for (let i = 0; i < text.length; i++) value = Math.imul(value ^ text.charCodeAt(i), 0x01000193) >>> 0
  return value
}

/** The last `length` decimal digits of `seed`, zero-padded. */
export const digits = (seed: number, length: number) => String(seed % 10 ** length).padStart(length, '0')
