/** The notifications page, the unread count in the header, marking read, and the 404 page. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notify } from '../src/lib/notifications/notify';
import { getPage, postForm, userId } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

describe('notifications', () => {
  it('lists a user’s own notifications newest first, in pages, with the unread count in the header', async () => {
    const token = await server.api.signUp('busy@example.com', 'Busy');
    const other = await server.api.signUp('quiet@example.com', 'Quiet');
    const id = userId(server, 'busy@example.com');
    for (let i = 1; i <= 23; i++) notify(server.db, id, { kind: 'course.completed', params: { course: `Notice number ${i}` }, note: `Body ${i}`, url: '/courses' });
    notify(server.db, userId(server, 'quiet@example.com'), { kind: 'course.completed', params: { course: 'Private to quiet' }, url: 'https://evil.example/' });

    const page1 = await (await getPage(server, '/en/notifications', token)).text();
    expect(page1).toContain('data-testid="unread-count">23 unread</span>');
    expect(page1).toContain('23 unread');
    expect(page1.indexOf('Notice number 23')).toBeLessThan(page1.indexOf('Notice number 4<'));
    expect(page1).not.toContain('Notice number 3<');
    expect(page1).not.toContain('Private to quiet');
    expect(page1).toContain('Page 1 of 2');

    const page2 = await (await getPage(server, '/en/notifications?page=2', token)).text();
    expect(page2).toContain('Notice number 3<');
    expect(page2).toContain('Notice number 1<');
    expect((await getPage(server, '/en/notifications?page=3', token)).status).toBe(404);

    // A link that leaves the site is not rendered as a link.
    const quiet = await (await getPage(server, '/notifications', other)).text();
    expect(quiet).toContain('Private to quiet');
    expect(quiet).not.toContain('evil.example');
  });

  it('marks one, then all, as read; nobody can mark someone else’s', async () => {
    const token = await server.api.signUp('reader@example.com');
    const intruder = await server.api.signUp('intruder@example.com');
    const id = userId(server, 'reader@example.com');
    notify(server.db, id, { kind: 'course.completed', params: { course: 'First' } });
    notify(server.db, id, { kind: 'course.completed', params: { course: 'Second' } });
    const rows = server.db.$client.prepare('select id from notifications where user_id = ? order by id').all(id) as { id: number }[];

    const stolen = await postForm(server, '/notifications', 'notifications.markRead', { ids: [String(rows[0]!.id)] }, intruder);
    expect(stolen.status).toBe(303);
    const unread = () => (server.db.$client.prepare('select count(*) as n from notifications where user_id = ? and read_at is null').get(id) as { n: number }).n;
    expect(unread()).toBe(2);

    const one = await postForm(server, '/notifications', 'notifications.markRead', { ids: [String(rows[0]!.id)] }, token);
    expect(one.status).toBe(303);
    expect(one.headers.get('location')).toBe('/notifications');
    expect(unread()).toBe(1);
    expect(await (await getPage(server, '/notifications', token)).text()).toContain('1 条未读');

    expect((await postForm(server, '/notifications', 'notifications.markRead', {}, token)).status).toBe(303);
    expect(unread()).toBe(0);
    const html = await (await getPage(server, '/notifications', token)).text();
    expect(html).not.toContain('data-testid="unread-count"');

    // Signed out: sent to sign in, and nothing changes.
    notify(server.db, id, { kind: 'course.completed', params: { course: 'Third' } });
    const anon = await postForm(server, '/notifications', 'notifications.markRead', {});
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/signin\?next=/);
    expect(unread()).toBe(1);
  });

  it('sends the signed-out to sign in', async () => {
    const res = await getPage(server, '/en/notifications');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/signin?next=%2Fen%2Fnotifications');
  });
});

describe('not found', () => {
  it('renders the 404 page in the language of the path, from unknown paths and from guards', async () => {
    for (const [path, lang, text] of [
      ['/no-such-page', 'zh-CN', '未找到该页面'],
      ['/en/no-such-page', 'en', 'Page not found'],
      ['/en/notifications?page=99', 'en', 'Page not found'],
    ] as const) {
      const token = path.includes('notifications') ? await server.api.signUp(`nf-${Date.now()}@example.com`) : undefined;
      const res = await getPage(server, path, token);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html, path).toContain(`<html lang="${lang}"`);
      expect(html, path).toContain(text);
      expect(html, path).toContain('data-testid="lang-switch"');
    }
  });
});
