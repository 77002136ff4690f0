import type { Region } from '../../worker/src/amazon/regions.ts'
import type { AmazonInstance } from './amazon-instance.ts'
import type { Grant } from './authorizations.ts'
import type { Reply } from './http-io.ts'
import type { PathParams } from './path-templates.ts'
import type { DataElement } from './restricted-data-tokens.ts'
import type { SpApiSeller } from './sp-api-sellers.ts'

/** An SP-API call that passed authentication and its usage plan, as an operation's handler sees it. */
export type SpApiCall = {
  instance: AmazonInstance
  /** The selling partner whose data the token opens, and the grant it came from. */
  seller: SpApiSeller
  grant: Grant
  /** The regional host the call was made on. */
  region: Region
  params: PathParams
  query: URLSearchParams
  body: Buffer
  /** The personal data the call may see: what the authorizing RDT's resource names (none with an LWA token). */
  dataElements: ReadonlySet<DataElement>
}

export type SpApiHandler = (call: SpApiCall) => Reply
