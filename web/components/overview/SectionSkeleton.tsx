/** A card's place while its data is on the way. */
export function SectionSkeleton({ label }: { label: string }) {
  return (
    <div className="card skeleton" role="status" aria-busy="true" aria-label={label}>
      <span className="bone wide" />
      <span className="bone" />
      <span className="bone" />
    </div>
  )
}
