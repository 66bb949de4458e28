/**
 * The site's address comes from configuration, never from the request: links in emails use
 * SITE_URL (or the listening address in development), the same-origin check of form posts
 * compares against it (and ALLOWED_HOSTS), and production refuses to start without it.
 */
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server';

const root = path.resolve(import.meta.dirname, '..');

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with headers fetch() will not send as given (a forged Host). */
function raw(base: string, method: string, target: string, headers: Record<string, string>, body = ''): Promise<RawResponse> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, method, path: target, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const form = 'application/x-www-form-urlencoded';

/** Asks for a reset link for `email` with the given Host and Origin headers. */
function forgotPassword(server: TestServer, email: string, host: string, origin: string) {
  return raw(server.url, 'POST', '/forgot-password?_action=accounts.requestReset', { host, origin, 'content-type': form }, `email=${encodeURIComponent(email)}`);
}

/** Mails to `email` other than the verification link every sign-up sends. */
function mailsTo(server: TestServer, email: string): string[] {
  return server.db.$client
    .prepare("SELECT body FROM email_outbox WHERE to_address = ? AND body NOT LIKE '%/verify-email?token=%' ORDER BY id")
    .pluck()
    .all(email) as string[];
}

describe('in production, with SITE_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ALLOWED_HOSTS: 'https://www.portal.example, http://portal.example:8080' });
  });
  afterAll(() => server?.stop());

  it('refuses a form post whose Origin matches a forged Host, and mails nothing', async () => {
    await server.api.signUp('forged@example.com');
    const res = await forgotPassword(server, 'forged@example.com', 'evil.example', 'http://evil.example');
    expect(res.status).toBe(403);
    expect(mailsTo(server, 'forged@example.com')).toEqual([]);
  });

  it('puts the reset link on SITE_URL whatever Host the request names', async () => {
    await server.api.signUp('host@example.com');
    const res = await forgotPassword(server, 'host@example.com', 'evil.example', server.url);
    expect(res.status).toBeLessThan(400);
    const [mail] = mailsTo(server, 'host@example.com');
    expect(mail).toContain(`${server.url}/reset-password?token=`);
    expect(mail).not.toContain('evil.example');
  });

  it('puts invitation links on SITE_URL, from the API and from the members form', async () => {
    const token = await server.api.signUp('inviter@example.com');
    const org = await server.api.post('/organizations', { name: 'Host Header Trading', type: 'company' }, token);
    expect(org.status).toBe(201);
    const api = await raw(
      server.url,
      'POST',
      `/api/v1/organizations/${org.body.slug}/members`,
      { host: 'evil.example', authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      JSON.stringify({ email: 'invitee@example.com', role: 'member' }),
    );
    expect(api.status).toBe(202);
    const formPost = await raw(
      server.url,
      'POST',
      `/en/organizations/${org.body.slug}/members?_action=organizations.addMember`,
      { host: 'evil.example', origin: server.url, cookie: `portal_session=${token}`, 'content-type': form },
      new URLSearchParams({ slug: org.body.slug, email: 'second@example.com', role: 'member' }).toString(),
    );
    expect(formPost.status).toBeLessThan(400);
    for (const email of ['invitee@example.com', 'second@example.com']) {
      const [mail] = mailsTo(server, email);
      expect(mail, email).toContain(`${server.url}/invitations/accept?token=`);
      expect(mail, email).not.toContain('evil.example');
    }
  });

  it('checks the origin of a cookie-signed form post that also carries an unknown bearer token', async () => {
    const token = await server.api.signUp('both@example.com');
    const signOut = (headers: Record<string, string>) =>
      raw(server.url, 'POST', '/auth/signout', { origin: 'http://evil.example', 'content-type': form, ...headers }, 'next=%2F');
    // The cookie alone: refused, as before.
    expect((await signOut({ cookie: `portal_session=${token}` })).status).toBe(403);
    // A made-up bearer beside the cookie no longer switches the check off.
    expect((await signOut({ cookie: `portal_session=${token}`, authorization: 'Bearer 0123456789abcdef' })).status).toBe(403);
    expect((await server.api.get('/me', token)).status).toBe(200);
    // An unknown bearer is not made good by the cookie beside it.
    const me = await raw(server.url, 'GET', '/api/v1/me', { cookie: `portal_session=${token}`, authorization: 'Bearer 0123456789abcdef' });
    expect(me.status).toBe(401);
    // A valid bearer token is what an API client sends: no Origin needed, and it is the one signed out.
    const apiToken = (await server.api.post('/auth/login', { email: 'both@example.com', password: 'correct horse battery' })).body.token as string;
    const byBearer = await signOut({ authorization: `Bearer ${apiToken}`, cookie: `portal_session=${token}` });
    expect(byBearer.status).toBe(303);
    expect((await server.api.get('/me', apiToken)).status).toBe(401);
    expect((await server.api.get('/me', token)).status).toBe(200);
  });

  it('accepts form posts from the origins ALLOWED_HOSTS lists, and no others', async () => {
    await server.api.signUp('allowed@example.com');
    for (const origin of ['https://www.portal.example', 'http://portal.example:8080']) {
      expect((await forgotPassword(server, 'allowed@example.com', 'www.portal.example', origin)).status, origin).toBeLessThan(400);
    }
    for (const origin of ['http://www.portal.example', 'https://portal.example', 'null']) {
      expect((await forgotPassword(server, 'allowed@example.com', 'www.portal.example', origin)).status, origin).toBe(403);
    }
    expect(mailsTo(server, 'allowed@example.com')).toHaveLength(2);
  });
});

describe('in development, without SITE_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ NODE_ENV: 'development', SITE_URL: '' });
  });
  afterAll(() => server?.stop());

  it('links to the listening address and trusts only its origin', async () => {
    await server.api.signUp('dev@example.com');
    expect((await forgotPassword(server, 'dev@example.com', 'evil.example', 'http://evil.example')).status).toBe(403);
    expect((await forgotPassword(server, 'dev@example.com', 'evil.example', server.url)).status).toBeLessThan(400);
    const mails = mailsTo(server, 'dev@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0]).toContain(`${server.url}/reset-password?token=`);
  });
});

describe('starting the server', () => {
  /** Runs serve.mjs with `env` and returns how it ended (it exits before listening when refused). */
  function start(env: Record<string, string>) {
    const result = spawnSync(process.execPath, [path.join(root, 'src/cli/serve.mjs'), inject('serverEntry')], {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: '1', SITE_URL: '', ALLOWED_HOSTS: '', TRUST_PROXY: '', ...env },
      encoding: 'utf8',
      timeout: 20_000,
    });
    return { status: result.status, stderr: result.stderr };
  }

  it('refuses production without SITE_URL, saying what to set', () => {
    const { status, stderr } = start({ NODE_ENV: 'production' });
    expect(status).toBe(1);
    expect(stderr).toContain('SITE_URL is required when NODE_ENV=production');
  });

  it('refuses a SITE_URL or ALLOWED_HOSTS that is not an origin, and a TRUST_PROXY that is not a count', () => {
    for (const [env, message] of [
      [{ SITE_URL: 'portal.example.cn' }, 'SITE_URL is not a URL'],
      [{ SITE_URL: 'https://portal.example.cn/app' }, 'SITE_URL must be an http(s) origin'],
      [{ SITE_URL: 'https://portal.example.cn', ALLOWED_HOSTS: 'ftp://files.example' }, 'ALLOWED_HOSTS must be an http(s) origin'],
      [{ SITE_URL: 'https://portal.example.cn', TRUST_PROXY: 'true' }, 'TRUST_PROXY must be the number of reverse proxies'],
    ] as const) {
      const { status, stderr } = start({ NODE_ENV: 'production', ...env });
      expect(status, JSON.stringify(env)).toBe(1);
      expect(stderr, JSON.stringify(env)).toContain(message);
    }
  });
});
