'use client'
// App-wide providers: the build's auth implementation, TanStack Query, and the toaster.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import { Toaster } from 'sonner'
import { ApiError } from '../lib/api/api-error.ts'
import { AuthProvider } from '../lib/auth/index.ts'
import { RegionBoundary } from './RegionBoundary.tsx'

function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not get better by asking again; network trouble and 5xx might.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      },
      mutations: { retry: false },
    },
  })
}

export function AuthWrapper({ children }: { children: ReactNode }) {
  const [queryClient] = useState(createQueryClient)
  return (
    // Outermost, so a failed start (the auth provider could not load its settings) gets a retry too.
    <RegionBoundary title="sellersync could not start" variant="page">
      <AuthProvider>
        <QueryClientProvider client={queryClient}>
          {children}
          {/* Never over the top bar: bottom right, and across the bottom below 600 px (sonner's own mobile layout). */}
          <Toaster theme="system" position="bottom-right" richColors closeButton />
        </QueryClientProvider>
      </AuthProvider>
    </RegionBoundary>
  )
}
