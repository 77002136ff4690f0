// Calendar days in an IANA time zone (`2026-12-01`), for counting orders per day as the marketplace's sellers
// see their days, whatever zone the browser is in. Intl only; DST-safe.

const DAY_MS = 86_400_000
const formatters = new Map<string, Intl.DateTimeFormat>()

function wallClock(instant: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  let format = formatters.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, format)
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, Number(part.value)]))
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! }
}

const pad = (value: number, length = 2) => String(value).padStart(length, '0')

/** The calendar day an instant falls on in `timeZone`, as `YYYY-MM-DD`. */
export function dayIn(instant: number, timeZone: string): string {
  const { year, month, day } = wallClock(instant, timeZone)
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`
}

/** The day `count` days after `day` (before, when negative). */
export function addDays(day: string, count: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, date) + count * DAY_MS).toISOString().slice(0, 10)
}

/** How far the zone's wall clock is ahead of UTC at `instant`, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const { year, month, day, hour, minute, second } = wallClock(instant, timeZone)
  return Date.UTC(year, month - 1, day, hour, minute, second) - (instant - (((instant % 1000) + 1000) % 1000))
}

/** The instant `day` begins in `timeZone` (its midnight; the first instant of the day where a DST jump skips midnight). */
export function startOfDay(day: string, timeZone: string): number {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`)
  // The offset before midnight may differ from the one after (DST): take the guess's own offset once more.
  const guess = midnightUtc - offsetAt(midnightUtc, timeZone)
  const instant = midnightUtc - offsetAt(guess, timeZone)
  return dayIn(instant, timeZone) === day ? instant : guess
}

/** The last `count` days in `timeZone`, oldest first, today last. */
export function lastDays(now: number, timeZone: string, count: number): string[] {
  const today = dayIn(now, timeZone)
  return Array.from({ length: count }, (_, index) => addDays(today, index - count + 1))
}

/** A day for people: "Tue" (under a chart bar, over its date) or "Tuesday, December 1" (in tables). */
export function dayLabel(day: string, style: 'weekday' | 'long'): string {
  const options: Intl.DateTimeFormatOptions = style === 'weekday' ? { weekday: 'short' } : { weekday: 'long', month: 'long', day: 'numeric' }
  return new Intl.DateTimeFormat('en', { ...options, timeZone: 'UTC' }).format(Date.parse(`${day}T00:00:00Z`))
}

/** The zone as people name it: "Pacific Time", "Central European Time", "UTC". */
export function zoneName(timeZone: string, now = Date.now()): string {
  if (timeZone === 'UTC') return 'UTC'
  const parts = new Intl.DateTimeFormat('en', { timeZone, timeZoneName: 'longGeneric' }).formatToParts(now)
  return parts.find((part) => part.type === 'timeZoneName')?.value ?? timeZone
}

/** An instant as a date and time in `timeZone`: "Dec 1, 9:41 AM". */
export function dateTimeIn(instant: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en', { timeZone, month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(instant)
}
