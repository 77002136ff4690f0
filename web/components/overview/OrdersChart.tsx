// Orders per day as CSS bars, drawn for the eye only: screen readers get the same numbers as a table.
import { useId } from 'react'
import { dayLabel, zoneName } from '../../lib/time-zone-days.ts'

export function OrdersChart({ perDay, timeZone }: { perDay: Array<{ day: string; count: number }>; timeZone: string }) {
  const captionId = useId()
  const highest = Math.max(1, ...perDay.map((entry) => entry.count))
  const caption = `Orders per day (${zoneName(timeZone)})`
  return (
    <figure className="day-chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="small muted">
        {caption}
      </figcaption>
      <div className="bars" aria-hidden="true">
        {perDay.map(({ day, count }) => (
          <div key={day} className="bar-column">
            <span className="bar-count">{count}</span>
            <span className="bar-track">
              <span className="bar" style={{ height: `${(count / highest) * 100}%` }} />
            </span>
            <span className="bar-day">
              <span>{dayLabel(day, 'weekday')}</span>
              <span>{Number(day.slice(8, 10))}</span>
            </span>
          </div>
        ))}
      </div>
      <table className="visually-hidden">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Orders</th>
          </tr>
        </thead>
        <tbody>
          {perDay.map(({ day, count }) => (
            <tr key={day}>
              <th scope="row">{dayLabel(day, 'long')}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  )
}
