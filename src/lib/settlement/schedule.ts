/**
 * The scheduled lapse check: every SETTLEMENT_LAPSE_INTERVAL_MS (default hourly) in the server
 * process, started by the first staff page or API call. Cases are also lapsed on access, so a
 * stopped timer never lets a late case through.
 */
import { getDb } from '@db/client';
import { lapseOverdue } from './service';

let timer: NodeJS.Timeout | undefined;

export function ensureLapseSchedule() {
  if (timer) return;
  const every = Number(process.env.SETTLEMENT_LAPSE_INTERVAL_MS ?? 3_600_000);
  if (!(every > 0)) return;
  timer = setInterval(() => {
    try {
      lapseOverdue(getDb());
    } catch (err) {
      console.error('settlement lapse check failed', err);
    }
  }, every);
  timer.unref();
}
