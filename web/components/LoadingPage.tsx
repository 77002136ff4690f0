/** The whole page while something it needs first (auth, the settings) is on its way. */
export function LoadingPage() {
  return (
    <main id="main" className="center muted" aria-busy="true">
      Loading…
    </main>
  )
}
