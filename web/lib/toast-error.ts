// An error toast that stays until the seller closes it: used where the toast is the only place the failure is told
// (nothing on the page changes), so it must not vanish after four seconds while they look elsewhere.
import { type ExternalToast, toast } from 'sonner'

export function toastError(message: string, options?: ExternalToast): string | number {
  return toast.error(message, { duration: Number.POSITIVE_INFINITY, ...options })
}
