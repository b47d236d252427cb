import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import pg from 'pg';
import { createHash } from 'node:crypto';

export type StorageKind = 'embedded' | 'postgres';

/** Anything that runs one parameterised statement. Rows come back with one set of parsers on both backends. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
}

export interface QueryOptions {
  /**
   * Keep the statement prepared on its connection (PostgreSQL): parsed once per connection, and
   * planned once when PostgreSQL finds its generic plan as good as the custom ones. For hot
   * statements whose planning costs more than running them (per-payee recalculation); the
   * statement's name is derived from its text, so each distinct text is one prepared statement.
   */
  prepare?: boolean;
}

/** A prepared statement's name: a digest of its text (pg keeps one statement per name and connection). */
const statementName = (sql: string): string => `attain_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;

/** A connection inside a transaction. */
export interface Tx extends Queryable {
  /** Statements asked to `prepare` stay prepared on the connection (PostgreSQL; PGlite plans every statement afresh). */
  readonly prepares?: boolean;
  /** Multi-statement SQL without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Tx {
  readonly kind: StorageKind;
  /**
   * Runs fn in one transaction: committed when fn resolves, rolled back when it throws.
   * `begin`: SQL without parameters run first in the transaction (on PostgreSQL in the same
   * round trip as BEGIN: every request enters its tenant so, a round trip less each).
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, options?: { begin?: string }): Promise<T>;
  close(): Promise<void>;
}

// One set of value conventions for both drivers: bigint and numeric stay strings (parsed
// in one place, see values.ts), dates stay 'YYYY-MM-DD', timestamps become ISO instants.
const OID = { INT8: 20, NUMERIC: 1700, DATE: 1082, TIMESTAMPTZ: 1184, TIMESTAMP: 1114 } as const;
const toIsoInstant = (value: string): string => new Date(value).toISOString();
const identity = (value: string): string => value;
const PARSERS: Record<number, (value: string) => unknown> = {
  [OID.INT8]: identity,
  [OID.NUMERIC]: identity,
  [OID.DATE]: identity,
  [OID.TIMESTAMPTZ]: toIsoInstant,
  [OID.TIMESTAMP]: identity,
};

export interface EmbeddedDb extends Db {
  /** The database files as one tarball (tests clone a migrated schema from it). */
  dumpDataDir(): Promise<Blob>;
}

export async function openEmbedded(options: { dataDir?: string; loadDataDir?: Blob }): Promise<EmbeddedDb> {
  const pglite = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.loadDataDir === undefined ? {} : { loadDataDir: options.loadDataDir }),
    parsers: PARSERS,
    serializers: { [pgliteTypes.INT8]: (v: unknown) => String(v) },
  });
  const wrap = (q: Pick<PGlite, 'query' | 'exec'>): Tx => ({
    async query<T extends object>(sql: string, params?: readonly unknown[]) {
      const result = await q.query<T>(sql, params ? [...params] : []);
      return result.rows;
    },
    async exec(sql: string) {
      await q.exec(sql);
    },
  });
  const root = wrap(pglite);
  return {
    kind: 'embedded',
    query: root.query,
    exec: root.exec,
    transaction: (fn, options) => pglite.transaction(async (tx) => {
      if (options?.begin) await tx.exec(options.begin);
      return fn(wrap(tx));
    }),
    close: () => pglite.close(),
    dumpDataDir: async () => (await pglite.dumpDataDir('none')) as Blob,
  };
}

const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    const parser = PARSERS[oid];
    if (parser) return parser;
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  },
} as pg.CustomTypesConfig;

export async function openPostgres(options: { url: string; maxConnections?: number }): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    types: pgTypes,
  });
  // An idle connection the server drops (restart, DROP DATABASE … FORCE) must not crash the
  // process: the pool discards it and opens a new one on the next query.
  pool.on('error', (error) => {
    console.error(`attain: a PostgreSQL connection was closed: ${error.message}`);
  });
  // Fail at start, with the driver's message, when the server cannot be reached.
  const client = await pool.connect();
  client.release();
  const wrap = (q: pg.Pool | pg.PoolClient): Tx => ({
    prepares: true,
    async query<T extends object>(sql: string, params?: readonly unknown[], options?: QueryOptions) {
      const values = params ? [...params] : [];
      const result = options?.prepare ? await q.query<T>({ name: statementName(sql), text: sql, values }) : await q.query<T>(sql, values);
      return result.rows;
    },
    async exec(sql: string) {
      // Without parameters pg uses the simple protocol, which takes several statements.
      await q.query(sql);
    },
  });
  const root = wrap(pool);
  return {
    kind: 'postgres',
    query: root.query,
    exec: root.exec,
    async transaction(fn, options) {
      const conn = await pool.connect();
      try {
        // Without parameters the simple protocol takes both statements in one message.
        await conn.query(options?.begin ? `BEGIN; ${options.begin}` : 'BEGIN');
        const result = await fn(wrap(conn));
        await conn.query('COMMIT');
        return result;
      } catch (error) {
        await conn.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        conn.release();
      }
    },
    close: () => pool.end(),
  };
}
