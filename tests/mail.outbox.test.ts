/**
 * The mail outbox's sender against a real SMTP server on a loopback port and real SQLite files:
 * backoff, the dead letter, crashed senders, and two senders at once (two connections in one
 * process, and two `npm run mail:drain` processes).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { drainMail, mailTransport, type MailTransport } from '../src/lib/mail/delivery';
import { claimNextMail, MAIL_LIFETIME_MS, MAX_ATTEMPTS, RETRY_DELAYS_MS } from '../src/lib/mail/outbox';
import { queueEmail } from '../src/lib/notifications/notify';
import { testDb } from './helpers/db';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';

const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

interface Row {
  id: number;
  state: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  last_error: string | null;
  message_id: string | null;
}

let db: ReturnType<typeof testDb>;
let smtp: TestSmtpServer;
let transport: MailTransport;
const siteUrl = process.env.SITE_URL;

beforeAll(() => {
  process.env.SITE_URL = 'https://portal.example.cn';
});
afterAll(() => {
  if (siteUrl === undefined) delete process.env.SITE_URL;
  else process.env.SITE_URL = siteUrl;
});
beforeEach(async () => {
  db = testDb();
  smtp = await startSmtpServer();
  transport = mailTransport({ SMTP_URL: smtp.url })!;
});
afterEach(async () => {
  transport.close();
  await smtp.stop();
  db.cleanup();
});

const rows = () => db.$client.prepare('SELECT * FROM email_outbox ORDER BY id').all() as Row[];
/** The time passes: everything waiting for a retry is due now. */
const rewind = () => db.$client.prepare(`UPDATE email_outbox SET next_attempt_at = 0 WHERE state = 'queued'`).run();

describe('retries and the dead letter', () => {
  it(`retries a message the server defers (4xx) after 1 min, 5 min, 30 min, 2 h and 12 h, then gives it up after ${MAX_ATTEMPTS} attempts`, async () => {
    smtp.answer = () => [451, 'Try again later'];
    queueEmail(db, 'busy@example.com', '重置密码', 'body');
    const waits: number[] = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const before = Date.now();
      expect(await drainMail(db, transport)).toEqual(attempt < MAX_ATTEMPTS ? { sent: 0, retrying: 1, dead: 0 } : { sent: 0, retrying: 0, dead: 1 });
      const [row] = rows();
      expect(row!.attempts).toBe(attempt);
      expect(row!.last_error).toContain('451');
      expect(row!.claimed_until).toBeNull();
      if (attempt < MAX_ATTEMPTS) {
        expect(row!.state).toBe('queued');
        // not due yet: a drain now sends nothing
        expect(await drainMail(db, transport)).toEqual({ sent: 0, retrying: 0, dead: 0 });
        waits.push(Math.round((row!.next_attempt_at - before) / 60_000));
        rewind();
      } else expect(row!.state).toBe('dead');
    }
    expect(waits).toEqual(RETRY_DELAYS_MS.map((ms) => Math.round(ms / 60_000)));
    expect(waits).toEqual([1, 5, 30, 120, 720]);
    expect(smtp.received).toHaveLength(0);
  });

  it('sends a message the server refuses for good (5xx) to the dead letter at once, and the next one still goes', async () => {
    smtp.answer = (to) => (to === 'gone@example.com' ? [550, 'No such user here'] : undefined);
    queueEmail(db, 'gone@example.com', 'First', 'body');
    queueEmail(db, 'here@example.com', 'Second', 'body');
    expect(await drainMail(db, transport)).toEqual({ sent: 1, retrying: 0, dead: 1 });
    const [gone, here] = rows();
    expect(gone).toMatchObject({ state: 'dead', attempts: 1 });
    expect(gone!.last_error).toContain('550 No such user here');
    expect(here).toMatchObject({ state: 'sent', attempts: 1, last_error: null });
    expect(smtp.received.map((m) => m.subject)).toEqual(['Second']);
  });

  it('keeps mail waiting, not dead, when the server refuses the login (535): the credentials are at fault, not the mail', async () => {
    transport.close();
    transport = mailTransport({ SMTP_URL: smtp.url.replace(encodeURIComponent('mail secret'), 'wrong') })!;
    queueEmail(db, 'a@example.com', 'A', 'body');
    queueEmail(db, 'b@example.com', 'B', 'body');
    expect(await drainMail(db, transport)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    expect(rows().map((r) => [r.state, r.attempts])).toEqual([['queued', 1], ['queued', 0]]);
    expect(rows()[0]!.last_error).toContain('535');
  });

  it('sends a mail whose recipient is not an address to the dead letter at once', async () => {
    queueEmail(db, 'not an address', 'A', 'body');
    queueEmail(db, 'b@example.com', 'B', 'body');
    expect(await drainMail(db, transport)).toEqual({ sent: 1, retrying: 0, dead: 1 });
    expect(rows()[0]).toMatchObject({ state: 'dead', attempts: 1 });
    expect(smtp.received.map((m) => m.subject)).toEqual(['B']);
  });

  it('keeps every message waiting, without using up attempts, while the server cannot be reached', async () => {
    await smtp.stop();
    queueEmail(db, 'a@example.com', 'A', 'body');
    queueEmail(db, 'b@example.com', 'B', 'body');
    expect(await drainMail(db, transport)).toEqual({ sent: 0, retrying: 1, dead: 0 });
    // the run stopped at the first connection failure: the second message was not tried
    expect(rows().map((r) => [r.state, r.attempts])).toEqual([['queued', 1], ['queued', 0]]);
    smtp = await startSmtpServer(); // for afterEach
  });
});

describe('expiry', () => {
  it('marks mail expired instead of sending it once its expiry passed, also while it waits for a retry, and never sends it', async () => {
    queueEmail(db, 'late@example.com', 'Stale', 'body', new Date(Date.now() - 1));
    queueEmail(db, 'busy@example.com', 'Deferred', 'body', new Date(Date.now() + 60 * 60_000));
    queueEmail(db, 'fine@example.com', 'Fresh', 'body');
    smtp.answer = (to) => (to === 'busy@example.com' ? [451, 'Try again later'] : undefined);
    expect(await drainMail(db, transport)).toEqual({ sent: 1, retrying: 1, dead: 0 });
    expect(rows().map((r) => [r.state, r.attempts])).toEqual([['expired', 0], ['queued', 1], ['sent', 1]]);
    // the hour passes before the retry is due
    db.$client.prepare(`UPDATE email_outbox SET expires_at = ? WHERE state = 'queued'`).run(Date.now() - 1);
    rewind();
    smtp.answer = () => undefined;
    expect(await drainMail(db, transport)).toEqual({ sent: 0, retrying: 0, dead: 0 });
    expect(rows().map((r) => r.state)).toEqual(['expired', 'expired', 'sent']);
    expect(smtp.received.map((m) => m.subject)).toEqual(['Fresh']);
  });

  it(`gives mail without a token of its own ${MAIL_LIFETIME_MS / 86_400_000} days`, () => {
    const before = Date.now();
    queueEmail(db, 'a@example.com', 'Notice', 'body');
    const { expires_at } = db.$client.prepare('SELECT expires_at FROM email_outbox').get() as { expires_at: number };
    expect(expires_at - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(expires_at - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
  });
});

describe('one sender per message', () => {
  it('a sender that stopped mid-send leaves a lease; once it runs out the message is sent again with the same Message-ID', async () => {
    queueEmail(db, 'a@example.com', 'Once', 'body');
    const claimed = claimNextMail(db, '<first@portal.example.cn>', { leaseMs: 60_000 })!;
    expect(claimed.messageId).toBe('<first@portal.example.cn>');
    // the claimant "crashed" here; while its lease lasts, nobody else takes the message
    expect(await drainMail(db, transport)).toEqual({ sent: 0, retrying: 0, dead: 0 });
    db.$client.prepare('UPDATE email_outbox SET claimed_until = ? WHERE id = ?').run(Date.now() - 1, claimed.id);
    expect(await drainMail(db, transport)).toEqual({ sent: 1, retrying: 0, dead: 0 });
    expect(rows()[0]).toMatchObject({ state: 'sent', attempts: 2, message_id: '<first@portal.example.cn>' });
    expect(smtp.received.map((m) => m.messageId)).toEqual(['<first@portal.example.cn>']);
  });

  it('two connections draining one database at once send each message exactly once', async () => {
    await smtp.stop();
    smtp = await startSmtpServer({ delayMs: 20, pairUp: true });
    transport.close();
    transport = mailTransport({ SMTP_URL: smtp.url })!;
    for (let i = 0; i < 20; i++) queueEmail(db, `p${i}@example.com`, `Message ${i}`, 'body');
    const other = openDatabase(db.$client.name, { migrate: false });
    try {
      const [a, b] = await Promise.all([drainMail(db, transport), drainMail(other, transport)]);
      expect(a.sent + b.sent).toBe(20);
      expect(a.sent).toBeGreaterThan(0);
      expect(b.sent).toBeGreaterThan(0);
    } finally {
      other.$client.close();
    }
    expect(smtp.maxConcurrent).toBe(2);
    const subjects = smtp.received.map((m) => m.subject).sort();
    expect(subjects).toEqual(Array.from({ length: 20 }, (_, i) => `Message ${i}`).sort());
    expect(new Set(smtp.received.map((m) => m.messageId)).size).toBe(20);
    expect(rows().every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('two `npm run mail:drain` processes at once deliver each message exactly once', async () => {
    await smtp.stop();
    smtp = await startSmtpServer({ delayMs: 20, pairUp: true });
    for (let i = 0; i < 30; i++) queueEmail(db, `q${i}@example.com`, `邮件 ${i}`, '正文');
    const env = { ...process.env, SMTP_URL: smtp.url, DATABASE_PATH: db.$client.name, SITE_URL: 'https://portal.example.cn' };
    const drain = () => promisify(execFile)(tsx, [path.join(root, 'src/cli/mail-drain.ts')], { cwd: root, env });
    const outputs = await Promise.all([drain(), drain()]);
    const sent = outputs.map(({ stdout }) => Number(/Sent (\d+);/.exec(stdout)?.[1]));
    expect(sent[0]! + sent[1]!).toBe(30);
    expect(Math.min(...sent)).toBeGreaterThan(0);
    expect(smtp.received.map((m) => m.subject).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `邮件 ${i}`).sort());
    expect(rows().every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
  });

  it('`npm run mail:drain` without SMTP_URL says so and sends nothing', async () => {
    queueEmail(db, 'a@example.com', 'Kept', 'body');
    const env = { ...process.env, SMTP_URL: '', DATABASE_PATH: db.$client.name };
    await expect(promisify(execFile)(tsx, [path.join(root, 'src/cli/mail-drain.ts')], { cwd: root, env })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('SMTP_URL is not set'),
    });
    expect(rows()[0]).toMatchObject({ state: 'queued', attempts: 0 });
  });
});
