/**
 * The outbox for an external search engine: rows written in the same transaction as the data, so a
 * commit always carries its index change along, and an engine outage only delays it.
 */
import type { Db, DbOrTx } from '@db/client';
import { write } from '@db/client';
import { prepared } from './statements';
import type { DocKind, SearchDocument } from './types';

export interface OutboxRow {
  id: number;
  op: 'upsert' | 'remove' | 'settings';
  kind: DocKind | null;
  doc_id: string | null;
  payload: string | null;
  attempts: number;
}

export function enqueue(tx: DbOrTx, op: OutboxRow['op'], kind: DocKind | null, id: string | null, doc?: SearchDocument) {
  prepared(tx, `INSERT INTO search_outbox (op, kind, doc_id, payload, created_at) VALUES (?, ?, ?, ?, ?)`).run(op, kind, id, doc ? JSON.stringify(doc) : null, Date.now());
}

export function pendingCount(db: DbOrTx): number {
  return prepared(db, `SELECT count(*) FROM search_outbox`).pluck().get() as number;
}

export function dueRows(db: Db, limit: number, now = Date.now()): OutboxRow[] {
  return prepared(db, `SELECT id, op, kind, doc_id, payload, attempts FROM search_outbox WHERE next_attempt_at <= ? ORDER BY id LIMIT ?`).all(now, limit) as OutboxRow[];
}

export function markDone(db: Db, ids: number[]) {
  if (!ids.length) return;
  write(db, (tx) => prepared(tx, `DELETE FROM search_outbox WHERE id IN (SELECT value FROM json_each(?))`).run(JSON.stringify(ids)));
}

/**
 * One drainer at a time, across worker processes: a lease in search_meta, taken in a write
 * transaction. Two drainers reading the same rows could otherwise deliver them out of order (an
 * upsert sent late, after the remove that followed it, would bring a deleted document back).
 * A drainer that dies holding it delays delivery by `ms` at most.
 */
export function takeDrainLease(db: Db, ms = 300_000, now = Date.now()): boolean {
  return write(db, (tx) => {
    prepared(tx, `INSERT OR IGNORE INTO search_meta (key, value) VALUES ('outbox_lease_until', 0)`).run();
    return prepared(tx, `UPDATE search_meta SET value = ? WHERE key = 'outbox_lease_until' AND value <= ?`).run(now + ms, now).changes === 1;
  });
}

export function releaseDrainLease(db: Db) {
  write(db, (tx) => prepared(tx, `UPDATE search_meta SET value = 0 WHERE key = 'outbox_lease_until'`).run());
}

/** Exponential backoff from 1 s up to 5 minutes; rows are never dropped. */
export function markFailed(db: Db, ids: number[], error: string, now = Date.now()) {
  write(db, (tx) => {
    for (const id of ids) {
      const attempts = ((prepared(tx, `SELECT attempts FROM search_outbox WHERE id = ?`).pluck().get(id) as number | undefined) ?? 0) + 1;
      const delay = Math.min(300_000, 1000 * 2 ** Math.min(attempts - 1, 9));
      prepared(tx, `UPDATE search_outbox SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ?`).run(attempts, now + delay, error.slice(0, 500), id);
    }
  });
}
