import type { Metadata } from 'next'
import { OverviewPage } from '../../../components/overview/OverviewPage.tsx'

export const metadata: Metadata = { title: 'Overview' }

export default function Overview() {
  return <OverviewPage />
}
