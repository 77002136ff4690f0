'use client'
// The signed-in user's menu: a menu button (WAI-ARIA APG "menu button" pattern).
// Enter / Space / ArrowDown open it on the first item, ArrowUp on the last; arrows, Home and End move;
// Escape closes it and returns focus to the button; so does a click outside or Tab away.
import { useQueryClient } from '@tanstack/react-query'
import { useRouter } from 'next/navigation'
import { type KeyboardEvent, useEffect, useId, useRef, useState } from 'react'
import type { AuthUser } from '../lib/auth/index.ts'
import { toastError } from '../lib/toast-error.ts'
import { Avatar } from './Avatar.tsx'
import { EmailAddress } from './EmailAddress.tsx'

export function ProfileDropdown({ user, onSignOut }: { user: AuthUser; onSignOut: () => Promise<void> }) {
  const [open, setOpen] = useState(false)
  const [signingOut, setSigningOut] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const itemRefs = useRef<Array<HTMLElement | null>>([])
  const pendingFocus = useRef<'first' | 'last' | null>(null)
  const menuId = useId()
  const router = useRouter()
  const queryClient = useQueryClient()

  // Navigation closes the menu; sign-out keeps it open, showing its pending state, until it is done.
  const items: Array<{ label: string; action: () => unknown; keepOpen?: boolean; disabled?: boolean }> = [
    { label: 'Amazon accounts', action: () => router.push('/accounts/') },
    { label: 'Settings', action: () => router.push('/settings/') },
    {
      label: signingOut ? 'Signing out…' : 'Sign out',
      keepOpen: true,
      disabled: signingOut,
      action: async () => {
        setSigningOut(true)
        try {
          await onSignOut()
          queryClient.clear() // nothing of this user's stays in memory
        } catch {
          toastError('Could not sign out. Try again.')
        } finally {
          setSigningOut(false)
        }
      },
    },
  ]

  const focusItem = (index: number) => {
    const count = items.length
    itemRefs.current[((index % count) + count) % count]?.focus()
  }

  const close = (returnFocus: boolean) => {
    setOpen(false)
    if (returnFocus) buttonRef.current?.focus()
  }

  // Focus the requested item once the menu is rendered.
  useEffect(() => {
    if (!open || !pendingFocus.current) return
    focusItem(pendingFocus.current === 'first' ? 0 : items.length - 1)
    pendingFocus.current = null
  })

  useEffect(() => {
    if (!open) return
    const onPointerDown = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) close(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const openMenu = (focus: 'first' | 'last') => {
    pendingFocus.current = focus
    setOpen(true)
  }

  const onButtonKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' || event.key === ' ' || event.key === 'ArrowDown') {
      event.preventDefault()
      openMenu('first')
    } else if (event.key === 'ArrowUp') {
      event.preventDefault()
      openMenu('last')
    }
  }

  const onMenuKeyDown = (event: KeyboardEvent) => {
    const current = itemRefs.current.indexOf(document.activeElement as HTMLElement)
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault()
        focusItem(current + 1)
        break
      case 'ArrowUp':
        event.preventDefault()
        focusItem(current - 1)
        break
      case 'Home':
        event.preventDefault()
        focusItem(0)
        break
      case 'End':
        event.preventDefault()
        focusItem(items.length - 1)
        break
      case 'Escape':
        event.preventDefault()
        close(true)
        break
      case 'Tab':
        close(false)
        break
    }
  }

  return (
    <div className="profile" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="profile-button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openMenu('first'))}
        onKeyDown={onButtonKeyDown}
      >
        {/* Named by its content, which holds the visible name (WCAG 2.5.3); below 640 px the name is for screen readers only. */}
        <Avatar user={user} />
        <span className="visually-hidden">Account menu for </span>
        <span className="profile-name">{user.name ?? user.email ?? 'you'}</span>
      </button>
      {open && (
        <div className="menu" id={menuId} role="menu" aria-label="Account" onKeyDown={onMenuKeyDown}>
          <div className="menu-header" role="presentation">
            {user.name && <strong>{user.name}</strong>}
            {user.email && (
              <span className="muted">
                <EmailAddress email={user.email} />
              </span>
            )}
          </div>
          {items.map((item, index) => (
            <button
              key={index}
              ref={(element) => {
                itemRefs.current[index] = element
              }}
              type="button"
              role="menuitem"
              tabIndex={-1}
              className="menu-item"
              disabled={item.disabled}
              onClick={() => {
                if (!item.keepOpen) close(false)
                void item.action()
              }}
            >
              {item.label}
            </button>
          ))}
        </div>
      )}
    </div>
  )
}
