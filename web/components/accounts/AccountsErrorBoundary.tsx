'use client'
import { Component, type ReactNode } from 'react'

type Props = { onReset: () => void; children: ReactNode }
type State = { error: Error | null }

/** Catches a failed accounts load (or a render bug) and offers a retry instead of a blank page. */
export class AccountsErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  retry = () => {
    this.props.onReset()
    this.setState({ error: null })
  }

  override render() {
    if (!this.state.error) return this.props.children
    return (
      <div className="card notice" role="alert">
        <h2>Your accounts could not be loaded</h2>
        <p className="muted">{this.state.error.message}</p>
        <button type="button" className="button" onClick={this.retry}>
          Try again
        </button>
      </div>
    )
  }
}
