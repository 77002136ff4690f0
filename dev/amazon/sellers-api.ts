import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import type { SpApiHandler } from './sp-api-call.ts'
import { spApiOk } from './sp-api-errors.ts'

/** Sellers API v1 getMarketplaceParticipations: the seller's marketplaces, as `{ payload: [...] }`. */
export const getMarketplaceParticipations: SpApiHandler = ({ seller }) =>
  spApiOk({
    payload: seller.marketplaceIds.map((id) => {
      const marketplace = marketplaceById(id)!
      return {
        marketplace: {
          id: marketplace.id,
          countryCode: marketplace.countryCode,
          name: marketplace.name,
          defaultCurrencyCode: marketplace.defaultCurrencyCode,
          defaultLanguageCode: marketplace.defaultLanguageCode,
          domainName: marketplace.domainName,
        },
        participation: { isParticipating: true, hasSuspendedListings: seller.suspendedMarketplaceIds.includes(id) },
        storeName: seller.storeName,
      }
    }),
  })
