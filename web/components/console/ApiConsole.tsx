'use client'
// The console for one account: the request form, Amazon's answer, and the account's rate-limit state, which is
// read again after every send.
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import type { Account } from '../../lib/api/accounts.ts'
import { accountUsageKey } from '../../lib/api/account-usage.ts'
import { type ProxyRequest, type ProxyResponse, useAmazonProxy } from '../../lib/api/amazon-proxy.ts'
import { consoleOperations, firstOperation } from '../../lib/console-operations.ts'
import { MAX_WAIT_MS } from '../../lib/proxy-headers.ts'
import { toastError } from '../../lib/toast-error.ts'
import { RequestForm } from './RequestForm.tsx'
import { ResponsePanel, type SentCall } from './ResponsePanel.tsx'
import { UsagePanel } from './UsagePanel.tsx'

export function ApiConsole({ account }: { account: Account }) {
  const operations = consoleOperations(account.provider)
  const [operationKey, setOperationKey] = useState(() => firstOperation(account.provider).key)
  const operation = operations.find((candidate) => candidate.key === operationKey) ?? firstOperation(account.provider)
  // Kept across operations: the seller's wait budget is a preference, not part of one request.
  const [maxWait, setMaxWait] = useState(String(MAX_WAIT_MS.default))
  const [sent, setSent] = useState<SentCall | null>(null)
  const responseHeading = useRef<HTMLHeadingElement>(null)
  const send = useAmazonProxy()
  const queryClient = useQueryClient()

  const call = useMutation({
    mutationFn: ({ request }: { request: ProxyRequest; operationId: string }): Promise<ProxyResponse> => send(account.id, request),
    onSuccess: (response, { request, operationId }) => setSent({ request, response, operationId, receivedAt: Date.now() }),
    onError: (error) => toastError(`The request was not sent: ${error.message}`),
    // Every attempt counts in the usage, answered or not.
    onSettled: () => queryClient.invalidateQueries({ queryKey: accountUsageKey(account.id) }),
  })

  // An answer arrived: focus goes to it (on a phone it is below the form), and Tab continues from there.
  useEffect(() => {
    if (sent) responseHeading.current?.focus()
  }, [sent])

  /** An unknown path's "closest operation", picked from the answer. */
  function pickOperation({ method, path }: { method: string; path: string }) {
    const picked = operations.find((candidate) => candidate.method === method && candidate.path === path)
    if (picked) setOperationKey(picked.key)
  }

  return (
    <>
      <RequestForm
        operations={operations}
        operation={operation}
        onOperationChange={setOperationKey}
        maxWait={maxWait}
        onMaxWaitChange={setMaxWait}
        sending={call.isPending}
        onSend={(request) => call.mutate({ request, operationId: operation.operationId })}
      />
      <ResponsePanel sent={sent} sending={call.isPending} onPickOperation={pickOperation} headingRef={responseHeading} />
      <UsagePanel accountId={account.id} operationId={operation.operationId} />
    </>
  )
}
