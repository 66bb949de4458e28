/**
 * What a server process lets go of when it stops (src/cli/serve.mjs, after its last request):
 * the mail round in progress finishes, so no claimed message is sent twice or left claimed, and
 * the database closes, which checkpoints its WAL. The other timers (lapse checks, search outbox)
 * never keep the process alive and hold no work between their runs.
 */
import { closeDb } from '@db/client';
import { stopMailDelivery } from '~/lib/mail/delivery';

export async function releaseResources() {
  await stopMailDelivery();
  closeDb();
}
