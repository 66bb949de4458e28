/** `npm run search:reindex`: rebuilds the search index from the database, with progress. */
import { openDatabase } from '@db/client';
import { searchIndex } from '~/lib/search';

const db = openDatabase();
const started = Date.now();
const n = await searchIndex.reindexAll(db, (done, total) => {
  if (done === total || done % 500 === 0) process.stdout.write(`\rIndexing ${done}/${total}`);
});
db.$client.close();
console.log(`\nIndexed ${n} documents in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
