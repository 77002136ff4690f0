'use client'
// Seconds left until a moment (a rate limit's retry), updated every second, and optionally an action when it
// is reached: "Amazon limits this call; retrying in 12 s", then the retry itself.
import { useEffect, useRef, useState } from 'react'

/** Seconds until `until` (0 once passed; null without a moment). `onDone` runs once when it is reached. */
export function useCountdown(until: number | null, onDone?: () => void): number | null {
  const [now, setNow] = useState(Date.now)
  const done = useRef(onDone)
  useEffect(() => {
    done.current = onDone
  })
  useEffect(() => {
    if (until === null) return
    setNow(Date.now())
    const timer = setInterval(() => {
      const current = Date.now()
      setNow(current)
      if (current >= until) {
        clearInterval(timer)
        done.current?.()
      }
    }, 1000)
    return () => clearInterval(timer)
  }, [until])
  return until === null ? null : Math.max(0, Math.ceil((until - now) / 1000))
}
