/**
 * TRUST_PROXY is a count of reverse proxies: the client address is the entry of X-Forwarded-For
 * the outermost trusted proxy wrote, never the left-most, which the client controls.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clientIp } from '../src/lib/http/client-ip';
import { startServer, type TestServer } from './helpers/server';

describe('clientIp', () => {
  const saved = process.env.TRUST_PROXY;
  afterEach(() => {
    if (saved === undefined) delete process.env.TRUST_PROXY;
    else process.env.TRUST_PROXY = saved;
  });
  const ip = (forwardedFor: string | null) =>
    clientIp({ request: new Request('http://localhost/', { headers: forwardedFor === null ? {} : { 'x-forwarded-for': forwardedFor } }), clientAddress: '10.0.0.2' });

  it('believes no header without TRUST_PROXY', () => {
    delete process.env.TRUST_PROXY;
    expect(ip('203.0.113.9')).toBe('10.0.0.2');
    process.env.TRUST_PROXY = '0';
    expect(ip('203.0.113.9')).toBe('10.0.0.2');
  });

  it('takes the N-th address from the right behind N proxies', () => {
    process.env.TRUST_PROXY = '1';
    expect(ip('1.1.1.1, 203.0.113.9')).toBe('203.0.113.9');
    expect(ip('203.0.113.9')).toBe('203.0.113.9');
    expect(ip(null)).toBe('10.0.0.2');
    process.env.TRUST_PROXY = '2';
    expect(ip('1.1.1.1, 203.0.113.9, 10.0.0.7')).toBe('203.0.113.9');
    expect(ip('203.0.113.9')).toBe('203.0.113.9');
  });
});

describe('failed sign-ins behind one proxy', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ TRUST_PROXY: '1', RATE_SIGNIN_IP_MAX: '3' });
  });
  afterAll(() => server?.stop());

  const login = (n: number, forwardedFor: string) =>
    server.api.request('POST', '/auth/login', { email: `nobody-${n}@example.com`, password: 'not the password' }, undefined, { 'x-forwarded-for': forwardedFor });

  it('counts the address the proxy saw, whatever the client puts in front of it', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await login(i, `198.51.100.${i}, 203.0.113.7`)).status);
    // RATE_SIGNIN_IP_MAX=3: the first failures are answered as such, then the address is blocked.
    expect(statuses[0]).toBe(400);
    expect(statuses.slice(4)).toEqual([429, 429]);
    const keys = server.db.$client.prepare("select key from rate_limits where key like 'signin:ip:%'").pluck().all();
    expect(keys).toEqual(['signin:ip:203.0.113.7']);
    // Another client behind the same proxy is not blocked.
    expect((await login(7, '203.0.113.7, 192.0.2.44')).status).toBe(400);
  });
});
