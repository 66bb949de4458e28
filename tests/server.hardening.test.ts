/**
 * The edge (src/cli/serve.mjs with the middleware) against requests an attacker sends: bodies that
 * are too large or cut off, methods nobody serves, addresses and headers that do not parse. Every
 * one gets a clear 4xx with the security headers, and the server goes on serving.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFoundation } from '../db/seed/foundation';
import { seedSettlement } from '../db/seed/settlement';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let port: number;
let token: string;
let applicationId: number;

beforeAll(async () => {
  server = await startServer();
  port = Number(new URL(server.url).port);
  await seedFoundation(server.db);
  seedSettlement(server.db);
  token = await server.api.signUp('edge@example.com');
  applicationId = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id;
}, 120_000);
afterAll(() => server?.stop());

interface RawAnswer {
  status: number | null;
  head: string;
}

/**
 * Writes bytes to a fresh connection and reads the answer's status line and headers. `end` closes
 * the sending side after writing (the body stops there); `abort` resets the connection instead.
 */
function raw(payload: string | Buffer, { end = false, abort = false, timeoutMs = 5000 } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = Buffer.alloc(0);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const head = received.toString('latin1').split('\r\n\r\n')[0]!;
      const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1];
      resolve({ status: status ? Number(status) : null, head: head.toLowerCase() });
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (d) => {
      received = Buffer.concat([received, d]);
      if (received.includes('\r\n\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(payload, () => {
      if (abort) socket.resetAndDestroy();
      else if (end) socket.end();
    });
  });
}

/** Sends a body of `total` bytes in 64 KB chunks, stopping as soon as an answer arrives. */
function pushBody(path: string, headers: Record<string, string>, total: number, chunked: boolean): Promise<{ status: number; ms: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let sent = 0;
    let answered = false;
    const req = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, ...(chunked ? {} : { 'content-length': String(total) }) } });
    req.on('response', (res) => {
      answered = true;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, ms: Date.now() - started, sent }));
    });
    req.on('error', (err) => (answered ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 'a=b&');
    const write = () => {
      while (!answered && sent < total) {
        const part = chunk.subarray(0, Math.min(chunk.length, total - sent));
        sent += part.length;
        if (!req.write(part)) return void req.once('drain', write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;

describe('request bodies', () => {
  const form = () => ({ 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: `portal_session=${token}` });

  it('refuses a 2 MB form post to a page action and to /auth/signout with 413 at once, declared or chunked', async () => {
    for (const path of ['/en/signin?_action=accounts.signIn', '/auth/signout']) {
      for (const chunked of [false, true]) {
        const res = await pushBody(path, form(), 2_000_000, chunked);
        expect(res.status, `${path} chunked=${chunked}`).toBe(413);
        expect(res.ms, `${path} chunked=${chunked}`).toBeLessThan(2000);
      }
    }
    // the session was not signed out by the refused post
    expect((await server.api.get('/me', token)).status).toBe(200);
  });

  it('refuses an oversized body announced with Expect: 100-continue before the client sends it', async () => {
    const res = await raw(`POST /auth/signout HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 2000000\r\nExpect: 100-continue\r\n\r\n`, { timeoutMs: 1000 });
    expect(res.status).toBe(413);
    expect(res.head).toContain('x-content-type-options: nosniff');
  });

  it('answers the API with its JSON error shape, and still takes a body just under the limit', async () => {
    const big = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"email":"${'a'.repeat(1_100_000)}"}` });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const under = await fetch(`${server.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"email":"${'a'.repeat(900_000)}"}` });
    expect(under.status).toBe(400);
  });

  it('does not grow the server by the size of bodies it refuses', async () => {
    const before = rssMb();
    const answers = await Promise.all(
      Array.from({ length: 3 }, (_, i) => pushBody(i === 0 ? '/auth/signout' : '/en/signin?_action=accounts.signIn', form(), 40_000_000, i !== 1)),
    );
    expect(answers.map((a) => a.status)).toEqual([413, 413, 413]);
    expect(rssMb() - before).toBeLessThan(40);
  });

  it('keeps the 10 MB streaming limit on settlement uploads', async () => {
    const res = await pushBody(`/api/v1/settlement/applications/${applicationId}/documents`, { 'content-type': 'multipart/form-data; boundary=x', authorization: `Bearer ${token}` }, 12_000_000, true);
    expect(res.status).toBe(413);
    expect(res.sent).toBeGreaterThan(9_000_000); // read up to its own limit, not serve.mjs's 1 MB
  });
});

describe('methods', () => {
  it('answers a page only for GET, HEAD and POST; anything else 405 with Allow and the security headers', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS', 'PROPFIND', 'TRACE']) {
      const res = await raw(`${method} /en/courses HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(res.status, method).toBe(405);
      expect(res.head, method).toContain('allow: get, head, post');
      expect(res.head, method).toContain('x-content-type-options: nosniff');
    }
    expect((await fetch(`${server.url}/en/courses`, { method: 'HEAD' })).status).toBe(200);
  });

  it('answers an API route 405 with Allow for a method it does not export', async () => {
    const put = await server.api.request('PUT', '/health', {}, token);
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD');
    const get = await server.api.get('/auth/login');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(get.body.error.code).toBe('method_not_allowed');
    // a route's own 404 is still a 404
    expect((await server.api.get('/settlement/applications/999999', token)).status).toBe(404);
  });

  it('answers TRACE, CONNECT and made-up methods with 501 and the security headers, never a 500', async () => {
    for (const line of ['TRACE /api/v1/health', 'PROPFIND /api/v1/health', 'CONNECT 127.0.0.1:22', 'FROB /', 'get /']) {
      const res = await raw(`${line} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      expect(res.status, line).toBe(501);
      expect(res.head, line).toContain('x-content-type-options: nosniff');
    }
  });
});

describe('response headers', () => {
  it('puts the security headers on serve.mjs’s own answers and on static files', async () => {
    for (const path of ['/search?q=%E0%A4%A', '/favicon.svg', '/en/courses', '/api/v1/health']) {
      const res = await fetch(server.url + path);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy'), path).toContain("frame-ancestors 'none'");
      expect(res.headers.get('strict-transport-security'), path).toBeNull();
    }
  });

  it('marks answers to a signed-in request and personal routes private, no-store', async () => {
    const signedIn = await fetch(`${server.url}/en/courses`, { headers: { cookie: `portal_session=${token}` } });
    expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    const anonymous = await fetch(`${server.url}/en/courses`);
    expect(anonymous.headers.get('cache-control')).not.toBe('private, no-store');
    expect((await server.api.get('/me', token)).headers.get('cache-control')).toBe('private, no-store');
    // personal routes even when the answer is a 401 or a 404
    expect((await server.api.get('/settlement/applications')).headers.get('cache-control')).toBe('private, no-store');
    const page = await fetch(`${server.url}/en/settlement/applications/1`, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect(page.headers.get('cache-control')).toBe('private, no-store');
    // pages whose address carries a single-use token, even to someone signed out
    for (const path of ['/verify-email?token=abc', '/en/reset-password?token=abc', '/invitations/accept?token=abc']) {
      const tokened = await fetch(`${server.url}${path}`, { redirect: 'manual' });
      expect(tokened.headers.get('cache-control'), path).toBe('private, no-store');
    }
  });

  it('sends HSTS when a trusted proxy says the request came over https, or SITE_URL is https', async () => {
    const behindProxy = await startServer({ TRUST_PROXY: '1' });
    try {
      const https = await fetch(`${behindProxy.url}/favicon.svg`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(https.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      const page = await fetch(`${behindProxy.url}/en/courses`, { headers: { 'x-forwarded-proto': 'https' } });
      expect(page.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect((await fetch(`${behindProxy.url}/favicon.svg`)).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await behindProxy.stop();
    }
    const httpsSite = await startServer({ SITE_URL: 'https://portal.example.cn' });
    try {
      expect((await fetch(`${httpsSite.url}/api/v1/health`)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
      expect((await fetch(`${httpsSite.url}/%FF`)).headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains');
    } finally {
      await httpsSite.stop();
    }
    // without TRUST_PROXY the header is the client's word, not the proxy's
    const spoofed = await fetch(`${server.url}/favicon.svg`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('a few hundred malformed requests', () => {
  it('get a clear 4xx each (501 for methods nobody serves), and the server goes on with nothing unhandled', async () => {
    const settle = `/api/v1/settlement/applications/${applicationId}`;
    const auth = `Authorization: Bearer ${token}\r\n`;
    const request = (method: string, path: string, headers: string, body: string | Buffer = '') =>
      Buffer.concat([
        Buffer.from(`${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n${headers}${body.length ? `Content-Length: ${Buffer.byteLength(body)}\r\n` : ''}\r\n`, 'latin1'),
        Buffer.isBuffer(body) ? body : Buffer.from(body),
      ]);
    const multipartBody = (boundary: string, cutAt?: number) => {
      const full = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\nidentity\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 ${'x'.repeat(5000)}\r\n--${boundary}--\r\n`,
      );
      return cutAt === undefined ? full : full.subarray(0, cutAt);
    };
    const deep = (n: number) => `{"answers":{"criteria":{"x":${'['.repeat(n)}${']'.repeat(n)}}}}`;
    /** client-error: 4xx; handled: 4xx or a 303 back to the form; no-error: below 500 (a search for a tab is fine); refused: 4xx or 501. */
    type Expect = 'client-error' | 'handled' | 'no-error' | 'not-implemented' | 'refused' | 'no-answer';
    type Case = { name: string; payload: Buffer | string; end?: boolean; abort?: boolean; expect: Expect };
    const cases: Case[] = [];
    const add = (name: string, payload: Buffer | string, expect: Expect = 'client-error', opts: Partial<Case> = {}) => cases.push({ name, payload, expect, ...opts });

    // truncated multipart: complete by Content-Length but cut inside the file part, and cut off on the wire
    for (let cut = 10; cut < 5300; cut += 270) {
      const type = `Content-Type: multipart/form-data; boundary=b${cut}\r\n`;
      add(`multipart cut at ${cut}`, request('POST', `${settle}/documents`, auth + type, multipartBody(`b${cut}`, cut)));
      add(`page upload cut at ${cut}`, request('POST', `/en/settlement/applications/${applicationId}/upload?item=identity`, `Cookie: portal_session=${token}\r\nOrigin: ${server.url}\r\n` + type, multipartBody(`b${cut}`, cut)), 'handled');
      const whole = multipartBody(`w${cut}`);
      const header = `POST ${settle}/documents HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Content-Type: multipart/form-data; boundary=w${cut}\r\nContent-Length: ${whole.length}\r\n\r\n`;
      add(`multipart hung up at ${cut}`, Buffer.concat([Buffer.from(header), whole.subarray(0, cut)]), 'no-answer', { end: true });
      add(`multipart reset at ${cut}`, Buffer.concat([Buffer.from(header), whole.subarray(0, cut)]), 'no-answer', { abort: true });
    }
    // wrong, missing and odd boundaries
    for (const type of ['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=nope', 'multipart/form-data; boundary="x', 'multipart/mixed; boundary=b', `multipart/form-data; boundary=${'z'.repeat(300)}`, 'multipart/form-data; charset=utf-8']) {
      add(`boundary ${type.slice(0, 50)}`, request('POST', `${settle}/documents`, `${auth}Content-Type: ${type}\r\n`, multipartBody('b')));
      add(`page boundary ${type.slice(0, 50)}`, request('POST', `/en/settlement/applications/${applicationId}/upload?item=identity`, `Cookie: portal_session=${token}\r\nOrigin: ${server.url}\r\nContent-Type: ${type}\r\n`, multipartBody('b')), 'handled');
    }
    // bad UTF-8 and control characters in the path and the query string
    for (const path of ['/%FF', '/en/%C0%AF', '/%ED%A0%80', '/api/v1/%FE', '/search?q=%E0%A4%A', '/api/v1/search?q=%FF%FE', '/%', '/en/courses/%zz']) add(`path ${path}`, request('GET', path, ''));
    for (const bytes of [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0xf0, 0x90, 0x28, 0xbc]]) {
      add(`raw bytes ${bytes}`, Buffer.concat([Buffer.from('GET /en/'), Buffer.from(bytes), Buffer.from(' HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')]));
    }
    for (const q of ['%00', '%0b', '%0d%0a', '%1b[31m', '%7f', '%0a%0dSet-Cookie:%20x=1', '%09', '%ef%bf%bf']) {
      add(`query ${q} search`, request('GET', `/api/v1/search?q=${q}`, ''), 'no-error');
      add(`query ${q} page`, request('GET', `/en/search?q=${q}&page=${q}`, ''), 'no-error');
      add(`query ${q} courses api`, request('GET', `/api/v1/courses?q=${q}&page=${q}`, ''), 'no-error');
    }
    // bad UTF-8 in bodies
    const badUtf8 = Buffer.from([0x7b, 0x22, 0x65, 0x6d, 0x61, 0x69, 0x6c, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc0, 0x22, 0x7d]);
    add('bad UTF-8 JSON', request('POST', '/api/v1/auth/login', 'Content-Type: application/json\r\n', badUtf8));
    add('bad UTF-8 JSON patch', request('PATCH', settle, `${auth}Content-Type: application/json\r\n`, badUtf8));
    add('bad UTF-8 form', request('POST', '/en/signin?_action=accounts.signIn', `Origin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\n`, Buffer.from([0x65, 0x3d, 0xff, 0xfe, 0x26, 0x70, 0x3d, 0xc0])));
    // huge headers
    add('one 20 KB header', request('GET', '/api/v1/health', `X-Big: ${'a'.repeat(20_000)}\r\n`));
    add('500 small headers', request('GET', '/api/v1/health', Array.from({ length: 500 }, (_, i) => `X-H${i}: ${'v'.repeat(40)}\r\n`).join('')));
    add('a 20 KB cookie', request('GET', '/en', `Cookie: portal_session=${'c'.repeat(20_000)}\r\n`));
    add('a 20 KB address', request('GET', `/en/search?q=${'q'.repeat(20_000)}`, ''));
    // odd methods
    for (const method of ['TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'PURGE', 'SEARCH', 'REPORT', 'LINK']) {
      add(`${method} page`, request(method, '/en', ''));
      add(`${method} api`, request(method, '/api/v1/health', ''), 'not-implemented');
    }
    for (const method of ['TRACK', 'FROB', 'get', 'G\u0001T', 'BREW', 'X'.repeat(40)]) add(`method ${method.slice(0, 10)}`, request(method, '/', ''), 'not-implemented');
    for (const method of ['PUT', 'PATCH', 'DELETE', 'OPTIONS']) add(`${method} page`, request(method, '/en/courses', ''));
    add('CONNECT', 'CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n', 'not-implemented');
    add('broken request line', 'GET\r\n\r\n', 'refused');
    add('HTTP/9', 'GET / HTTP/9.9\r\nHost: x\r\n\r\n', 'refused');
    add('header without colon', 'GET / HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n', 'refused');
    add('both lengths', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 'refused');
    add('bad chunk size', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n', 'refused');
    add('negative length', 'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n', 'refused');
    // invalid and deep JSON
    for (const body of ['{', '[1,', 'nul', '{"a":}', '\u0000', '{}{}', '{"answers":', '[]', 'true', '"\\ud800"']) {
      add(`JSON ${body} login`, request('POST', '/api/v1/auth/login', 'Content-Type: application/json\r\n', body));
      add(`JSON ${body} patch`, request('PATCH', settle, `${auth}Content-Type: application/json\r\n`, body));
    }
    for (const body of ['{"email":1e999999}', '{"__proto__":{"x":1}}', '{"email":"a@b.c","password":' + '9'.repeat(5000) + '}', '{"email":"\\u0000@x.y","password":"\\ud800\\udfff"}']) {
      add(`JSON ${body.slice(0, 20)} login`, request('POST', '/api/v1/auth/login', 'Content-Type: application/json\r\n', body));
    }
    for (const n of [33, 100, 10_000, 100_000]) {
      add(`deep ${n} patch`, request('PATCH', settle, `${auth}Content-Type: application/json\r\n`, deep(n)));
      add(`deep ${n} create`, request('POST', '/api/v1/settlement/applications', `${auth}Content-Type: application/json\r\n`, `{"route":${'['.repeat(n)}${']'.repeat(n)}}`));
    }
    add('JSON as text/plain', request('POST', '/api/v1/auth/login', 'Content-Type: text/plain\r\n', '{}'));
    add('JSON with no type', request('POST', '/api/v1/auth/signup', '', '{}'));
    // huge bodies
    const twoMb = Buffer.alloc(2_000_000, 'a');
    add('2 MB JSON', request('POST', '/api/v1/auth/login', 'Content-Type: application/json\r\n', twoMb));
    add('2 MB form to an action', request('POST', '/en/signin?_action=accounts.signIn', `Origin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\n`, twoMb));
    add('2 MB to sign-out', request('POST', '/auth/signout', `Origin: ${server.url}\r\nContent-Type: application/x-www-form-urlencoded\r\n`, twoMb));
    add('declared 1 GB', 'POST /auth/signout HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\nabc');
    add('declared 1 GB upload', `POST ${settle}/documents HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 1000000000\r\n\r\nabc`);
    const chunk = `${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`;
    add('chunked 2 MB', `POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.repeat(32)}0\r\n\r\n`);

    expect(cases.length).toBeGreaterThan(200);
    const failures: string[] = [];
    const started = Date.now();
    // eight at a time: enough to overlap, not a load test
    for (let i = 0; i < cases.length; i += 8) {
      await Promise.all(
        cases.slice(i, i + 8).map(async (c) => {
          const res = await raw(c.payload, { end: c.end, abort: c.abort });
          const status = res.status ?? 0;
          const clientError = status >= 400 && status < 500;
          const ok = {
            'client-error': clientError,
            handled: clientError || status === 303,
            'no-error': status >= 200 && status < 500,
            'not-implemented': status === 501,
            refused: clientError || status === 501,
            'no-answer': res.status === null || clientError,
          }[c.expect];
          if (!ok) failures.push(`${c.name}: ${res.status}`);
          else if (res.status !== null && !res.head.includes('x-content-type-options: nosniff')) failures.push(`${c.name}: no security headers`);
        }),
      );
    }
    expect(failures).toEqual([]);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    expect((await server.api.get('/me', token)).status).toBe(200);
    expect(server.output()).not.toMatch(/unhandled|uncaught|Request failed|Could not render/i);
  }, 90_000);
});
