'use client'
// The current time for relative texts ("renewed 3 minutes ago", "retrying in 4 minutes"), so they stay true
// while the page stays open.
import { useEffect, useState } from 'react'

export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs)
    return () => clearInterval(timer)
  }, [intervalMs])
  return now
}
