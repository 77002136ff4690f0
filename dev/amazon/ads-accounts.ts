import { z } from 'zod'
import { marketplaceById, marketplaceIdSchema, type Region } from '../../worker/src/amazon/regions.ts'
import { adsProfileId, amazonAccountId } from './amazon-ids.ts'

/**
 * A profile as `GET /v2/profiles` returns it. Amazon's profile ids are 64-bit integers, sent as JSON
 * numbers; past 2^53 a JavaScript number cannot hold them, so such an id is kept here as its decimal digits
 * (a string) and still written as a JSON number on the wire (ads-api.ts).
 */
export type AdsProfile = {
  profileId: number | string
  countryCode: string
  currencyCode: string
  dailyBudget?: number
  timezone: string
  accountInfo: {
    marketplaceStringId: string
    id: string
    type: 'seller' | 'vendor'
    name: string
    validPaymentMethod: boolean
  }
}

/** The Amazon customer who signs in on the Ads consent page, with their profiles in one region. */
export type AdsAccount = { accountId: string; region: Region; name: string; profiles: AdsProfile[] }

const adsProfileSeedSchema = z.object({
  profileId: z
    .union([
      z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      // Beyond 2^53, as decimal digits (a JSON number that large would be rounded before it got here): up to
      // the largest 64-bit integer, as Amazon's ids are.
      z
        .string()
        .regex(/^[1-9]\d{0,18}$/)
        .refine((digits) => BigInt(digits) <= 2n ** 63n - 1n, 'a profile id is a 64-bit integer'),
    ])
    .optional(),
  marketplaceId: marketplaceIdSchema,
  type: z.enum(['seller', 'vendor']).default('seller'),
  /** `accountInfo.id`: the seller's merchant id, or a vendor entity id. */
  accountId: z.string().min(1).optional(),
  name: z.string().min(1).optional(),
  dailyBudget: z.number().positive().optional(),
  validPaymentMethod: z.boolean().default(true),
})

export const adsAccountSeedSchema = z
  .object({
    accountId: z.string().min(1).optional(),
    name: z.string().min(1).optional(),
    profiles: z.array(adsProfileSeedSchema).min(1),
  })
  .refine((seed) => new Set(seed.profiles.map((profile) => marketplaceById(profile.marketplaceId)!.region)).size === 1, {
    message: 'Amazon Ads profiles of one authorization live in one region: all marketplaces must be in the same region',
    path: ['profiles'],
  })

export type AdsAccountSeed = z.input<typeof adsAccountSeedSchema>

export function adsAccountFromSeed(input: AdsAccountSeed): AdsAccount {
  const seed = adsAccountSeedSchema.parse(input)
  const accountId = seed.accountId ?? amazonAccountId()
  const name = seed.name ?? 'Stand-in advertiser'
  const profiles = seed.profiles.map((profile): AdsProfile => {
    const marketplace = marketplaceById(profile.marketplaceId)!
    return {
      profileId: profile.profileId ?? adsProfileId(),
      // Amazon Ads names the United Kingdom `UK` where the SP-API says `GB`.
      countryCode: marketplace.countryCode === 'GB' ? 'UK' : marketplace.countryCode,
      currencyCode: marketplace.defaultCurrencyCode,
      ...(profile.dailyBudget === undefined ? {} : { dailyBudget: profile.dailyBudget }),
      timezone: marketplace.timezone,
      accountInfo: {
        marketplaceStringId: marketplace.id,
        id: profile.accountId ?? accountId,
        type: profile.type,
        name: profile.name ?? name,
        validPaymentMethod: profile.validPaymentMethod,
      },
    }
  })
  return { accountId, region: marketplaceById(seed.profiles[0]!.marketplaceId)!.region, name, profiles }
}

const seller = (profileId: number, marketplaceId: string, accountId: string, name: string) => ({
  profileId,
  marketplaceId,
  type: 'seller' as const,
  accountId,
  name,
  dailyBudget: 999_999_999,
})

/** One advertiser per region with a few profiles; the seller profiles belong to the default SP-API sellers. */
export const DEFAULT_ADS_ACCOUNTS: AdsAccountSeed[] = [
  {
    accountId: 'amzn1.account.STANDINADVERTISERNA00000000',
    name: 'Stand-in Advertiser NA',
    profiles: [
      seller(1_000_000_000_001, 'ATVPDKIKX0DER', 'A1NASTANDIN001', 'Stand-in Seller NA'),
      seller(1_000_000_000_002, 'A2EUQ1WTGCTBG2', 'A1NASTANDIN001', 'Stand-in Seller NA'),
      {
        profileId: 1_000_000_000_003,
        marketplaceId: 'ATVPDKIKX0DER',
        type: 'vendor',
        accountId: 'ENTITY1STANDINVENDOR',
        name: 'Stand-in Vendor NA',
        validPaymentMethod: false,
      },
    ],
  },
  {
    accountId: 'amzn1.account.STANDINADVERTISEREU00000000',
    name: 'Stand-in Advertiser EU',
    profiles: [
      seller(2_000_000_000_001, 'A1F83G8C2ARO7P', 'A1EUSTANDIN001', 'Stand-in Seller EU'),
      seller(2_000_000_000_002, 'A1PA6795UKMFR9', 'A1EUSTANDIN001', 'Stand-in Seller EU'),
      seller(2_000_000_000_003, 'A13V1IB3VIYZZH', 'A1EUSTANDIN001', 'Stand-in Seller EU'),
    ],
  },
  {
    accountId: 'amzn1.account.STANDINADVERTISERFE00000000',
    name: 'Stand-in Advertiser FE',
    profiles: [
      seller(3_000_000_000_001, 'A1VC38T7YXB528', 'A1FESTANDIN001', 'Stand-in Seller FE'),
      seller(3_000_000_000_002, 'A39IBJ37TRP1C6', 'A1FESTANDIN001', 'Stand-in Seller FE'),
    ],
  },
]
