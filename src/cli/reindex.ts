/**
 * `npm run search:reindex`: rebuilds the configured search backend from the database, with a
 * progress display. `npm run search:reindex -- --drain-outbox` instead sends what the Meilisearch
 * outbox holds (retrying what is due) and reports what is left.
 */
import { openDatabase } from '@db/client';
import { searchBackend, searchIndex } from '~/lib/search';
import { pendingCount } from '~/lib/search/outbox';

const db = openDatabase();
const started = Date.now();

function bar(done: number, total: number) {
  const width = 30;
  const filled = total ? Math.round((done / total) * width) : width;
  const pct = total ? Math.floor((done / total) * 100) : 100;
  const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total} (${Math.round(rate)} docs/s)`;
}

try {
  if (process.argv.includes('--drain-outbox')) {
    if (searchBackend !== 'meilisearch') {
      console.log('MEILISEARCH_URL is not set: the embedded index needs no outbox.');
    } else {
      const { drainOutbox } = await import('~/lib/search/meilisearch');
      let total = 0;
      let busy = false;
      for (;;) {
        const result = await drainOutbox(db);
        total += result.sent;
        busy = result.busy === true;
        if (busy || result.failed || result.sent === 0) break;
      }
      if (busy) console.log('A running server is draining the outbox right now; it sends the rest.');
      console.log(`Sent ${total} changes to Meilisearch; ${pendingCount(db)} still waiting.`);
    }
  } else {
    console.log(`Rebuilding the ${searchBackend === 'meilisearch' ? 'Meilisearch' : 'embedded (SQLite FTS5)'} search index…`);
    let last = 0;
    const n = await searchIndex.reindexAll(db, (done, total) => {
      const now = Date.now();
      if (done === total || now - last > 100) {
        last = now;
        process.stdout.write(process.stdout.isTTY ? `\r${bar(done, total)}` : `${bar(done, total)}\n`);
      }
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(`Indexed ${n} documents in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  }
} finally {
  db.$client.close();
}
