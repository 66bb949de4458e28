/**
 * Mail leaving the built server: a real SMTP server started here (smtp-server on a loopback
 * port) receives what the server's delivery loop sends, and mailparser reads it back.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, grantRoles, postForm, userId } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';

interface Row {
  id: number;
  to_address: string;
  subject: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  message_id: string | null;
  expires_at: number | null;
  created_at: number;
}

const root = path.resolve(import.meta.dirname, '..');

const mailTo = (server: TestServer, to: string) =>
  server.db.$client.prepare('SELECT * FROM email_outbox WHERE to_address = ? ORDER BY id DESC').get(to) as Row | undefined;

async function until<T>(what: string, read: () => T | undefined | false, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('with SMTP_URL', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ SMTP_URL: smtp.url, MAIL_OUTBOX_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('delivers the sign-up verification mail: Chinese subject, UTF-8 plain text, link and Message-ID on SITE_URL', async () => {
    const res = await server.api.post('/auth/signup', { email: 'xiaoming@example.com', password: 'correct horse battery', displayName: '小明' });
    expect(res.status).toBe(202);
    const sent = await until('the mail to be sent', () => mailTo(server, 'xiaoming@example.com')?.state === 'sent' && mailTo(server, 'xiaoming@example.com'));
    const mail = smtp.received.find((m) => m.messageId === sent.message_id)!;
    expect(mail).toBeDefined();
    expect(smtp.received.filter((m) => m.messageId === sent.message_id)).toHaveLength(1);

    expect(mail.subject).toBe(sent.subject);
    expect(mail.subject).toMatch(/[\u4e00-\u9fff]/);
    // on the wire the subject is an encoded word, readable by any mail server
    const rawSubject = mail.headerLines.find((h) => h.key === 'subject')!.line;
    expect(rawSubject).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/i);
    expect(rawSubject).toMatch(/^[\x20-\x7e\r\n\t]+$/);

    const type = mail.headers.get('content-type') as { value: string; params: Record<string, string> };
    expect(type.value).toBe('text/plain');
    expect(type.params.charset?.toLowerCase()).toBe('utf-8');
    expect(mail.html).toBe(false);
    expect(mail.text).toContain(`${server.url}/verify-email?token=`);

    const host = new URL(server.url).hostname;
    expect(mail.from?.value[0]?.address).toBe(`no-reply@${host}`);
    expect(mail.from?.value[0]?.name).toBe('Shanghai CBEC Portal');
    expect((mail.to as { value: { address: string }[] }).value[0]!.address).toBe('xiaoming@example.com');
    expect(mail.messageId).toMatch(new RegExp(`^<[0-9a-f-]+@${host.replace(/\./g, '\\.')}>$`));
  });

  it('retries a deferred mail (4xx) later, dead-letters a refused one (5xx), shows both in /admin/outbox, and an admin can retry now', async () => {
    const adminToken = await server.api.signUp('mail-admin@example.com', 'Admin');
    grantRoles(server, 'mail-admin@example.com', ['admin']);
    smtp.answer = (to) => (to === 'later@example.com' ? [451, '4.3.0 Mailbox busy, try later'] : to === 'gone@example.com' ? [550, '5.1.1 No such user'] : undefined);
    const before = Date.now();
    expect((await server.api.post('/auth/signup', { email: 'later@example.com', password: 'correct horse battery', displayName: 'Later' })).status).toBe(202);
    expect((await server.api.post('/auth/signup', { email: 'gone@example.com', password: 'correct horse battery', displayName: 'Gone' })).status).toBe(202);

    const later = await until('the deferred mail to wait for a retry', () => mailTo(server, 'later@example.com')?.state === 'queued' && mailTo(server, 'later@example.com')?.attempts === 1 && mailTo(server, 'later@example.com'));
    expect(later.last_error).toContain('451');
    // the first retry waits a minute
    expect(later.next_attempt_at - before).toBeGreaterThanOrEqual(59_000);
    expect(later.next_attempt_at - Date.now()).toBeLessThanOrEqual(60_000);
    const gone = await until('the refused mail to be dead-lettered', () => mailTo(server, 'gone@example.com')?.state === 'dead' && mailTo(server, 'gone@example.com'));
    expect(gone.attempts).toBe(1);
    expect(gone.last_error).toContain('550 5.1.1 No such user');

    const zh = await (await getPage(server, '/admin/outbox?state=dead', adminToken)).text();
    expect(zh).toContain('gone@example.com');
    expect(zh).not.toContain('later@example.com');
    expect(zh).toContain('无法投递');
    expect(zh).not.toContain('未配置邮件服务器');
    expect(zh).toContain('550 5.1.1 No such user');
    expect(zh).toContain('立即重试');
    const en = await (await getPage(server, '/en/admin/outbox?to=later', adminToken)).text();
    expect(en).toContain('Waiting');
    expect(en).toContain('Attempts: 1');
    expect(en).toContain('451 4.3.0 Mailbox busy, try later');
    expect(en).toContain('Retry now');
    expect(await (await getPage(server, '/en/admin', adminToken)).text()).toContain('In the dead letter: 1');

    smtp.answer = () => undefined;
    // the minute passes: the deferred mail goes out on its second attempt
    server.db.$client.prepare('UPDATE email_outbox SET next_attempt_at = 0 WHERE id = ?').run(later.id);
    await until('the retried mail to be sent', () => mailTo(server, 'later@example.com')?.state === 'sent');
    expect(mailTo(server, 'later@example.com')!.attempts).toBe(2);
    expect(smtp.received.filter((m) => m.messageId === later.message_id)).toHaveLength(1);

    // someone who is not an admin cannot requeue it
    const someone = await server.api.signUp('someone@example.com', 'Someone');
    await postForm(server, '/admin/outbox', 'admin.retryMail', { id: String(gone.id) }, someone);
    expect(mailTo(server, 'gone@example.com')!.state).toBe('dead');

    const retried = await postForm(server, '/admin/outbox', 'admin.retryMail', { id: String(gone.id) }, adminToken);
    expect(retried.status).toBe(303);
    expect(retried.headers.get('location')).toBe(`/admin/outbox?retried=${gone.id}`);
    await until('the dead-lettered mail to be sent after "retry now"', () => mailTo(server, 'gone@example.com')?.state === 'sent');
    expect(smtp.received.filter((m) => m.messageId === gone.message_id)).toHaveLength(1);
    const audit = server.db.$client.prepare(`SELECT actor_id, subject_type, details FROM audit_log WHERE action = 'email.retry' AND subject_id = ?`).all(String(gone.id)) as {
      actor_id: string;
      subject_type: string;
      details: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.actor_id).toBe(userId(server, 'mail-admin@example.com'));
    expect(JSON.parse(audit[0]!.details)).toMatchObject({ to: 'gone@example.com', state: 'dead', attempts: 1 });

    // a mail already sent cannot be sent again from the page
    const again = await postForm(server, '/en/admin/outbox', 'admin.retryMail', { id: String(gone.id) }, adminToken);
    expect(await again.text()).toContain('This email is already sent or being sent.');
  });
});

describe('without SMTP_URL', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_OUTBOX_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('sends nothing and keeps the mail in the outbox for admins to read', async () => {
    const adminToken = await server.api.signUp('kept-admin@example.com', 'Admin');
    grantRoles(server, 'kept-admin@example.com', ['admin']);
    await new Promise((r) => setTimeout(r, 1000));
    expect(mailTo(server, 'kept-admin@example.com')).toMatchObject({ state: 'queued', attempts: 0 });
    expect(smtp.received).toHaveLength(0);
    const page = await (await getPage(server, '/admin/outbox', adminToken)).text();
    expect(page).toContain('未配置邮件服务器');
    expect(page).toContain('/verify-email?token=');
  });
});

describe('switching SMTP_URL on after mail waited in the outbox', () => {
  let smtp: TestSmtpServer;
  let server: TestServer;
  beforeAll(async () => {
    smtp = await startSmtpServer();
    server = await startServer({ MAIL_OUTBOX_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.stop();
  });

  it('never sends a reset mail older than its link: it shows as expired in /admin/outbox; a fresh reset mail goes out', async () => {
    const adminToken = await server.api.signUp('expiry-admin@example.com', 'Admin');
    grantRoles(server, 'expiry-admin@example.com', ['admin']);
    await server.api.signUp('old-reset@example.com', 'Old');
    await server.api.signUp('new-reset@example.com', 'New');
    for (const email of ['old-reset@example.com', 'new-reset@example.com']) {
      expect((await postForm(server, '/forgot-password', 'accounts.requestReset', { email })).status).toBe(303);
    }
    const token = (email: string) =>
      server.db.$client.prepare('SELECT t.token_hash, t.expires_at FROM password_reset_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ?').get(email) as { token_hash: string; expires_at: number };
    // the mail expires when its token does
    const old = mailTo(server, 'old-reset@example.com')!;
    expect(old.state).toBe('queued');
    expect(old.expires_at).toBe(token('old-reset@example.com').expires_at);
    expect(mailTo(server, 'new-reset@example.com')!.expires_at).toBe(token('new-reset@example.com').expires_at);

    // the old request was made an hour and a minute ago: its link no longer works
    const ago = 61 * 60_000;
    server.db.$client.prepare('UPDATE email_outbox SET created_at = created_at - ?, expires_at = expires_at - ? WHERE id = ?').run(ago, ago, old.id);
    server.db.$client.prepare('UPDATE password_reset_tokens SET created_at = created_at - ?, expires_at = expires_at - ? WHERE token_hash = ?').run(ago, ago, token('old-reset@example.com').token_hash);

    // the mail server is configured now: `npm run mail:drain` sends what is waiting
    const env = { ...process.env, SMTP_URL: smtp.url, DATABASE_PATH: server.databasePath, SITE_URL: server.url };
    const { stdout } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, 'src/cli/mail-drain.ts')], { cwd: root, env });
    expect(stdout).toContain('expired unsent 1');

    expect(mailTo(server, 'old-reset@example.com')).toMatchObject({ id: old.id, state: 'expired', attempts: 0 });
    expect(mailTo(server, 'new-reset@example.com')).toMatchObject({ state: 'sent', attempts: 1 });
    const to = (address: string) => smtp.received.filter((m) => (m.to as { value: { address: string }[] }).value[0]!.address === address);
    expect(to('new-reset@example.com').some((m) => m.text?.includes(`${server.url}/reset-password?token=`))).toBe(true);
    // the old address got its (fresh) verification mail, but not the dead reset link
    expect(to('old-reset@example.com')).toHaveLength(1);
    expect(to('old-reset@example.com')[0]!.text).not.toContain('/reset-password');

    const zh = await (await getPage(server, '/admin/outbox?state=expired', adminToken)).text();
    expect(zh).toContain('old-reset@example.com');
    expect(zh).not.toContain('new-reset@example.com');
    expect(zh).toContain('已过期');
    expect(zh).not.toContain('立即重试');
    const en = await (await getPage(server, '/en/admin/outbox?state=expired', adminToken)).text();
    expect(en).toContain('Expired');
    expect(en).not.toContain('Retry now');

    // and it is not retried, even when asked
    const again = await postForm(server, '/en/admin/outbox', 'admin.retryMail', { id: String(old.id) }, adminToken);
    expect(await again.text()).toContain('This email has expired and is not sent any more.');
    expect(mailTo(server, 'old-reset@example.com')!.state).toBe('expired');
  });
});
