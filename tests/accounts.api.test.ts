import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server';
import { postForm, sessionCookie, userId } from './helpers/accounts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_SIGNIN_ACCOUNT_MAX: '3', RATE_SIGNIN_BLOCK_SECONDS: '2' });
});
afterAll(() => server?.stop());

describe('sign-up', () => {
  it('creates an account that can sign in with its password and get a working bearer token', async () => {
    const res = await server.api.post('/auth/signup', { email: 'Li.Wei@Example.com', password: 'a long enough secret', displayName: '李伟' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'verification_sent' });
    const login = await server.api.post('/auth/login', { email: 'li.wei@example.com', password: 'a long enough secret' });
    expect(login.body.user).toMatchObject({ email: 'li.wei@example.com', displayName: '李伟', roles: [] });
    const me = await server.api.get('/me', login.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'li.wei@example.com', memberships: [] });
  });

  it('explains every invalid field', async () => {
    const res = await server.api.post('/auth/signup', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['displayName', 'email', 'password']);
  });

  it('makes no second account with the same email, whatever its case', async () => {
    await server.api.signUp('dup@example.com');
    const res = await server.api.post('/auth/signup', { email: 'DUP@example.com', password: 'another long secret', displayName: 'Dup' });
    expect(res.status).toBe(202);
    expect(server.db.$client.prepare("select count(*) as n from users where lower(email) = 'dup@example.com'").get()).toEqual({ n: 1 });
    expect((await server.api.post('/auth/login', { email: 'dup@example.com', password: 'another long secret' })).status).toBe(400);
  });

  it('handles a 1,000-character password promptly', async () => {
    const password = randomBytes(500).toString('hex'); // random: a repeated letter is refused as guessable
    const started = Date.now();
    const res = await server.api.post('/auth/signup', { email: 'long@example.com', password, displayName: 'Long' });
    expect(res.status).toBe(202);
    const login = await server.api.post('/auth/login', { email: 'long@example.com', password });
    expect(login.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('sign-in', () => {
  it('answers a wrong password and an unknown email the same way', async () => {
    await server.api.signUp('known@example.com');
    const wrong = await server.api.post('/auth/login', { email: 'known@example.com', password: 'not the password' });
    const unknown = await server.api.post('/auth/login', { email: 'nobody@example.com', password: 'not the password' });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('limits failed attempts with 429 and Retry-After, then lets the owner back in', async () => {
    await server.api.signUp('target@example.com', 'Target', 'the real password');
    for (let i = 0; i < 3; i++) {
      await server.api.post('/auth/login', { email: 'target@example.com', password: `guess ${i}` });
    }
    const blocked = await server.api.post('/auth/login', { email: 'target@example.com', password: 'the real password' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2100));
    const ok = await server.api.post('/auth/login', { email: 'target@example.com', password: 'the real password' });
    expect(ok.status).toBe(200);
  });

  it('logout ends the session', async () => {
    const token = await server.api.signUp('bye@example.com');
    expect((await server.api.post('/auth/logout', undefined, token)).status).toBe(204);
    expect((await server.api.get('/me', token)).status).toBe(401);
  });
});

describe('request bodies', () => {
  it('answers bad JSON, a wrong content type and an oversized body with clear 4xx', async () => {
    const url = `${server.url}/api/v1/auth/login`;
    const bad = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"email":' });
    expect(bad.status).toBe(400);
    // Astro's origin check answers a cross-site-capable content type without Origin first (403);
    // a same-origin client gets our 415.
    const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain', origin: server.url }, body: 'x' });
    expect(form.status).toBe(415);
    const huge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
  });
});

describe('forms: origin check (CSRF)', () => {
  it('rejects a cross-site form post to the sign-in action with 403 and signs nobody in', async () => {
    await server.api.signUp('csrf@example.com', 'Csrf', 'the csrf password');
    const res = await fetch(`${server.url}/signin?_action=accounts.signIn`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'csrf@example.com', password: 'the csrf password' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie') ?? '').not.toContain('portal_session=');
  });

  it('accepts the same post from the site itself', async () => {
    await server.api.signUp('samesite@example.com', 'Same', 'the same password');
    const res = await postForm(server, '/signin', 'accounts.signIn', { email: 'samesite@example.com', password: 'the same password' });
    expect(res.status).toBe(303);
    expect(sessionCookie(res)).toBeTruthy();
  });
});

describe('password change', () => {
  it('ends every other session and keeps the one that changed it', async () => {
    const email = 'changer@example.com';
    const here = await server.api.signUp(email, 'Changer', 'the old password');
    const elsewhere = (await server.api.post('/auth/login', { email, password: 'the old password' })).body.token as string;
    expect((await server.api.get('/me', elsewhere)).status).toBe(200);

    const res = await postForm(server, '/account', 'accounts.changePassword', { currentPassword: 'the old password', newPassword: 'the new password' }, here);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/account?changed=1');

    expect((await server.api.get('/me', elsewhere)).status).toBe(401);
    expect((await server.api.get('/me', here)).status).toBe(200);
    expect((await server.api.post('/auth/login', { email, password: 'the old password' })).status).toBe(400);
    expect((await server.api.post('/auth/login', { email, password: 'the new password' })).status).toBe(200);
    const audit = server.db.$client.prepare(`select count(*) as n from audit_log where action = 'user.password_changed' and subject_id = ?`).get(userId(server, email)) as { n: number };
    expect(audit.n).toBe(1);
  });

  it('refuses a wrong current password and says so next to the field', async () => {
    const token = await server.api.signUp('wrongcurrent@example.com', 'W', 'the right password');
    const other = (await server.api.post('/auth/login', { email: 'wrongcurrent@example.com', password: 'the right password' })).body.token as string;
    const res = await postForm(server, '/en/account', 'accounts.changePassword', { currentPassword: 'not it at all', newPassword: 'the new password' }, token);
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('Your current password is not right.');
    expect(html).toMatch(/id="f-currentPassword"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="f-currentPassword"/);
    expect((await server.api.get('/me', other)).status).toBe(200);
  });

  it('shows the account page only to a signed-in user', async () => {
    const anon = await fetch(`${server.url}/account`, { redirect: 'manual' });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toBe('/signin?next=%2Faccount');
    const token = await server.api.signUp('profile@example.com', '资料页');
    const page = await fetch(`${server.url}/account`, { headers: { cookie: `portal_session=${token}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('profile@example.com');
    expect(html).toContain('资料页');
  });
});

describe('password reset', () => {
  const resetLink = (email: string) => {
    const row = server.db.$client
      .prepare(`select body from email_outbox where to_address = ? order by id desc limit 1`)
      .get(email) as { body: string } | undefined;
    const match = row && /(\/(?:en\/)?reset-password)\?token=([0-9a-f]+)/.exec(row.body);
    if (!match) throw new Error(`no reset link for ${email}`);
    return { path: match[1]!, token: match[2]! };
  };

  it('mails a single-use link that sets a new password and ends every session', async () => {
    const email = 'forgetful@example.com';
    const session = await server.api.signUp(email, 'Forgetful', 'the forgotten password');
    const asked = await postForm(server, '/forgot-password', 'accounts.requestReset', { email });
    expect(asked.status).toBe(303);
    expect(asked.headers.get('location')).toBe('/forgot-password?sent=1');

    const { path, token } = resetLink(email);
    expect(path).toBe('/reset-password');
    const form = await fetch(`${server.url}${path}?token=${token}`);
    expect(await form.text()).toContain(`value="${token}"`);

    const first = await postForm(server, path, 'accounts.resetPassword', { token, newPassword: 'a brand new password' });
    expect(first.status).toBe(303);
    expect(first.headers.get('location')).toBe('/reset-password?done=1');
    expect((await server.api.get('/me', session)).status).toBe(401);
    expect((await server.api.post('/auth/login', { email, password: 'a brand new password' })).status).toBe(200);

    const again = await postForm(server, path, 'accounts.resetPassword', { token, newPassword: 'yet another password' });
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('该重置链接已过期或已被使用');
    expect((await server.api.post('/auth/login', { email, password: 'yet another password' })).status).toBe(400);
  });

  it('refuses an expired link', async () => {
    const email = 'late@example.com';
    await server.api.signUp(email, 'Late', 'the late password');
    expect((await postForm(server, '/en/forgot-password', 'accounts.requestReset', { email })).status).toBe(303);
    const { token } = resetLink(email);
    server.db.$client.prepare(`update password_reset_tokens set expires_at = ? where user_id = ?`).run(Date.now() - 1000, userId(server, email));
    const res = await postForm(server, '/en/reset-password', 'accounts.resetPassword', { token, newPassword: 'too late password' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This reset link has expired or was already used.');
    expect((await server.api.post('/auth/login', { email, password: 'the late password' })).status).toBe(200);
  });

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const before = (server.db.$client.prepare('select count(*) as n from email_outbox').get() as { n: number }).n;
    const res = await postForm(server, '/forgot-password', 'accounts.requestReset', { email: 'nobody-here@example.com' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/forgot-password?sent=1');
    expect((server.db.$client.prepare('select count(*) as n from email_outbox').get() as { n: number }).n).toBe(before);
  });
});
