/**
 * The shapes of the operation tables the Amazon proxy forwards. Plain data, no imports: the dashboard
 * imports the tables too.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** What the matcher needs of any operation: `path` is a template whose `{name}` segments match one segment. */
export type OperationSpec = {
  readonly operationId: string
  readonly method: HttpMethod
  readonly path: string
}

/** One SP-API operation as Amazon's model declares it (see sp-api-operations.generated.ts). */
export type SpApiOperationSpec = OperationSpec & {
  /** The API, as the model's directory names it: `orders`, `reports`, … */
  readonly api: string
  /** The model's version: a date (`2021-06-30`) or `v0`, `v1`, `v2`. */
  readonly version: string
  /** Requests per second of the default usage plan; null where the model publishes no usage plan. */
  readonly rate: number | null
  /** Bucket size of the default usage plan; null where the model publishes none. */
  readonly burst: number | null
}

/** One Amazon Ads API operation the proxy forwards (see ads-operations.ts). */
export type AdsOperationSpec = OperationSpec & {
  /** The request Content-Type Amazon requires (versioned media types); absent: any, or no body. */
  readonly contentType?: string
  /** The Accept Amazon requires; absent: any. */
  readonly accept?: string
}
