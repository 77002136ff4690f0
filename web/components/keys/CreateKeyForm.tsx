'use client'
// A new key: its name, its scopes (each with what it allows) and when it expires. Checked here first, for
// messages next to the field; what the Worker refuses lands on the field its 400 names.
import { type FormEvent, type RefObject, useId, useState } from 'react'
import { type CreatedApiKey, useCreateApiKey } from '../../lib/api/api-keys.ts'
import {
  createErrors,
  DEFAULT_EXPIRY,
  DEFAULT_SCOPES,
  EXPIRY_CHOICES,
  type ExpiryChoice,
  expiresInDays,
  type KeyFormErrors,
  KEY_NAME_LENGTH,
  nameProblem,
  type Scope,
  SCOPE_CHOICES,
  scopeRequirement,
  scopesProblem,
  toggleScope,
} from '../../lib/api-keys.ts'

type Props = {
  nameRef: RefObject<HTMLInputElement | null>
  onCreated: (created: CreatedApiKey) => void
}

export function CreateKeyForm({ nameRef, onCreated }: Props) {
  const create = useCreateApiKey()
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>([...DEFAULT_SCOPES])
  const [expiry, setExpiry] = useState<ExpiryChoice>(DEFAULT_EXPIRY)
  const [errors, setErrors] = useState<KeyFormErrors>({})
  const id = useId()
  const ids = {
    heading: `${id}-heading`,
    name: `${id}-name`,
    nameHint: `${id}-name-hint`,
    nameError: `${id}-name-error`,
    scopesError: `${id}-scopes-error`,
    expiry: `${id}-expiry`,
    expiryNote: `${id}-expiry-note`,
    expiryError: `${id}-expiry-error`,
  }

  /** The first field with a message gets focus, so its message is read out. */
  function focusFirstError(found: KeyFormErrors) {
    if (found.name) nameRef.current?.focus()
    else if (found.scopes) document.getElementById(`${id}-scope-0`)?.focus()
    else if (found.expiry) document.getElementById(ids.expiry)?.focus()
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    if (create.isPending) return
    const found: KeyFormErrors = {}
    const nameMessage = nameProblem(name)
    const scopesMessage = scopesProblem(scopes)
    if (nameMessage) found.name = nameMessage
    if (scopesMessage) found.scopes = scopesMessage
    setErrors(found)
    if (nameMessage || scopesMessage) {
      focusFirstError(found)
      return
    }
    try {
      const created = await create.mutateAsync({ name: name.trim(), scopes, expires_in_days: expiresInDays(expiry) })
      create.reset() // the secret now lives in the page's panel only, not in the mutation's state
      setName('')
      setScopes([...DEFAULT_SCOPES])
      setExpiry(DEFAULT_EXPIRY)
      onCreated(created)
    } catch (error) {
      const refused = createErrors(error)
      setErrors(refused)
      focusFirstError(refused)
    }
  }

  const clear = (field: keyof KeyFormErrors) => {
    if (!errors[field]) return
    setErrors((current) => {
      const next = { ...current }
      delete next[field]
      return next
    })
  }

  return (
    <section className="card" aria-labelledby={ids.heading}>
      <form className="stack" noValidate onSubmit={onSubmit} aria-busy={create.isPending}>
        <h2 id={ids.heading}>Create a key</h2>
        <div className="field">
          <label htmlFor={ids.name}>Name</label>
          <input
            ref={nameRef}
            id={ids.name}
            name="name"
            value={name}
            onChange={(event) => {
              setName(event.target.value)
              clear('name')
            }}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={errors.name ? true : undefined}
            aria-describedby={errors.name ? `${ids.nameError} ${ids.nameHint}` : ids.nameHint}
          />
          {errors.name && (
            <p id={ids.nameError} className="form-error small">
              {errors.name}
            </p>
          )}
          <p id={ids.nameHint} className="muted small">
            What uses it, so you know it again later: “Nightly sync”. {KEY_NAME_LENGTH.min}–{KEY_NAME_LENGTH.max} characters.
          </p>
        </div>

        <fieldset aria-describedby={errors.scopes ? ids.scopesError : undefined}>
          <legend>Scopes</legend>
          {SCOPE_CHOICES.map(({ scope, description }, index) => {
            const requirement = scopeRequirement(scope)
            return (
              <div key={scope} className="check">
                <input
                  type="checkbox"
                  id={`${id}-scope-${index}`}
                  name="scopes"
                  value={scope}
                  checked={scopes.includes(scope)}
                  onChange={(event) => {
                    setScopes((current) => toggleScope(current, scope, event.target.checked))
                    clear('scopes')
                  }}
                  aria-describedby={`${id}-scope-${index}-about`}
                />
                <label htmlFor={`${id}-scope-${index}`}>
                  <code>{scope}</code>
                </label>
                <p id={`${id}-scope-${index}-about`} className="muted small">
                  {description}
                  {requirement && <span className="block">{requirement}</span>}
                </p>
              </div>
            )
          })}
          {errors.scopes && (
            <p id={ids.scopesError} className="form-error small">
              {errors.scopes}
            </p>
          )}
        </fieldset>

        <div className="field expiry-field">
          <label htmlFor={ids.expiry}>Expires</label>
          <select
            id={ids.expiry}
            name="expiry"
            value={expiry}
            onChange={(event) => {
              setExpiry(event.target.value as ExpiryChoice)
              clear('expiry')
            }}
            aria-invalid={errors.expiry ? true : undefined}
            aria-describedby={[errors.expiry ? ids.expiryError : '', expiry === 'never' ? ids.expiryNote : ''].filter(Boolean).join(' ') || undefined}
          >
            {EXPIRY_CHOICES.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
          {errors.expiry && (
            <p id={ids.expiryError} className="form-error small">
              {errors.expiry}
            </p>
          )}
          {expiry === 'never' && (
            <p id={ids.expiryNote} className="muted small">
              It works until you revoke it. A key with an end date limits the harm of one that leaks.
            </p>
          )}
        </div>

        {errors.form && (
          <p role="alert" className="form-error">
            Could not create the key: {errors.form}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create key'}
          </button>
        </div>
      </form>
    </section>
  )
}
