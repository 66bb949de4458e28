/**
 * Redirect targets taken from a request stay on this site: one `safeNext` for sign-in and
 * sign-out, refusing control characters, backslashes, `//` and schemes, raw or percent-encoded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeNext } from '../src/lib/http/safe-next';
import { startServer, type TestServer } from './helpers/server';

describe('safeNext', () => {
  it('keeps same-site paths, with their query and fragment, percent-encoded', () => {
    expect(safeNext('/courses', '/')).toBe('/courses');
    expect(safeNext('/en/courses/12?tab=sessions#s3', '/')).toBe('/en/courses/12?tab=sessions#s3');
    expect(safeNext('/search?q=跨境 电商', '/')).toBe('/search?q=%E8%B7%A8%E5%A2%83%20%E7%94%B5%E5%95%86');
    expect(safeNext('/courses/../account', '/')).toBe('/account');
    expect(safeNext('/a//b', '/')).toBe('/a//b');
    expect(safeNext('/search?q=100%', '/')).toBe('/search?q=100%');
  });

  it('refuses anything that could leave the site or break the Location header', () => {
    const refused = [
      null,
      undefined,
      '',
      'courses',
      'https://evil.example/',
      'javascript:alert(1)',
      ' /courses',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      '/%5Cevil.example',
      '/%5cevil.example',
      '/x\\y',
      '/%2F/evil.example',
      '/%2f%2fevil.example',
      '/\t/evil.example',
      '/%09/evil.example',
      '/\x0b/x',
      '/%0b/x',
      '/%0D%0ASet-Cookie:%20a=b',
      '/x\r\nSet-Cookie: a=b',
      '/\x00',
      '/%00',
      '/%7F',
      '/%E2%80%A8',
      '/%zz%5Cevil.example',
      '/%E0%0B/x',
    ];
    for (const value of refused) expect(safeNext(value, '/fallback'), JSON.stringify(value)).toBe('/fallback');
  });
});

describe('redirects over HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    await server.api.signUp('next@example.com');
  });
  afterAll(() => server?.stop());

  async function signOut(next: string) {
    const res = await fetch(`${server.url}/auth/signout`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: `next=${encodeURIComponent(next)}`,
      redirect: 'manual',
    });
    return { status: res.status, location: res.headers.get('location') };
  }

  it('sign-out goes back to a same-site page, and home for anything else', async () => {
    expect(await signOut('/en/courses?page=2')).toEqual({ status: 303, location: '/en/courses?page=2' });
    for (const next of ['/\\evil.example', '/\x0b/x', '/\t/evil.example', '//evil.example', 'https://evil.example', '/%0b/x', '/%09/evil.example']) {
      expect(await signOut(next), JSON.stringify(next)).toEqual({ status: 303, location: '/' });
    }
  });

  async function signIn(next: string) {
    const res = await fetch(`${server.url}/en/signin?next=${encodeURIComponent(next)}&_action=accounts.signIn`, {
      method: 'POST',
      headers: { origin: server.url, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'next@example.com', password: 'correct horse battery' }),
      redirect: 'manual',
    });
    return { status: res.status, location: res.headers.get('location') };
  }

  it('sign-in goes on to `next` when it is a same-site path, else to the account page', async () => {
    expect(await signIn('/en/organizations?q=a')).toEqual({ status: 303, location: '/en/organizations?q=a' });
    for (const next of ['/\x0b/x', '/\t/evil.example', '/\\evil.example', '/%0b/x', '/%09/evil.example', '//evil.example']) {
      expect(await signIn(next), JSON.stringify(next)).toEqual({ status: 303, location: '/en/account' });
    }
  });

  it('sign-in keeps `next` in the form it shows, so submitting it goes on there', async () => {
    const html = await (await fetch(`${server.url}/en/signin?next=${encodeURIComponent('/en/courses?page=2')}`)).text();
    expect(html).toContain('action="?_action=accounts.signIn&amp;next=%2Fen%2Fcourses%3Fpage%3D2"');
  });
});
