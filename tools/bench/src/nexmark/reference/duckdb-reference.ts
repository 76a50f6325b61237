import { DuckDBInstance, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { Auction, Bid, NexmarkEvent, Person } from '@riffle/connector-datagen';
import type { Cell } from '../queries/nexmark-query.js';
import { REFERENCE_SQL } from './reference-sql.js';

/** One canonical row as a string: what result sets are compared as (sorted). */
export function canonicalRow(cells: readonly unknown[]): string {
  return cells.map(canonicalCell).join('\u0001');
}

/** Integers print as integers, fractions with three decimals (q1/q14's DECIMAL(23,3)), null as ∅. */
export function canonicalCell(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return String(v);
}

/**
 * An in-memory DuckDB holding one set of Nexmark events in the tables `person`, `auction` and
 * `bid` (loaded with appenders), answering the reference SQL of each query. `close()` when done.
 */
export class DuckDbReference {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Loads `events` into a fresh in-memory database. */
  static async load(events: Iterable<NexmarkEvent>): Promise<DuckDbReference> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`CREATE TABLE person (id BIGINT, name VARCHAR, emailAddress VARCHAR, creditCard VARCHAR, city VARCHAR,
      state VARCHAR, dateTime BIGINT, extra VARCHAR)`);
    await connection.run(`CREATE TABLE auction (id BIGINT, itemName VARCHAR, description VARCHAR, initialBid BIGINT, reserve BIGINT,
      dateTime BIGINT, expires BIGINT, seller BIGINT, category BIGINT, extra VARCHAR)`);
    await connection.run(`CREATE TABLE bid (auction BIGINT, bidder BIGINT, price BIGINT, channel VARCHAR, url VARCHAR,
      dateTime BIGINT, extra VARCHAR)`);
    const persons = await connection.createAppender('person');
    const auctions = await connection.createAppender('auction');
    const bids = await connection.createAppender('bid');
    for (const e of events) {
      if (e.kind === 'bid') appendBid(bids, e);
      else if (e.kind === 'auction') appendAuction(auctions, e);
      else appendPerson(persons, e);
    }
    for (const a of [persons, auctions, bids]) a.closeSync();
    return new DuckDbReference(instance, connection);
  }

  /** The reference result of `query`, as sorted canonical rows. */
  async rows(query: string): Promise<string[]> {
    const sql = REFERENCE_SQL[query];
    if (sql === undefined) throw new Error(`no reference SQL for ${query}`);
    const reader = await this.connection.runAndReadAll(sql);
    return reader
      .getRowsJS()
      .map((r) => canonicalRow(r as Cell[]))
      .sort();
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

function appendPerson(a: DuckDBAppender, p: Person): void {
  a.appendBigInt(BigInt(p.id));
  a.appendVarchar(p.name);
  a.appendVarchar(p.emailAddress);
  a.appendVarchar(p.creditCard);
  a.appendVarchar(p.city);
  a.appendVarchar(p.state);
  a.appendBigInt(BigInt(p.dateTime));
  a.appendVarchar(p.extra);
  a.endRow();
}

function appendAuction(a: DuckDBAppender, x: Auction): void {
  a.appendBigInt(BigInt(x.id));
  a.appendVarchar(x.itemName);
  a.appendVarchar(x.description);
  a.appendBigInt(BigInt(x.initialBid));
  a.appendBigInt(BigInt(x.reserve));
  a.appendBigInt(BigInt(x.dateTime));
  a.appendBigInt(BigInt(x.expires));
  a.appendBigInt(BigInt(x.seller));
  a.appendBigInt(BigInt(x.category));
  a.appendVarchar(x.extra);
  a.endRow();
}

function appendBid(a: DuckDBAppender, b: Bid): void {
  a.appendBigInt(BigInt(b.auction));
  a.appendBigInt(BigInt(b.bidder));
  a.appendBigInt(BigInt(b.price));
  a.appendVarchar(b.channel);
  a.appendVarchar(b.url);
  a.appendBigInt(BigInt(b.dateTime));
  a.appendVarchar(b.extra);
  a.endRow();
}
