import type { Metadata } from 'next'
import { AccountsPage } from '../../../components/accounts/AccountsPage.tsx'

export const metadata: Metadata = { title: 'Amazon accounts' }

export default function Accounts() {
  return <AccountsPage />
}
