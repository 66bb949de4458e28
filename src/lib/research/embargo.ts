/**
 * Embargoes that end. An embargoed finding is indexed without its body at publication, and
 * nothing happens on the day the embargo ends, so the server's scheduled check puts the body into
 * search then: every RESEARCH_EMBARGO_INTERVAL_MS (default a minute; 0 turns it off) in each
 * server process, started by src/cli/serve.mjs.
 *
 * The index records in search_meta the moment up to which ended embargoes are indexed. A check
 * on a later Shanghai day takes the embargoes that ended after that moment and up to now,
 * re-indexes those findings and moves the moment on, all in one write transaction: two processes
 * take turns, and the second finds nothing left, so a finding is re-indexed once. On a database that never ran the check,
 * the first one catches up with every embargo that already ended.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import { getDb, write, type Db, type DbOrTx } from '@db/client';
import { researchFindings } from '@db/schema';
import { shanghaiDay } from '~/i18n';
import { searchIndex } from '~/lib/search';
import { prepared } from '~/lib/search/statements';
import { leadIsVerified } from './policy';
import { findingSearchDocument } from './search';

const MARK = 'embargoes_indexed_until';

/** Re-indexes the published findings whose embargo ended since the last check. Returns how many. */
export function indexEndedEmbargoes(db: Db, now = new Date()): number {
  const today = shanghaiDay(now);
  const indexedUntil = (d: DbOrTx) => (prepared(d, `SELECT value FROM search_meta WHERE key = ?`).pluck().get(MARK) as number | undefined) ?? 0;
  // Embargoes end only at midnight in Shanghai: on the day of the last check none has ended since,
  // and the check costs one read, not a write transaction a minute in every process.
  if (shanghaiDay(indexedUntil(db)) >= today) return 0;
  return write(db, (tx) => {
    const since = indexedUntil(tx);
    if (shanghaiDay(since) >= today) return 0; // another process got here first
    // An embargo ends at 00:00 in Shanghai on its date: it ended in (since, now] when its date is
    // after Shanghai's day at `since` and no later than Shanghai's day now.
    const ended = tx
      .select()
      .from(researchFindings)
      .where(
        and(
          eq(researchFindings.status, 'published'),
          eq(researchFindings.access, 'embargoed'),
          gt(researchFindings.embargoUntil, shanghaiDay(since)),
          lte(researchFindings.embargoUntil, today),
        ),
      )
      .all()
      .filter((f) => leadIsVerified(tx, f.projectId));
    for (const finding of ended) searchIndex.upsert(tx, findingSearchDocument(tx, finding, now));
    prepared(tx, `INSERT INTO search_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`).run(MARK, now.getTime());
    return ended.length;
  });
}

let timer: NodeJS.Timeout | undefined;

export function startEmbargoSchedule(env: NodeJS.ProcessEnv = process.env) {
  if (timer) return;
  const every = Number(env.RESEARCH_EMBARGO_INTERVAL_MS ?? 60_000);
  if (!(every > 0)) return;
  timer = setInterval(() => {
    try {
      indexEndedEmbargoes(getDb());
    } catch (err) {
      console.error('research embargo check failed', err);
    }
  }, every);
  timer.unref();
}
