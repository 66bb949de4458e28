/**
 * Sends the mail outbox through SMTP (nodemailer), configured by SMTP_URL
 * (`smtp://user:pass@host:587`, `smtps://…`) and MAIL_FROM. Without SMTP_URL nothing is sent and
 * the outbox keeps every message for admins to read at /admin/outbox.
 */
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { Db } from '@db/client';
import { getDb } from '@db/client';
import { publicOrigin } from '~/lib/http/origin';
import { claimNextMail, hasDueMail, markMailFailed, markMailSent, type ClaimedMail } from './outbox';

export type MailTransport = ReturnType<typeof nodemailer.createTransport>;

/** The SMTP transport SMTP_URL names, or null when mail is not sent from this installation. */
export function mailTransport(env: NodeJS.ProcessEnv = process.env): MailTransport | null {
  if (!mailDeliveryConfigured(env)) return null;
  const url = env.SMTP_URL!.trim();
  // Well inside the claim's lease (CLAIM_LEASE_MS): a stalled server fails the attempt before another sender may take it.
  return nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
}

const siteHost = () => new URL(publicOrigin()).hostname;

/** MAIL_FROM, or the portal's name at no-reply@ SITE_URL's host. */
export function mailFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.MAIL_FROM?.trim() || `Shanghai CBEC Portal <no-reply@${siteHost()}>`;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

/**
 * A refusal that a later attempt would meet again: a 5xx answer to this message (a rejected
 * address, a refused body), or a recipient nodemailer cannot use (not an address). A 5xx to
 * the login is the installation's problem, not the message's: retried, so mail waits until the
 * credentials are fixed.
 */
function isPermanent(err: SmtpError): boolean {
  if (err.responseCode === undefined) return isBadRecipient(err);
  return err.responseCode >= 500 && err.responseCode < 600 && err.code !== 'EAUTH';
}

const isBadRecipient = (err: SmtpError) => err.code === 'EENVELOPE' && /recipient/i.test(err.message ?? '');

/** No answer from the server, or a refused login: every other message would fail the same way. */
const isInstallationWide = (err: SmtpError) => (err.responseCode === undefined && !isBadRecipient(err)) || err.code === 'EAUTH';

const describe = (err: SmtpError) => err.response || err.message || String(err);

export interface DrainResult {
  sent: number;
  retrying: number;
  dead: number;
}

/**
 * Sends due messages one by one, each claimed first (src/lib/mail/outbox.ts), up to `limit`.
 * A failure of the server or the login (not of one message) ends the run: the messages after it
 * stay unclaimed instead of using up their attempts.
 */
export async function drainMail(db: Db, transport: MailTransport, { limit = 100, leaseMs }: { limit?: number; leaseMs?: number } = {}): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, retrying: 0, dead: 0 };
  if (!hasDueMail(db)) return result;
  const from = mailFrom();
  const host = siteHost();
  for (let i = 0; i < limit; i++) {
    const mail = claimNextMail(db, `<${randomUUID()}@${host}>`, { leaseMs });
    if (!mail) break;
    const failure = await send(transport, from, mail);
    if (!failure) {
      markMailSent(db, mail.id);
      result.sent++;
      continue;
    }
    result[markMailFailed(db, mail, describe(failure), isPermanent(failure))]++;
    if (isInstallationWide(failure)) break;
  }
  return result;
}

async function send(transport: MailTransport, from: string, mail: ClaimedMail): Promise<SmtpError | null> {
  try {
    await transport.sendMail({ from, to: mail.toAddress, subject: mail.subject, text: mail.body, messageId: mail.messageId });
    return null;
  } catch (err) {
    return (err ?? {}) as SmtpError;
  }
}

let loop: NodeJS.Timeout | undefined;
/** The delivery round in progress, if any: shutdown waits for it, so no claimed message is left half-sent. */
let round: Promise<void> | undefined;

/**
 * The server's delivery loop: every MAIL_OUTBOX_INTERVAL_MS (default 5 s; 0 turns it off) in each
 * worker process, which the claims make safe. Started by src/cli/serve.mjs; off without SMTP_URL.
 * The timer never keeps a process alive.
 */
export function startMailDelivery(env: NodeJS.ProcessEnv = process.env) {
  if (loop) return;
  const every = Number(env.MAIL_OUTBOX_INTERVAL_MS ?? 5000);
  const transport = mailTransport(env);
  if (!transport || !(every > 0)) return;
  loop = setInterval(() => {
    if (round) return;
    round = drainMail(getDb(), transport)
      .then(() => undefined, (err) => console.error('mail outbox:', err))
      .finally(() => (round = undefined));
  }, every);
  loop.unref();
}

/** Stops the delivery loop and waits for the round in progress (graceful shutdown, src/lib/shutdown.ts). */
export async function stopMailDelivery() {
  clearInterval(loop);
  loop = undefined;
  await round;
}

/** Whether this installation sends mail at all (SMTP_URL is set); without it the outbox only keeps it. */
export function mailDeliveryConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.SMTP_URL?.trim());
}
