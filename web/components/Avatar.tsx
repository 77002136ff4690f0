'use client'
import { useState } from 'react'
import type { AuthUser } from '../lib/auth/index.ts'

function initials(user: AuthUser): string {
  const source = user.name?.trim() || user.email?.split('@')[0] || '?'
  const parts = source.split(/[\s._-]+/).filter(Boolean)
  const letters = parts.length > 1 ? `${parts[0]![0]}${parts[parts.length - 1]![0]}` : source.slice(0, 1)
  return letters.toUpperCase()
}

/** The photo the user uploaded when it loads, else their initials. Decorative: their name is always beside it. */
export function Avatar({ user }: { user: AuthUser }) {
  const [brokenUrl, setBrokenUrl] = useState<string | null>(null)
  if (user.imageUrl && user.imageUrl !== brokenUrl) {
    const url = user.imageUrl
    return <img className="avatar" src={url} alt="" width={36} height={36} referrerPolicy="no-referrer" onError={() => setBrokenUrl(url)} />
  }
  return (
    <span className="avatar" aria-hidden="true">
      {initials(user)}
    </span>
  )
}
