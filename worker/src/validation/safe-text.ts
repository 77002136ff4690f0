import { z } from 'zod'

// Text that people and other systems send us ends up in Postgres, in the dashboard and in logs. Postgres
// refuses NUL and unpaired surrogates outright (which used to surface as a 503), and the rest below
// either breaks a line of display or log output or makes a name look like something else.

/** C0 and C1 controls (NUL, tab, newline, escape, …) and the Unicode line and paragraph separators. */
const CONTROL = /[\p{Cc}\u2028\u2029]/u
/** In `u` mode a well-formed pair is one code point, so this matches only a surrogate standing alone. */
const UNPAIRED_SURROGATE = /[\uD800-\uDFFF]/u
/** Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder what follows. */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u
/** What renders as nothing: white space, zero-width and other default-ignorable characters, Braille blank. */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu

/** Whether the value renders as nothing at all (empty, white space, zero-width characters…). */
export function isBlank(value: string): boolean {
  return value.replace(INVISIBLE, '') === ''
}

/**
 * Why a text value is not acceptable, or null when it is. The message names no part of the value, so
 * it can go into a 400 and into logs.
 */
export function textProblem(value: string): string | null {
  if (CONTROL.test(value)) return 'must not contain control characters'
  if (UNPAIRED_SURROGATE.test(value)) return 'must be well-formed Unicode (no unpaired surrogates)'
  if (BIDI_CONTROL.test(value)) return 'must not contain bidirectional override or isolate characters'
  if (isBlank(value)) return 'must not be blank'
  return null
}

/**
 * A string of at most `max` UTF-16 code units that passes textProblem(); with `trim`, surrounding white
 * space is removed first (a name typed into a form). Use it for every free-text input a route reads.
 */
export function safeText({ max, trim = false }: { max: number; trim?: boolean }) {
  const base = trim ? z.string().trim() : z.string()
  return base.max(max).superRefine((value, context) => {
    const problem = textProblem(value)
    if (problem) context.addIssue({ code: 'custom', message: problem })
  })
}
