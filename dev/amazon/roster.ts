import type { Region } from '../../worker/src/amazon/regions.ts'

/**
 * Who is signed in at Amazon when a consent page is approved: the accounts the stand-in knows (seeds
 * plus anyone queued since), a default per region, and a queue of "next approver" overrides a test
 * sets with `nextSeller` / `nextAdsAccount`. Shared by SP-API sellers and Amazon Ads accounts.
 */
export class Roster<Item extends { region: Region }> {
  readonly #initial: Item[]
  readonly #idOf: (item: Item) => string
  readonly #items = new Map<string, Item>()
  #queue: Item[] = []

  /** `initial`: the first item of each region is that region's default approver. */
  constructor(initial: Item[], idOf: (item: Item) => string) {
    this.#initial = initial
    this.#idOf = idOf
    this.reset()
  }

  reset(): void {
    this.#items.clear()
    this.#queue = []
    for (const item of this.#initial) this.#items.set(this.#idOf(item), structuredClone(item))
  }

  get(id: string): Item | undefined {
    return this.#items.get(id)
  }

  all(): Item[] {
    return [...this.#items.values()]
  }

  /** Registers (or replaces) the item and makes it the next approver, whatever the region. */
  enqueue(item: Item): Item {
    this.#items.set(this.#idOf(item), item)
    this.#queue.push(item)
    return item
  }

  /** Who would approve a consent shown for `region` now (the page shows them). */
  peek(region: Region): Item {
    return this.#queue[0] ?? this.#default(region)
  }

  /** Who approves: the next queued override, else the region's default. */
  take(region: Region): Item {
    return this.#queue.shift() ?? this.#default(region)
  }

  #default(region: Region): Item {
    const found = this.#initial.find((item) => item.region === region)
    if (!found) throw new Error(`No ${region} account is seeded`)
    return this.#items.get(this.#idOf(found)) ?? found
  }
}
