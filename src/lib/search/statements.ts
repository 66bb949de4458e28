/** Prepared statements cached per connection: the search hot path prepares nothing twice (db/client.ts). */
import { connectionOf } from '@db/client';

/** The raw better-sqlite3 connection behind a drizzle database or transaction. */
export const connection = connectionOf;

export { prepared } from '@db/client';
