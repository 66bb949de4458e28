/**
 * The old entry of `npm run credit:deadlines`, kept for cron lines that call it by path: the same as
 * `npm run credit -- deadlines` (src/cli/credit.ts).
 */
import { openDatabase } from '@db/client';
import { runCredit } from './credit';

const db = openDatabase();
try {
  process.exitCode = runCredit(db, ['deadlines']);
} finally {
  db.$client.close();
}
