/** Issue 13: reset links retired, sign-in limits under concurrency, guessable passwords, hashed session tokens. */
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase } from '../db/client';
import { sessions, users } from '../db/schema';
import { startServer, type TestServer } from './helpers/server';
import { postForm, userId } from './helpers/accounts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_SIGNIN_ACCOUNT_MAX: '5' });
});
afterAll(() => server?.stop());

/** The reset tokens mailed to `email`, newest first. */
function resetTokens(email: string): string[] {
  const rows = server.db.$client.prepare(`select body from email_outbox where to_address = ? order by id desc`).all(email) as { body: string }[];
  return rows.flatMap((r) => /reset-password\?token=([0-9a-f]+)/.exec(r.body)?.[1] ?? []);
}

const askReset = (email: string) => postForm(server, '/en/forgot-password', 'accounts.requestReset', { email });
const useReset = (token: string, newPassword: string) => postForm(server, '/en/reset-password', 'accounts.resetPassword', { token, newPassword });
const signIn = (s: TestServer, email: string, password: string) => s.api.post('/auth/login', { email, password });

describe('reset links', () => {
  it('stop working, all of them, once the newest one has set a password', async () => {
    const email = 'two-links@example.com';
    await server.api.signUp(email, 'Two Links', 'the original password');
    expect((await askReset(email)).status).toBe(303);
    expect((await askReset(email)).status).toBe(303);
    const [newest, older] = resetTokens(email);
    expect(newest && older).toBeTruthy();

    expect((await useReset(newest!, 'a freshly chosen password')).status).toBe(303);
    const late = await useReset(older!, 'an attacker chosen password');
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('This reset link has expired or was already used.');
    expect((await signIn(server, email, 'a freshly chosen password')).status).toBe(200);
    expect((await signIn(server, email, 'an attacker chosen password')).status).toBe(400);
  });

  it('stop working after a password change', async () => {
    const email = 'changed-mind@example.com';
    const token = await server.api.signUp(email, 'Changed Mind', 'the original password');
    expect((await askReset(email)).status).toBe(303);
    const changed = await postForm(server, '/en/account', 'accounts.changePassword', { currentPassword: 'the original password', newPassword: 'a remembered new password' }, token);
    expect(changed.status).toBe(303);

    const late = await useReset(resetTokens(email)[0]!, 'an attacker chosen password');
    expect(late.status).toBe(400);
    expect(await late.text()).toContain('This reset link has expired or was already used.');
    expect((await signIn(server, email, 'a remembered new password')).status).toBe(200);
  });
});

describe('sign-in limits under concurrent guesses', () => {
  it('checks at most RATE_SIGNIN_ACCOUNT_MAX of 31 simultaneous wrong passwords; the rest get 429', async () => {
    const email = 'besieged@example.com';
    await server.api.signUp(email, 'Besieged', 'the besieged password');
    const answers = await Promise.all(Array.from({ length: 31 }, (_, i) => signIn(server, email, `wrong guess ${i}`)));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s !== 400 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(26);
    // The owner is locked out too until the block ends: the limit held.
    expect((await signIn(server, email, 'the besieged password')).status).toBe(429);
  });

  it('gives a successful sign-in its attempts back', async () => {
    const email = 'forgetful-but-right@example.com';
    await server.api.signUp(email, 'Right', 'the remembered password');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) expect((await signIn(server, email, `almost ${i}`)).status).toBe(400);
      expect((await signIn(server, email, 'the remembered password')).status).toBe(200);
    }
  });

  it('limits one address the same way across accounts', async () => {
    const strict = await startServer({ RATE_SIGNIN_IP_MAX: '5', RATE_SIGNIN_ACCOUNT_MAX: '100' });
    try {
      await strict.api.signUp('someone@example.com', 'Someone', 'the someone password');
      // Correct sign-ins are not limited per address (a campus shares one).
      for (let i = 0; i < 8; i++) expect((await signIn(strict, 'someone@example.com', 'the someone password')).status).toBe(200);
      const answers = await Promise.all(Array.from({ length: 31 }, (_, i) => signIn(strict, `sprayed-${i}@example.com`, 'a sprayed password')));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 400).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(26);
    } finally {
      await strict.stop();
    }
  }, 60_000); // starts a second server
});

describe('guessable passwords', () => {
  const TOO_GUESSABLE = 'This password is too common or easy to guess. Try a few unrelated words.';

  it('are refused at API sign-up, saying why', async () => {
    const repeated = await server.api.post('/auth/signup', { email: 'aaaa@example.com', password: 'aaaaaaaaaa', displayName: 'Aaaa' });
    expect(repeated.status).toBe(400);
    expect(repeated.body.error.fields.password).toEqual([TOO_GUESSABLE, 'Repeated characters like "aaa" are easy to guess.']);

    const common = await server.api.post('/auth/signup', { email: 'common@example.com', password: 'password123', displayName: 'Common' });
    expect(common.status).toBe(400);
    expect(common.body.error.fields.password).toEqual([TOO_GUESSABLE, 'This is a commonly used password.']);

    const own = await server.api.post('/auth/signup', { email: 'alice@x.test', password: 'alice2026alice', displayName: 'Alice Liddell' });
    expect(own.status).toBe(400);
    expect(own.body.error.fields.password).toEqual([TOO_GUESSABLE, 'Do not build it from your name or email address.']);

    expect((await signIn(server, 'common@example.com', 'password123')).status).toBe(400);
  });

  it('are refused on the Chinese sign-up page, in Chinese, next to the field', async () => {
    const res = await postForm(server, '/signup', 'accounts.signUp', { displayName: '王芳', email: 'wangfang@example.com', password: 'password123', locale: 'zh-cn' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('该密码过于常见或容易被猜到。');
    expect(html).toContain('这是一个常用密码。');
    expect(html).toMatch(/id="f-password"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-password"/);
  });

  it('are refused for a password change and a reset', async () => {
    const email = 'weak-later@example.com';
    const token = await server.api.signUp(email, 'Weak Later', 'the original password');
    const change = await postForm(server, '/account', 'accounts.changePassword', { currentPassword: 'the original password', newPassword: 'qwertyuiop' }, token);
    expect(change.status).toBe(400);
    expect(await change.text()).toContain('该密码过于常见或容易被猜到。');

    expect((await askReset(email)).status).toBe(303);
    const reset = await useReset(resetTokens(email)[0]!, 'weaklater2026');
    expect(reset.status).toBe(400);
    const html = await reset.text();
    expect(html).toContain(TOO_GUESSABLE);
    expect(html).toContain('Do not build it from your name or email address.');
    expect((await signIn(server, email, 'the original password')).status).toBe(200);
  });
});

describe('session tokens', () => {
  it('are stored only as a SHA-256, and still sign in by bearer and by cookie', async () => {
    const email = 'hashed@example.com';
    await server.api.signUp(email, 'Hashed', 'the hashed password');
    const token = (await signIn(server, email, 'the hashed password')).body.token as string;
    const ids = (server.db.$client.prepare('select id from sessions where user_id = ?').all(userId(server, email)) as { id: string }[]).map((r) => r.id);
    expect(ids).not.toContain(token);
    expect(ids).toContain(createHash('sha256').update(token).digest('hex'));

    expect((await server.api.get('/me', token)).status).toBe(200);
    const page = await fetch(`${server.url}/en/account`, { headers: { cookie: `portal_session=${token}` }, redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(email);

    // A stolen copy of the table does not sign anyone in.
    expect((await server.api.get('/me', ids[0]!)).status).toBe(401);
  });

  it('stored in plain text before are deleted by migration 0020, so everyone signs in again', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'portal-0020-'));
    try {
      const folder = path.join(dir, 'migrations');
      cpSync(migrationsFolder, folder, { recursive: true });
      const journalFile = path.join(folder, 'meta/_journal.json');
      const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
      const all = journal.entries;
      writeFileSync(journalFile, JSON.stringify({ ...journal, entries: all.filter((e) => e.tag < '0020') }));
      const db = openDatabase(path.join(dir, 'old.db'), { migrate: false });
      migrate(db, { migrationsFolder: folder });
      db.insert(users).values({ id: 'old-user', email: 'old@example.com', displayName: 'Old', passwordHash: 'x' }).run();
      db.insert(sessions).values({ id: 'aplaintexttokenfromearlier', userId: 'old-user', expiresAt: Math.floor(Date.now() / 1000) + 3600 }).run();

      writeFileSync(journalFile, JSON.stringify({ ...journal, entries: all }));
      migrate(db, { migrationsFolder: folder });
      expect(db.select().from(sessions).all()).toEqual([]);
      expect(db.select().from(users).all()).toHaveLength(1);
      db.$client.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
