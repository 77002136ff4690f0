// Amounts as sellers read them: "$25.00", "€1,234.50"; without a known currency, the plain number.

export function formatMoney(amount: number, currency: string | undefined): string {
  if (currency) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency }).format(amount)
    } catch {
      // not an ISO 4217 code Intl knows: the number and the code as Amazon wrote it
      return `${new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} ${currency}`
    }
  }
  return new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)
}
