/**
 * The Meilisearch outbox when Meilisearch is down (nothing listens at MEILISEARCH_URL here): writes
 * still commit, nothing is lost, retries back off, and search keeps answering from the embedded index.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { write } from '../db/client';
import { testDb } from './helpers/db';

process.env.MEILISEARCH_URL = 'http://127.0.0.1:9'; // the discard port: connection refused
process.env.SEARCH_OUTBOX_INTERVAL_MS = '0'; // drained by hand below
const { meiliIndex, drainOutbox } = await import('../src/lib/search/meilisearch');
const { pendingCount, releaseDrainLease, takeDrainLease } = await import('../src/lib/search/outbox');

let db: ReturnType<typeof testDb>;
beforeEach(() => {
  db = testDb();
});
afterEach(() => db.cleanup());

const outbox = () => db.$client.prepare(`SELECT op, kind, doc_id, attempts, next_attempt_at, last_error FROM search_outbox ORDER BY id`).all() as any[];

describe('Meilisearch outage', () => {
  it('commits the write with its outbox row, keeps it through failed drains, and backs off', async () => {
    write(db, (tx) => meiliIndex.upsert(tx, { kind: 'course', id: '7', url: '/courses/7', lang: 'en', title: 'Outage-proof logistics' }));
    write(db, (tx) => meiliIndex.remove(tx, 'course', '3'));
    expect(outbox().map((r) => [r.op, r.kind, r.doc_id])).toEqual([['upsert', 'course', '7'], ['remove', 'course', '3']]);

    const first = await drainOutbox(db);
    expect(first).toEqual({ sent: 0, failed: 2 });
    const after = outbox();
    expect(after).toHaveLength(2);
    expect(after.every((r) => r.attempts === 1 && r.next_attempt_at > Date.now() && r.last_error)).toBe(true);

    // not due yet: a second drain right away sends nothing and counts no new attempt
    expect(await drainOutbox(db)).toEqual({ sent: 0, failed: 0 });
    expect(outbox().every((r) => r.attempts === 1)).toBe(true);
    expect(pendingCount(db)).toBe(2);
  });

  it('lets one drainer at a time work (worker processes share the outbox), and frees the lease after', async () => {
    write(db, (tx) => meiliIndex.upsert(tx, { kind: 'course', id: '7', url: '/courses/7', lang: 'en', title: 'Outage-proof logistics' }));
    // a second connection to the same file, as another worker process would have
    const { openDatabase } = await import('../db/client');
    const other = openDatabase(db.$client.name, { migrate: false });
    try {
      const [a, b] = await Promise.all([drainOutbox(db), drainOutbox(other)]);
      expect(a).toEqual({ sent: 0, failed: 1 });
      expect(b).toEqual({ sent: 0, failed: 0, busy: true });
      expect(outbox().map((r) => r.attempts)).toEqual([1]); // tried once, not by both
      expect(takeDrainLease(other)).toBe(true); // released when the first drain ended
      expect(await drainOutbox(db)).toEqual({ sent: 0, failed: 0, busy: true });
      releaseDrainLease(other);
      // a lease left by a drainer that died runs out
      expect(takeDrainLease(db, 1_000, Date.now() - 5_000)).toBe(true);
      expect(await drainOutbox(other)).toEqual({ sent: 0, failed: 0 }); // not due yet, but not blocked
    } finally {
      other.$client.close();
    }
  });

  it('still answers searches, from the embedded index', async () => {
    write(db, (tx) => meiliIndex.upsert(tx, { kind: 'course', id: '7', url: '/courses/7', lang: 'en', title: 'Outage-proof logistics' }));
    const r = await meiliIndex.search(db, { q: 'logistics' });
    expect(r.hits.map((h) => h.id)).toEqual(['7']);
  });

  it('a rolled-back write leaves no outbox row', () => {
    expect(() =>
      write(db, (tx) => {
        meiliIndex.upsert(tx, { kind: 'course', id: '8', url: '/courses/8', lang: 'en', title: 'Never published' });
        throw new Error('publishing failed');
      }),
    ).toThrow();
    expect(pendingCount(db)).toBe(0);
  });
});
