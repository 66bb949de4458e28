/**
 * `npm run credit:deadlines`: applies every credit deadline due now (certificates that expire, miss
 * a surveillance or reach six months suspended, and the other checks in CREDIT_DEADLINE_CHECKS),
 * once, for a cron job beside the server. The server does the same every CREDIT_SCHEDULE_INTERVAL_MS
 * and on access; each change is made once however many processes check.
 */
import { openDatabase } from '@db/client';
import { applyCreditDeadlines } from '~/lib/credit/schedule';

const db = openDatabase();
try {
  console.log(`Applied ${applyCreditDeadlines(db)} credit deadline change(s).`);
} finally {
  db.$client.close();
}
