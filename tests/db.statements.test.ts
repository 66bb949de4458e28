/**
 * db/client.ts keeps drizzle's prepared statements by SQL text (one sqlite3_prepare per distinct
 * query and connection, not per call). Kept statements must answer exactly as fresh ones: in
 * the row shape each caller asks for, inside transactions, and after the schema changes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { connectionOf, write } from '../db/client';
import { users } from '../db/schema';
import { testDb } from './helpers/db';

let db: ReturnType<typeof testDb>;
beforeEach(() => {
  db = testDb();
  db.insert(users).values([{ id: 'a', email: 'a@example.com', displayName: 'A', passwordHash: 'x' }, { id: 'b', email: 'b@example.com', displayName: 'B', passwordHash: 'x' }]).run();
});
afterEach(() => db.cleanup());

/** Counts the connection's sqlite3_prepare calls while `fn` runs. */
function prepares(fn: () => void): number {
  const client = db.$client;
  const original = client.prepare;
  let n = 0;
  client.prepare = ((text: string) => {
    n++;
    return original.call(client, text);
  }) as typeof original;
  try {
    fn();
  } finally {
    client.prepare = original;
  }
  return n;
}

const byId = (id: string) => db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, id)).get();

describe('kept statements', () => {
  it('prepare a query once per connection, however often it runs, also in transactions', () => {
    byId('a');
    expect(prepares(() => {
      for (let i = 0; i < 20; i++) expect(byId(i % 2 ? 'a' : 'b')?.name).toBe(i % 2 ? 'A' : 'B');
      write(db, (tx) => tx.select({ id: users.id }).from(users).where(eq(users.id, 'a')).get());
    })).toBe(1); // only the transaction's own query is new (BEGIN/COMMIT are prepared once by better-sqlite3)
    expect(prepares(() => write(db, (tx) => tx.select({ id: users.id }).from(users).where(eq(users.id, 'b')).get()))).toBe(0);
  });

  it('answer each caller in the row shape it asks for, when the same text is run as arrays and as objects', () => {
    // The builder reads rows as arrays (raw mode) and maps them; sql`` without fields reads objects.
    expect(byId('a')).toEqual({ id: 'a', name: 'A' });
    expect(db.get(sql`select "id", "display_name" from "users" where "users"."id" = ${'a'}`)).toEqual({ id: 'a', display_name: 'A' });
    expect(db.select({ id: users.id, name: users.displayName }).from(users).where(eq(users.id, 'b')).get()).toEqual({ id: 'b', name: 'B' });
    expect(db.all(sql`select "id", "display_name" from "users" where "users"."id" = ${'b'}`)).toEqual([{ id: 'b', display_name: 'B' }]);
    expect(db.values(sql`select "id", "display_name" from "users" where "users"."id" = ${'b'}`)).toEqual([['b', 'B']]);
    expect(db.get(sql`select "id", "display_name" from "users" where "users"."id" = ${'b'}`)).toEqual({ id: 'b', display_name: 'B' });
  });

  it('see a column added after they were kept', () => {
    expect(db.all(sql`select * from "users" where "id" = ${'a'}`)[0]).not.toHaveProperty('nickname');
    db.$client.exec(`ALTER TABLE users ADD COLUMN nickname TEXT DEFAULT 'ace'`);
    expect(db.all(sql`select * from "users" where "id" = ${'a'}`)[0]).toHaveProperty('nickname', 'ace');
  });

  it('give code that needs the connection itself the connection, from a database or a transaction', () => {
    expect(connectionOf(db)).toBe(db.$client);
    write(db, (tx) => expect(connectionOf(tx)).toBe(db.$client));
  });
});
