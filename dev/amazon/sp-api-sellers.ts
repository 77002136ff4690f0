import { z } from 'zod'
import { marketplaceById, marketplaceIdSchema, type Region } from '../../worker/src/amazon/regions.ts'
import { sellingPartnerId as randomSellingPartnerId } from './amazon-ids.ts'

/** A selling partner account in one SP-API region, with the marketplaces it sells in. */
export type SpApiSeller = {
  sellingPartnerId: string
  region: Region
  marketplaceIds: string[]
  storeName: string
  /** Marketplaces where the account has suspended listings (`participation.hasSuspendedListings`). */
  suspendedMarketplaceIds: string[]
}

export const spApiSellerSeedSchema = z
  .object({
    /** Omitted: a random one (`A` and 13 letters or digits). */
    sellingPartnerId: z
      .string()
      .regex(/^A[0-9A-Z]{9,20}$/, 'a selling partner id is A followed by upper-case letters and digits')
      .optional(),
    marketplaceIds: z.array(marketplaceIdSchema).min(1),
    storeName: z.string().min(1).max(200).optional(),
    suspendedMarketplaceIds: z.array(marketplaceIdSchema).optional(),
  })
  .refine((seed) => new Set(seed.marketplaceIds.map((id) => marketplaceById(id)!.region)).size === 1, {
    message: 'a seller account lives in one SP-API region: all its marketplaces must be in the same region',
    path: ['marketplaceIds'],
  })

export type SpApiSellerSeed = z.input<typeof spApiSellerSeedSchema>

export function spApiSellerFromSeed(input: SpApiSellerSeed): SpApiSeller {
  const seed = spApiSellerSeedSchema.parse(input)
  const region = marketplaceById(seed.marketplaceIds[0]!)!.region
  const sellingPartnerId = seed.sellingPartnerId ?? randomSellingPartnerId()
  return {
    sellingPartnerId,
    region,
    marketplaceIds: [...new Set(seed.marketplaceIds)],
    storeName: seed.storeName ?? `Stand-in store ${sellingPartnerId}`,
    suspendedMarketplaceIds: seed.suspendedMarketplaceIds ?? [],
  }
}

/** One seller per region, with fixed ids so tests and the local dashboard can name them. */
export const DEFAULT_SP_API_SELLERS: SpApiSellerSeed[] = [
  {
    sellingPartnerId: 'A1NASTANDIN001',
    storeName: 'Stand-in Seller NA',
    marketplaceIds: ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2', 'A1AM78C64UM0Y8'],
  },
  {
    sellingPartnerId: 'A1EUSTANDIN001',
    storeName: 'Stand-in Seller EU',
    marketplaceIds: ['A1F83G8C2ARO7P', 'A1PA6795UKMFR9', 'A13V1IB3VIYZZH', 'APJ6JRA9NG5V4', 'A1RKKUPIHCS9HS'],
  },
  {
    sellingPartnerId: 'A1FESTANDIN001',
    storeName: 'Stand-in Seller FE',
    marketplaceIds: ['A1VC38T7YXB528', 'A39IBJ37TRP1C6'],
  },
]
