// The schema as the Worker's supabase-js client sees it: the generated `Database` (database.generated.ts,
// `npm run types:db`, from supabase/migrations), refined where a generator cannot see, and names for the
// rows the code uses. Hand-kept, and small: every refinement below is checked against the generated types,
// so a refinement naming a column, function or argument the schema does not have fails to compile, and so
// does one that contradicts the schema's type (see Refinable).
import type { CheckedColumns, Database as GeneratedDatabase, Json } from './database.generated.ts'

type Generated = GeneratedDatabase['public']
type GeneratedTables = Generated['Tables']
type GeneratedFunctions = Generated['Functions']

/** `Base` with the keys of `Patch` replaced; the optional ones stay optional (Insert, Update, defaulted arguments). */
type Replace<Base, Patch> = { [K in keyof Base]: K extends keyof Patch ? Patch[K] : Base[K] }

/**
 * What a refinement may say about a key of `Base`: a narrower type, or (`Widen` = null) also null. A key
 * `Base` lacks can only be `never`, so naming it is an error.
 */
type Refinable<Base, Patch, Widen = never> = { [K in keyof Patch]: K extends keyof Base ? Base[K] | Widen : never }

/** A JSON object: what a jsonb column with CHECK (jsonb_typeof(…) = 'object') holds. */
type JsonObject = { [key: string]: Json }

// ── Tables ─────────────────────────────────────────────────────────────────────────────────────────
// The generator types `text` as `string`; CheckedColumns (generated too) has the value lists of the
// schema's CHECK (column IN (…)) constraints. Nullable columns stay nullable.
type ColumnRefinements = {
  [T in keyof GeneratedTables]: (T extends keyof CheckedColumns ? CheckedColumns[T] : unknown) & (T extends keyof ColumnsByHand ? ColumnsByHand[T] : unknown)
}

/** Column types no constraint spells out for a generator. */
type ColumnsByHand = CheckColumns<{
  account_events: { detail: JsonObject } // CHECK (jsonb_typeof(detail) = 'object')
}>
type CheckColumns<P extends { [T in keyof P]: T extends keyof GeneratedTables ? Refinable<GeneratedTables[T]['Row'], P[T]> : never }> = P

type RefineColumns<Columns, Patch> = { [K in keyof Columns]: K extends keyof Patch ? Patch[K] | Extract<Columns[K], null | undefined> : Columns[K] }

type Tables = {
  [T in keyof GeneratedTables]: {
    [Part in keyof GeneratedTables[T]]: Part extends 'Row' | 'Insert' | 'Update'
      ? RefineColumns<GeneratedTables[T][Part], ColumnRefinements[T]>
      : GeneratedTables[T][Part]
  }
}

type Row<T extends keyof Tables> = Tables[T]['Row']

export type UserRow = Row<'users'>
export type UserAccountRow = Row<'user_accounts'>
export type AmazonGrantRow = Row<'amazon_grants'>
export type OAuthStateRow = Row<'oauth_states'>
export type AccountEventRow = Row<'account_events'>

/** How the last refresh of a grant failed (docs/architecture.md, "Refresh error classes"). */
export type RefreshErrorClass = NonNullable<AmazonGrantRow['last_error_class']>
export type GrantStatus = AmazonGrantRow['status']

/** What start_grant_refresh hands the refresher. */
export type StartedGrant = Pick<
  AmazonGrantRow,
  'id' | 'user_id' | 'provider' | 'region' | 'status' | 'refresh_token' | 'access_token' | 'access_token_expires_at' | 'fernet_key_id' | 'refresh_attempts'
>

// ── Functions ──────────────────────────────────────────────────────────────────────────────────────
// Postgres does not record which arguments a function accepts null for, nor what its jsonb holds, so the
// generator types every argument and result as non-null and jsonb as Json: these say what the SQL allows.
// A function returning table rows (SetofOptions) returns the refined rows above, with no entry here.

/** A result may be narrower than generated, and null where the generator could not know. */
type RefinableResult<Base> = Json extends Base ? Json : Base extends readonly (infer Item)[] ? Array<{ [K in keyof Item]: Item[K] | null }> : Base | null

type CheckFunctions<
  P extends {
    [F in keyof P]: F extends keyof GeneratedFunctions
      ? { Args?: Refinable<GeneratedFunctions[F]['Args'], P[F] extends { Args: infer A } ? A : object, null>; Returns?: RefinableResult<GeneratedFunctions[F]['Returns']> }
      : never
  },
> = P

type FunctionRefinements = CheckFunctions<{
  sync_clerk_user: { Args: { p_email: string | null; p_first_name: string | null; p_last_name: string | null; p_image_url: string | null } }
  save_connected_accounts: {
    Args: {
      p_provider: UserAccountRow['provider']
      p_region: UserAccountRow['region']
      p_accounts: Array<{ external_id: string; marketplaces: string[]; display_name: string | null }>
      p_access_token: string | null
      p_access_token_expires_at: string | null
    }
  }
  record_account_sync: { Args: { p_marketplaces: string[] | null; p_error: string | null } }
  rename_account: { Args: { p_display_name: string | null } }
  start_grant_refresh: { Args: { p_claimed_owner: string | null }; Returns: StartedGrant[] }
  complete_grant_refresh: { Args: { p_refresh_token: string | null } }
  fail_grant_refresh: { Args: { p_error_class: RefreshErrorClass }; Returns: GrantStatus | null }
  release_grant: { Returns: boolean | null }
  save_reencrypted_grants: {
    Args: {
      p_rows: Array<{
        id: string
        refresh_token: string
        access_token: string | null
        previous_refresh_token: string
        previous_access_token: string | null
        fernet_key_id: string
      }>
    }
  }
  token_engine_health: {
    Returns: { grants_on_older_keys: number; sp_api_client: RefreshErrorClass | 'ok' | null; ads_client: RefreshErrorClass | 'ok' | null }
  }
}>

/** The refined rows of the table a row-returning function returns (one, or a set); else the generated result. */
type DefaultResult<F extends { Returns: unknown }> = F extends { SetofOptions: { to: infer T extends keyof Tables; isSetofReturn: infer Many } }
  ? Many extends true
    ? Row<T>[]
    : Row<T>
  : F['Returns']

/** The refinement of a function's Args or Returns, else `Otherwise`. */
type Refined<F extends keyof GeneratedFunctions, Part extends 'Args' | 'Returns', Otherwise> = F extends keyof FunctionRefinements
  ? FunctionRefinements[F] extends { [P in Part]: infer Refinement }
    ? Refinement
    : Otherwise
  : Otherwise

type Functions = {
  [F in keyof GeneratedFunctions]: {
    [Part in keyof GeneratedFunctions[F]]: Part extends 'Args'
      ? Replace<GeneratedFunctions[F]['Args'], Refined<F, 'Args', Record<never, never>>>
      : Part extends 'Returns'
        ? Refined<F, 'Returns', DefaultResult<GeneratedFunctions[F]>>
        : GeneratedFunctions[F][Part]
  }
}

/** supabase-js's `Database` for SupabaseClient<Database>: the generated one with the refinements above. */
export type Database = {
  [Schema in keyof GeneratedDatabase]: Schema extends 'public'
    ? { [Part in keyof Generated]: Part extends 'Tables' ? Tables : Part extends 'Functions' ? Functions : Generated[Part] }
    : GeneratedDatabase[Schema]
}
