'use client'
// Which operation: a filter box narrowing a native <select> grouped by API (<optgroup>), so the keyboard, screen
// readers and phone pickers work as the platform does. The chosen operation stays listed whatever the filter.
import { useId, useState } from 'react'
import type { ConsoleOperation } from '../../lib/console-operations.ts'
import { groupOperations } from '../../lib/console-operations.ts'

type Props = { operations: readonly ConsoleOperation[]; operation: ConsoleOperation; onChange: (key: string) => void }

export function OperationPicker({ operations, operation, onChange }: Props) {
  const [filter, setFilter] = useState('')
  const ids = { filter: useId(), select: useId(), count: useId(), about: useId() }
  const groups = groupOperations(operations, filter, operation.key)
  const listed = groups.reduce((sum, group) => sum + group.operations.length, 0)
  return (
    <div className="stack operation-picker">
      <div className="field">
        <label htmlFor={ids.filter}>Filter operations</label>
        <input
          id={ids.filter}
          type="search"
          value={filter}
          onChange={(event) => setFilter(event.target.value)}
          placeholder="orders, getOrder, /sellers/…"
          autoComplete="off"
          spellCheck={false}
          aria-describedby={ids.count}
        />
        <p id={ids.count} className="muted small" aria-live="polite">
          {filter.trim() ? `${listed} of ${operations.length} operations listed` : `${operations.length} operations`}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.select}>Operation</label>
        <select id={ids.select} value={operation.key} onChange={(event) => onChange(event.target.value)} aria-describedby={ids.about}>
          {groups.map((group) => (
            <optgroup key={group.group} label={group.group}>
              {group.operations.map((candidate) => (
                <option key={candidate.key} value={candidate.key}>
                  {candidate.operationId} — {candidate.method} {candidate.path}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        <p id={ids.about} className="muted small operation-about">
          <code>
            {operation.method} {operation.path}
          </code>
          {operation.rate !== null && operation.burst !== null && ` · Amazon allows ${operation.rate} calls a second, ${operation.burst} at once`}
          {operation.restriction && ' · returns personal data (restricted)'}
        </p>
      </div>
    </div>
  )
}
