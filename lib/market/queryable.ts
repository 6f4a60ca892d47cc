/** Anything that runs one SQL statement: a pg.Pool, a pg client, a transaction's client. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}
