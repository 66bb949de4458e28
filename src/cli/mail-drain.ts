/**
 * `npm run mail:drain`: sends every message of the mail outbox that is due now through SMTP_URL,
 * once, and reports what is left. Safe beside a running server: each message is claimed before
 * it is sent (src/lib/mail/outbox.ts).
 */
import { openDatabase } from '@db/client';
import { drainMail, mailTransport } from '~/lib/mail/delivery';
import { mailCounts } from '~/lib/mail/outbox';

const transport = mailTransport();
if (!transport) {
  console.error('SMTP_URL is not set, so there is nowhere to send mail (set it to smtp://user:pass@host:587 or smtps://…).');
  process.exit(1);
}
const db = openDatabase();
try {
  const result = await drainMail(db, transport, { limit: Infinity });
  const left = mailCounts(db);
  console.log(`Sent ${result.sent}; ${result.retrying} failed and wait for a retry; ${result.dead} went to the dead letter.`);
  console.log(`Now queued ${left.queued}, being sent ${left.sending}, dead letter ${left.dead}, expired unsent ${left.expired}.`);
} finally {
  transport.close();
  db.$client.close();
}
