// Human relative times for the cards (“3 minutes ago”, “in 10 days”), in the browser's Intl.
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' })
const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
]

/** "3 minutes ago", "in 2 months". */
export function relativeTime(iso: string, now = Date.now()): string {
  let value = (Date.parse(iso) - now) / 1000
  for (const [unit, size] of steps) {
    // Compared after rounding: 59.6 s is "1 minute ago", not "60 seconds ago". Rounded away from zero at
    // halves, past and future alike (Math.round(-59.5) is -59: "59 seconds ago" but "in 1 minute").
    const rounded = Math.sign(value) * Math.round(Math.abs(value))
    if (Math.abs(rounded) < size) return relative.format(rounded, unit)
    value /= size
  }
  return iso
}

/** For things that happened: "12 minutes ago", "just now"; never in the future (a browser clock behind the server's). */
export function timeAgo(iso: string, now = Date.now()): string {
  const text = relativeTime(new Date(Math.min(Date.parse(iso), now)).toISOString(), now)
  return text === 'now' ? 'just now' : text
}
