// Moves focus after an action whose result re-renders (or removes) the control that had it: a disabled
// button, a reordered list or a removed card would otherwise drop focus to <body>, and a keyboard or screen
// reader user would start again from the top of the page.

const FRAMES = 12

/**
 * Focuses what `find` returns once it exists and can take focus, then for a few frames puts it back if
 * focus fell to <body> (a list reordered after the first try). Stops as soon as focus is elsewhere on purpose.
 */
export function focusSoon(find: () => HTMLElement | null | undefined): void {
  let target: HTMLElement | null = null
  const step = (left: number) => {
    const active = document.activeElement
    const lost = active === null || active === document.body
    if (target === null || lost) {
      const element = find()
      if (element?.isConnected && !(element as HTMLButtonElement).disabled && (target === null ? true : lost)) {
        element.focus()
        if (document.activeElement === element) target = element
      }
    } else if (active !== target) {
      return // the user moved on
    }
    if (left > 0) requestAnimationFrame(() => step(left - 1))
  }
  setTimeout(() => step(FRAMES), 0)
}

/** The id of an account card's heading (tabIndex -1: focusable by script, not a tab stop). */
export const accountHeadingId = (accountId: string) => `account-heading-${accountId}`
