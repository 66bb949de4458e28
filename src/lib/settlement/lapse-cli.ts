/**
 * Lapses every case past its due date, for a cron job next to the server:
 *   npx tsx src/lib/settlement/lapse-cli.ts
 * (The server also checks hourly and on every access, so this is belt and braces.)
 */
import { openDatabase } from '@db/client';
import { lapseOverdue } from './service';

const db = openDatabase();
console.log(`lapsed ${lapseOverdue(db)} settlement case(s)`);
db.$client.close();
