import { integer } from 'drizzle-orm/sqlite-core';

/** Milliseconds since the epoch, read and written as a Date. */
export const timestamp = (name: string) => integer(name, { mode: 'timestamp_ms' });

/** Creation time filled in by the database when the row is inserted. */
export const createdAt = () =>
  timestamp('created_at')
    .notNull()
    .$defaultFn(() => new Date());

/** Last change time; services set it on every update, the insert fills it in. */
export const updatedAt = () =>
  timestamp('updated_at')
    .notNull()
    .$defaultFn(() => new Date());
