// Signs a bench user in through Clerk's <SignIn/> (email, then password), as a seller would, and waits for
// the dashboard's landing page.
import type { Page } from 'playwright-core'

export type BenchUser = { email: string; password: string }

export async function signInThroughClerk(page: Page, appUrl: string, user: BenchUser): Promise<void> {
  await page.goto(`${appUrl}/sign-in/`)
  await page.getByLabel('Email address').fill(user.email)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.getByLabel('Password', { exact: true }).fill(user.password)
  await page.getByRole('button', { name: 'Continue', exact: true }).click()
  await page.waitForURL(`${appUrl}/accounts/`)
}
