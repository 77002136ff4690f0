import { marketplaceById } from '../../worker/src/amazon/regions.ts'
import { CATALOG, type CatalogProduct, catalogProduct } from './catalog.ts'
import type { Reply } from './http-io.ts'
import { decodePageToken, encodePageToken } from './page-tokens.ts'
import type { SpApiCall, SpApiHandler } from './sp-api-call.ts'
import { spApiError, spApiOk } from './sp-api-errors.ts'

const INCLUDED_DATA = [
  'attributes',
  'classifications',
  'dimensions',
  'identifiers',
  'images',
  'productTypes',
  'relationships',
  'salesRanks',
  'summaries',
  'vendorDetails',
]
const IDENTIFIER_TYPES = ['ASIN', 'EAN', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC']
const MAX_TERMS = 20
const MAX_PAGE_SIZE = 20

/** Catalog Items 2022-04-01 answers 400 `InvalidInput` with the reason as its message. */
const invalid = (message: string): Reply => spApiError(400, { code: 'InvalidInput', message, details: '' })
const list = (query: URLSearchParams, name: string) => (query.get(name) ?? '').split(',').filter(Boolean)

/**
 * Catalog Items API 2022-04-01: searchCatalogItems (by keywords or by identifiers, never both) and
 * getCatalogItem, over the stand-in's small catalog (catalog.ts). Bodies are bare (no `payload`).
 * The `summaries` and `identifiers` datasets are filled in; other valid `includedData` values are accepted
 * and left out.
 */
export const catalogItemsApi: Record<'searchCatalogItems' | 'getCatalogItem', SpApiHandler> = {
  searchCatalogItems(call) {
    const { query } = call
    const common = commonParameters(call, { maxMarketplaces: 1 })
    if ('status' in common) return common
    const keywords = list(query, 'keywords')
    const identifiers = list(query, 'identifiers')
    if (keywords.length > 0 && identifiers.length > 0) return invalid("Invalid combination of 'identifiers' and 'keywords' provided.")
    if (keywords.length === 0 && identifiers.length === 0) return invalid("Missing required 'identifiers' or 'keywords'.")
    if (keywords.length > MAX_TERMS || identifiers.length > MAX_TERMS) return invalid(`At most ${MAX_TERMS} 'keywords' or 'identifiers' are allowed.`)

    let found: CatalogProduct[]
    if (identifiers.length > 0) {
      for (const name of ['brandNames', 'classificationIds', 'keywordsLocale']) {
        if (query.has(name)) return invalid(`'${name}' cannot be used with 'identifiers'.`)
      }
      const type = query.get('identifiersType')
      if (type === null) return invalid("Missing required 'identifiersType' for 'identifiers'.")
      if (!IDENTIFIER_TYPES.includes(type)) return invalid(`Invalid 'identifiersType': ${type}.`)
      const sellerId = query.get('sellerId')
      if (type === 'SKU' && sellerId === null) return invalid("Missing required 'sellerId' for 'identifiersType' SKU.")
      // SKUs are the selling partner's own: another seller's id does not open them.
      if (type === 'SKU' && sellerId !== call.seller.sellingPartnerId) return invalid(`Invalid 'sellerId': ${sellerId}.`)
      found = CATALOG.filter((item) => identifiers.includes(identifierOf(item, type) ?? ''))
    } else {
      const words = keywords.map((keyword) => keyword.toLowerCase())
      const brands = list(query, 'brandNames')
      const classifications = list(query, 'classificationIds')
      found = CATALOG.filter(
        (item) =>
          words.some((word) => `${item.brand} ${item.itemName}`.toLowerCase().includes(word)) &&
          (brands.length === 0 || brands.includes(item.brand)) &&
          (classifications.length === 0 || classifications.includes(item.classification.classificationId)),
      )
    }

    const pageSize = query.has('pageSize') ? Number(query.get('pageSize')) : 10
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) return invalid(`'pageSize' must be between 1 and ${MAX_PAGE_SIZE}.`)
    const pageToken = query.get('pageToken')
    const offset = pageToken === null ? 0 : decodePageToken(pageToken)
    if (offset === undefined) return invalid("Invalid 'pageToken'.")
    const page = found.slice(offset, offset + pageSize)
    return spApiOk({
      numberOfResults: found.length,
      pagination: {
        ...(offset + pageSize < found.length ? { nextToken: encodePageToken(offset + pageSize) } : {}),
        ...(offset > 0 ? { previousToken: encodePageToken(Math.max(0, offset - pageSize)) } : {}),
      },
      refinements: {
        brands: countBy(found, (item) => item.brand).map(([brandName, numberOfResults]) => ({ numberOfResults, brandName })),
        classifications: countBy(found, (item) => item.classification.classificationId).map(([classificationId, numberOfResults]) => ({
          numberOfResults,
          ...found.find((item) => item.classification.classificationId === classificationId)!.classification,
        })),
      },
      items: page.map((item) => catalogItem(item, common)),
    })
  },

  getCatalogItem(call) {
    const common = commonParameters(call, { maxMarketplaces: Infinity })
    if ('status' in common) return common
    const asin = call.params.asin!
    const item = catalogProduct(asin)
    if (!item) {
      return spApiError(404, { code: 'NOT_FOUND', message: `Requested item, ${asin}, not found in marketplace(s) ${common.marketplaceIds.join(',')}.` })
    }
    return spApiOk(catalogItem(item, common))
  },
}

type Common = { marketplaceIds: string[]; includedData: string[] }

/** `marketplaceIds` (required, this host's region) and `includedData` (default `summaries`). */
function commonParameters({ query, region }: SpApiCall, { maxMarketplaces }: { maxMarketplaces: number }): Common | Reply {
  const marketplaceIds = list(query, 'marketplaceIds')
  if (marketplaceIds.length === 0) return invalid("Missing required 'marketplaceIds'.")
  if (marketplaceIds.length > maxMarketplaces) return invalid(`At most ${maxMarketplaces} 'marketplaceIds' value is allowed.`)
  const foreign = marketplaceIds.find((id) => marketplaceById(id)?.region !== region)
  if (foreign !== undefined) return invalid(`Invalid 'marketplaceIds' provided: ${foreign}.`)
  const includedData = query.has('includedData') ? list(query, 'includedData') : ['summaries']
  const unknown = includedData.find((value) => !INCLUDED_DATA.includes(value))
  if (unknown !== undefined) return invalid(`Invalid 'includedData' provided: ${unknown}.`)
  return { marketplaceIds, includedData }
}

function identifierOf(item: CatalogProduct, type: string): string | undefined {
  if (type === 'ASIN') return item.asin
  if (type === 'EAN' || type === 'GTIN') return item.ean
  if (type === 'SKU') return `SKU-${item.asin}`
  return undefined
}

function catalogItem(item: CatalogProduct, { marketplaceIds, includedData }: Common) {
  return {
    asin: item.asin,
    ...(includedData.includes('identifiers')
      ? { identifiers: marketplaceIds.map((marketplaceId) => ({ marketplaceId, identifiers: [{ identifierType: 'EAN', identifier: item.ean }] })) }
      : {}),
    ...(includedData.includes('summaries')
      ? {
          summaries: marketplaceIds.map((marketplaceId) => ({
            marketplaceId,
            brand: item.brand,
            browseClassification: item.classification,
            itemName: item.itemName,
            manufacturer: item.manufacturer,
            websiteDisplayGroup: item.websiteDisplayGroup,
          })),
        }
      : {}),
  }
}

function countBy(items: CatalogProduct[], keyOf: (item: CatalogProduct) => string): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(keyOf(item), (counts.get(keyOf(item)) ?? 0) + 1)
  return [...counts]
}
