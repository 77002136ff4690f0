import type { Metadata } from 'next'
import { ApiKeysPage } from '../../../components/keys/ApiKeysPage.tsx'

export const metadata: Metadata = { title: 'API keys' }

export default function Keys() {
  return <ApiKeysPage />
}
