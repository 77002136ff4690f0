// The slice of the schema (supabase/migrations) the Worker reads and writes, in supabase-js's
// `Database` shape so queries are type-checked. Keep it in step with the migrations.

type Timestamp = string

export type UserRow = {
  id: string
  email: string | null
  first_name: string | null
  last_name: string | null
  image_url: string | null
  clerk_updated_at: number
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
}

export type WebhookEventRow = { svix_id: string; type: string; received_at: Timestamp }

type Table<Row, Required extends keyof Row> = {
  Row: Row
  Insert: Pick<Row, Required> & Partial<Row>
  Update: Partial<Row>
  Relationships: []
}

export type Database = {
  public: {
    Tables: {
      users: Table<UserRow, 'id' | 'clerk_updated_at'>
      webhook_events: Table<WebhookEventRow, 'svix_id' | 'type'>
    }
    Views: Record<never, never>
    Functions: {
      sync_clerk_user: {
        Args: {
          p_id: string
          p_email: string | null
          p_first_name: string | null
          p_last_name: string | null
          p_image_url: string | null
          p_clerk_updated_at: number
        }
        Returns: boolean
      }
    }
    Enums: Record<never, never>
    CompositeTypes: Record<never, never>
  }
}
