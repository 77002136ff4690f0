import type { Metadata } from 'next'
import { ConsolePage } from '../../../components/console/ConsolePage.tsx'

export const metadata: Metadata = { title: 'API console' }

export default function Console() {
  return <ConsolePage />
}
