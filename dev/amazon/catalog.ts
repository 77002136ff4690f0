/**
 * The stand-in's Amazon catalog: a handful of products listed in every marketplace. Order items
 * (orders.ts) are drawn from it, so an ASIN read off an order can be looked up in the Catalog Items API.
 */
export type CatalogProduct = {
  asin: string
  brand: string
  itemName: string
  ean: string
  manufacturer: string
  /** The browse node the item is classified under. */
  classification: { classificationId: string; displayName: string }
  websiteDisplayGroup: string
}

const product = (
  asin: string,
  brand: string,
  itemName: string,
  ean: string,
  classification: CatalogProduct['classification'],
  websiteDisplayGroup: string,
): CatalogProduct => ({
  asin,
  brand,
  itemName,
  ean,
  manufacturer: `${brand} Manufacturing`,
  classification,
  websiteDisplayGroup,
})

const BOTTLES = { classificationId: '3744171', displayName: 'Water Bottles' }
const AUDIO = { classificationId: '3010085031', displayName: 'Portable Audio' }
const BAGS = { classificationId: '1036592', displayName: 'Bags' }

export const CATALOG: readonly CatalogProduct[] = Object.freeze([
  product('B0STANDN01', 'Standin', 'Standin Stainless Steel Water Bottle, 750 ml', '4006381333931', BOTTLES, 'kitchen_display_on_website'),
  product('B0STANDN02', 'Standin', 'Standin Insulated Travel Mug, 350 ml', '4006381333948', BOTTLES, 'kitchen_display_on_website'),
  product('B0STANDN03', 'Placeholder Audio', 'Placeholder Audio Wireless Earbuds, Black', '4006381333955', AUDIO, 'wireless_display_on_website'),
  product('B0STANDN04', 'Placeholder Audio', 'Placeholder Audio Bluetooth Speaker, Waterproof', '4006381333962', AUDIO, 'wireless_display_on_website'),
  product('B0STANDN05', 'Mockworks', 'Mockworks Cotton Tote Bag, Natural', '4006381333979', BAGS, 'apparel_display_on_website'),
  product('B0STANDN06', 'Mockworks', 'Mockworks Canvas Backpack, 20 l', '4006381333986', BAGS, 'apparel_display_on_website'),
])

export function catalogProduct(asin: string): CatalogProduct | undefined {
  return CATALOG.find((item) => item.asin === asin)
}
