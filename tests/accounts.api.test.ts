import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ RATE_SIGNIN_ACCOUNT_MAX: '3', RATE_SIGNIN_BLOCK_SECONDS: '2' });
});
afterAll(() => server?.stop());

describe('sign-up', () => {
  it('creates an account and returns a working bearer token', async () => {
    const res = await server.api.post('/auth/signup', { email: 'Li.Wei@Example.com', password: 'a long enough secret', displayName: '李伟' });
    expect(res.status).toBe(201);
    expect(res.body.user).toMatchObject({ email: 'li.wei@example.com', displayName: '李伟', roles: [] });
    const me = await server.api.get('/me', res.body.token);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email: 'li.wei@example.com', memberships: [] });
  });

  it('explains every invalid field', async () => {
    const res = await server.api.post('/auth/signup', { email: 'not-an-email', password: 'short' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['displayName', 'email', 'password']);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    await server.api.signUp('dup@example.com');
    const res = await server.api.post('/auth/signup', { email: 'DUP@example.com', password: 'another long secret', displayName: 'Dup' });
    expect(res.status).toBe(409);
    expect(res.body.error.fields.email).toBeDefined();
  });

  it('handles a 1,000-character password promptly', async () => {
    const password = 'p'.repeat(1000);
    const started = Date.now();
    const res = await server.api.post('/auth/signup', { email: 'long@example.com', password, displayName: 'Long' });
    expect(res.status).toBe(201);
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
    const form = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' });
    expect(form.status).toBe(415);
    const huge = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'x'.repeat(1_100_000) }) });
    expect(huge.status).toBe(413);
  });
});
