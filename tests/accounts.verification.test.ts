/**
 * Email verification over the real server: sign-up mails a single-use, expiring link; opening the
 * page does not use it; pressing its button (or the API) verifies, signs in and attaches what was
 * waiting for the address. Sign-up answers the same for an address that already has an account.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, mailedToken, outbox, postForm, sessionCookie, userId } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

const password = 'correct horse battery';
const verifiedAt = (email: string) =>
  (server.db.$client.prepare('select email_verified_at as at from users where lower(email) = lower(?)').get(email) as { at: number | null }).at;

describe('sign-up', () => {
  it('answers an address with an account exactly like a new one, and tells the owner instead', async () => {
    await server.api.signUp('owner@example.com', 'Owner', 'the owner’s own password');
    const mailsBefore = outbox(server, 'owner@example.com').length;

    const taken = await server.api.post('/auth/signup', { email: 'Owner@Example.com', password, displayName: 'Someone Else' });
    const fresh = await server.api.post('/auth/signup', { email: 'fresh@example.com', password, displayName: 'Fresh' });
    expect(taken.status).toBe(202);
    expect(fresh.status).toBe(202);
    expect(JSON.stringify(taken.body)).toBe(JSON.stringify(fresh.body));
    expect(taken.body).toEqual({ status: 'verification_sent' });
    expect([...taken.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());

    // The owner gets the "someone tried" mail in their language, with no verification link.
    const mails = outbox(server, 'owner@example.com').slice(mailsBefore);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('有人用您的邮箱尝试注册');
    expect(mails[0]!.body).toContain(`${server.url}/signin`);
    expect(mails[0]!.body).toContain(`${server.url}/forgot-password`);
    expect(mails[0]!.body).not.toContain('Someone');
    expect(mails[0]!.body).not.toContain('token=');
    // The account is untouched: the old password still works, the new one does not.
    expect((await server.api.post('/auth/login', { email: 'owner@example.com', password: 'the owner’s own password' })).status).toBe(200);
    expect((await server.api.post('/auth/login', { email: 'owner@example.com', password })).status).toBe(400);

    // The new address gets the verification link, and its account can sign in but is not verified.
    const [verification] = outbox(server, 'fresh@example.com');
    expect(verification!.subject).toBe('验证您的电子邮箱');
    expect(verification!.body).toMatch(new RegExp(`${server.url}/verify-email\\?token=[A-Za-z0-9_-]{20,}\\n`));
    expect(verifiedAt('fresh@example.com')).toBeNull();
  });

  it('shows the same “check your inbox” page for both, in both languages, and signs nobody in', async () => {
    await server.api.signUp('page-owner@example.com');
    const form = (email: string, path: string) => postForm(server, path, 'accounts.signUp', { email, password, displayName: 'Page', locale: path.startsWith('/en') ? 'en' : 'zh-cn' });
    const taken = await form('page-owner@example.com', '/en/signup');
    const fresh = await form('page-new@example.com', '/en/signup');
    expect(taken.status).toBe(fresh.status);
    expect(sessionCookie(taken)).toBeNull();
    expect(sessionCookie(fresh)).toBeNull();
    const sent = (html: string) => /data-testid="signup-sent">([^<]*)</.exec(html)?.[1];
    const takenText = sent(await taken.text());
    expect(takenText).toBe('Check your inbox: we sent a link to page-owner@example.com. Open it to finish signing up.');
    expect(sent(await fresh.text())).toBe(takenText!.replace('page-owner', 'page-new'));
    const zh = await form('page-zh@example.com', '/signup');
    expect(sent(await zh.text())).toBe('请查收邮件：我们已向 page-zh@example.com 发送了一个链接，打开它即可完成注册。');
    // An English sign-up gets the English page in its link.
    expect(mailedToken(server, 'page-new@example.com', '/en/verify-email')).toBeTruthy();
  });
});

describe('the verification link', () => {
  it('does nothing when the page is opened, verifies and signs in once through its button', async () => {
    await server.api.signUp('clicker@example.com');
    const token = mailedToken(server, 'clicker@example.com', '/verify-email');
    // A mail scanner fetching the link (twice) uses nothing.
    for (let i = 0; i < 2; i++) {
      const page = await getPage(server, `/verify-email?token=${token}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(`name="token" value="${token}"`);
      expect(html).toContain('确认邮箱并登录');
    }
    expect(verifiedAt('clicker@example.com')).toBeNull();

    const pressed = await postForm(server, `/verify-email?token=${token}`, 'accounts.verifyEmail', { token });
    expect(pressed.status).toBe(303);
    expect(pressed.headers.get('location')).toBe('/account?verified=1');
    const session = sessionCookie(pressed);
    expect(session).toBeTruthy();
    expect(verifiedAt('clicker@example.com')).toEqual(expect.any(Number));
    const account = await (await getPage(server, '/account?verified=1', session!)).text();
    expect(account).toContain('邮箱已验证，欢迎！');
    expect(account).not.toContain('data-testid="unverified-notice"');

    // Used once: the page and the API both refuse it, in both languages.
    const again = await postForm(server, `/en/verify-email?token=${token}`, 'accounts.verifyEmail', { token });
    expect(sessionCookie(again)).toBeNull();
    expect(await again.text()).toContain('This verification link has expired or was already used. Sign in to ask for a new one.');
    const againZh = await postForm(server, `/verify-email?token=${token}`, 'accounts.verifyEmail', { token });
    expect(await againZh.text()).toContain('该验证链接已过期或已被使用');
    const api = await server.api.post('/auth/verify', { token });
    expect(api.status).toBe(400);
    expect(api.body.error.fields.token).toEqual(['This verification link has expired or was already used. Sign in to ask for a new one.']);
  });

  it('verifies over the API with a session token like sign-in, and refuses an expired link', async () => {
    await server.api.signUp('api-verify@example.com', 'Api');
    const token = mailedToken(server, 'api-verify@example.com', '/verify-email');
    const res = await server.api.post('/auth/verify', { token });
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ email: 'api-verify@example.com', displayName: 'Api' });
    expect((await server.api.get('/me', res.body.token)).status).toBe(200);

    await server.api.signUp('late@example.com');
    const late = mailedToken(server, 'late@example.com', '/verify-email');
    server.db.$client.prepare('update email_verification_tokens set expires_at = ? where user_id = ?').run(Date.now() - 1000, userId(server, 'late@example.com'));
    const expired = await server.api.post('/auth/verify', { token: late });
    expect(expired.status).toBe(400);
    expect(expired.body.error.message).toBe('This verification link has expired or was already used. Sign in to ask for a new one.');
    expect(verifiedAt('late@example.com')).toBeNull();

    const doc = (await server.api.get('/openapi.json')).body;
    expect(Object.keys(doc.paths['/auth/verify'].post.responses)).toContain('200');
    expect(Object.keys(doc.paths['/auth/signup'].post.responses)).toContain('202');
  });

  it('offers an unverified account a new link on its page, a few times an hour', async () => {
    const session = await server.api.signUp('resend@example.com');
    const page = await (await getPage(server, '/en/account', session)).text();
    expect(page).toContain('data-testid="unverified-notice"');
    expect(page).toContain('Your email address is not verified yet.');
    const before = outbox(server, 'resend@example.com').length;
    for (let i = 0; i < 5; i++) {
      const res = await postForm(server, '/en/account', 'accounts.resendVerification', {}, session);
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/en/account?resent=1');
    }
    expect(outbox(server, 'resend@example.com').length).toBe(before + 5);
    const limited = await postForm(server, '/en/account', 'accounts.resendVerification', {}, session);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Too many attempts. Wait a little and try again.');
    expect(outbox(server, 'resend@example.com').length).toBe(before + 5);
    // The newest link works.
    expect((await server.api.post('/auth/verify', { token: mailedToken(server, 'resend@example.com', '/verify-email') })).status).toBe(200);
  });

  it('counts a completed password reset as proof of the address', async () => {
    await server.api.signUp('resetter@example.com');
    const forgot = await postForm(server, '/en/forgot-password', 'accounts.requestReset', { email: 'resetter@example.com' });
    expect(forgot.status).toBe(303);
    const token = mailedToken(server, 'resetter@example.com', '/reset-password');
    const reset = await postForm(server, '/en/reset-password', 'accounts.resetPassword', { token, newPassword: 'a brand new passphrase' });
    expect(reset.status).toBe(303);
    expect(verifiedAt('resetter@example.com')).toEqual(expect.any(Number));
  });
});

describe('the migration', () => {
  it('marks the accounts of an existing database verified (they were made under the old rules)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-migration-'));
    const sqlite = new Database(path.join(dir, 'old.db'));
    try {
      const migrations = path.resolve(import.meta.dirname, '../db/migrations');
      const journal = JSON.parse(readFileSync(path.join(migrations, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
      const apply = (tag: string) => {
        for (const statement of readFileSync(path.join(migrations, `${tag}.sql`), 'utf8').split('--> statement-breakpoint')) {
          if (statement.trim()) sqlite.exec(statement);
        }
      };
      for (const { idx, tag } of journal.entries) if (idx < 19) apply(tag);
      sqlite.prepare("insert into users (id, email, display_name, password_hash, locale, created_at) values ('old', 'old@example.com', 'Old', 'x', 'en', 1700000000000)").run();
      apply('0019_email_verification');
      expect(sqlite.prepare("select email_verified_at from users where id = 'old'").pluck().get()).toBe(1700000000000);
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('where the person was going', () => {
  it('carries ?next= from “sign in to enroll” through sign-up and the mailed link, and returns there after verifying', async () => {
    const next = '/en/courses/1';
    const signin = await (await getPage(server, `/en/signin?next=${encodeURIComponent(next)}`)).text();
    expect(signin).toContain(`href="/en/signup?next=${encodeURIComponent(next)}"`);
    const signup = await (await getPage(server, `/en/signup?next=${encodeURIComponent(next)}`)).text();
    expect(signup).toContain(`&amp;next=${encodeURIComponent(next)}`); // the form's action keeps it
    expect(signup).toContain(`href="/en/signin?next=${encodeURIComponent(next)}"`);

    const sent = await postForm(server, `/en/signup?next=${encodeURIComponent(next)}`, 'accounts.signUp', { email: 'going@example.com', password, displayName: 'Going', locale: 'en' });
    expect(sent.status).toBeLessThan(400);
    const [mail] = outbox(server, 'going@example.com');
    expect(mail!.body).toContain(`${server.url}/en/verify-email?token=`);
    expect(mail!.body).toContain(`&next=${encodeURIComponent(next)}`);

    const token = mailedToken(server, 'going@example.com', '/verify-email');
    const verified = await postForm(server, `/en/verify-email?token=${token}&next=${encodeURIComponent(next)}`, 'accounts.verifyEmail', { token });
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe(next);
    expect(sessionCookie(verified)).toBeTruthy();
  });

  it('never returns to another site', async () => {
    const sent = await postForm(server, `/en/signup?next=${encodeURIComponent('//evil.example/x')}`, 'accounts.signUp', { email: 'away@example.com', password, displayName: 'Away', locale: 'en' });
    expect(sent.status).toBeLessThan(400);
    const [mail] = outbox(server, 'away@example.com');
    expect(mail!.body).not.toContain('evil.example');
    const token = mailedToken(server, 'away@example.com', '/verify-email');
    const verified = await postForm(server, `/en/verify-email?token=${token}&next=${encodeURIComponent('/\\evil.example')}`, 'accounts.verifyEmail', { token });
    expect(verified.headers.get('location')).toBe('/en/account?verified=1');
  });
});
