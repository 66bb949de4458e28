/**
 * Platform roles through the API (`POST /api/v1/admin/users/{email}/roles`) and the admin pages
 * (users and roles form, audit log browser, email outbox) against the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPage, grantRoles, postForm, userId } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let admin: string;
beforeAll(async () => {
  server = await startServer();
  admin = await server.api.signUp('root@example.com', 'Root Admin');
  grantRoles(server, 'root@example.com', ['admin']);
});
afterAll(() => server?.stop());

const rolesOf = (email: string) =>
  (server.db.$client.prepare('select role from user_roles where user_id = ? order by role').all(userId(server, email)) as { role: string }[]).map((r) => r.role);

const auditFor = (email: string) =>
  server.db.$client
    .prepare(`select actor_id as actorId, details from audit_log where action = 'user.roles_changed' and subject_id = ? order by id`)
    .all(userId(server, email)) as { actorId: string; details: string }[];

describe('POST /api/v1/admin/users/{email}/roles', () => {
  it('lets an admin replace a user’s roles, visible in /me and written to the audit log', async () => {
    const token = await server.api.signUp('officer-to-be@example.com');
    const res = await server.api.post('/admin/users/officer-to-be%40example.com/roles', { roles: ['settlement_officer', 'settlement_approver'] }, admin);
    expect(res.status).toBe(200);
    expect(res.body.roles.sort()).toEqual(['settlement_approver', 'settlement_officer']);
    expect((await server.api.get('/me', token)).body.roles.sort()).toEqual(['settlement_approver', 'settlement_officer']);

    const replaced = await server.api.post('/admin/users/officer-to-be@example.com/roles', { roles: ['settlement_officer'] }, admin);
    expect(replaced.status).toBe(200);
    expect(rolesOf('officer-to-be@example.com')).toEqual(['settlement_officer']);

    const audit = auditFor('officer-to-be@example.com');
    expect(audit).toHaveLength(2);
    expect(audit[1]!.actorId).toBe(userId(server, 'root@example.com'));
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ before: ['settlement_approver', 'settlement_officer'].sort(), after: ['settlement_officer'] });
  });

  it('answers 403 to a signed-in non-admin and 401 to nobody, and changes nothing', async () => {
    const mallory = await server.api.signUp('mallory@example.com');
    const res = await server.api.post('/admin/users/mallory@example.com/roles', { roles: ['admin'] }, mallory);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    // Even a malformed body gets 403 first: a non-admin learns nothing from validation.
    expect((await server.api.post('/admin/users/mallory@example.com/roles', { roles: ['emperor'] }, mallory)).status).toBe(403);
    expect((await server.api.post('/admin/users/mallory@example.com/roles', { roles: ['admin'] })).status).toBe(401);
    expect(rolesOf('mallory@example.com')).toEqual([]);
    expect(auditFor('mallory@example.com')).toEqual([]);
  });

  it('refuses to remove the last admin with 409, and allows it once there is another', async () => {
    const last = await server.api.post('/admin/users/root@example.com/roles', { roles: [] }, admin);
    expect(last.status).toBe(409);
    expect(last.body.error.code).toBe('last_admin');
    expect(rolesOf('root@example.com')).toEqual(['admin']);

    await server.api.signUp('second-admin@example.com');
    expect((await server.api.post('/admin/users/second-admin@example.com/roles', { roles: ['admin'] }, admin)).status).toBe(200);
    const second = (await server.api.post('/auth/login', { email: 'second-admin@example.com', password: 'correct horse battery' })).body.token;
    expect((await server.api.post('/admin/users/second-admin@example.com/roles', { roles: [] }, second)).status).toBe(200);
    expect(rolesOf('second-admin@example.com')).toEqual([]);
    // That session no longer carries the admin role.
    expect((await server.api.post('/admin/users/root@example.com/roles', { roles: [] }, second)).status).toBe(403);
  });

  it('answers 404 for an unknown email and 400 for an unknown role', async () => {
    expect((await server.api.post('/admin/users/ghost@example.com/roles', { roles: [] }, admin)).status).toBe(404);
    expect((await server.api.post('/admin/users/bad%E0%A4%Aescape/roles', { roles: [] }, admin)).status).toBe(404);
    const bad = await server.api.post('/admin/users/root@example.com/roles', { roles: ['emperor'] }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toHaveProperty('roles.0');
  });
});

describe('admin pages', () => {
  const pages = ['/admin', '/admin/users', '/admin/audit', '/admin/outbox', '/en/admin/audit'];

  it('are shown to admins, hidden (404) from other users and send the signed-out to sign in', async () => {
    const student = await server.api.signUp('curious-student@example.com');
    for (const p of pages) {
      const anon = await getPage(server, p);
      expect(anon.status, p).toBe(303);
      expect(anon.headers.get('location'), p).toMatch(/\/signin\?next=/);
      const hidden = await getPage(server, p, student);
      expect(hidden.status, p).toBe(404);
      expect(await hidden.text(), p).toMatch(/未找到该页面|Page not found/);
      const shown = await getPage(server, p, admin);
      expect(shown.status, p).toBe(200);
    }
  });

  it('the overview links to organization verification', async () => {
    const html = await (await getPage(server, '/en/admin', admin)).text();
    expect(html).toContain('href="/en/admin/organizations"');
    expect(html).toContain('href="/en/admin/outbox"');
  });

  it('find users by email and change roles through the form; the last admin keeps the role', async () => {
    await server.api.signUp('findme.zhang@example.com', '张三');
    const list = await (await getPage(server, '/admin/users?email=FINDME', admin)).text();
    expect(list).toContain('findme.zhang@example.com');
    expect(list).not.toContain('mallory@example.com');

    const saved = await postForm(server, '/admin/users?email=findme', 'admin.setRoles', { email: 'findme.zhang@example.com', roles: ['settlement_approver'] }, admin);
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe('/admin/users?email=findme&saved=findme.zhang%40example.com');
    expect(rolesOf('findme.zhang@example.com')).toEqual(['settlement_approver']);
    const after = await (await getPage(server, saved.headers.get('location')!, admin)).text();
    expect(after).toMatch(/value="settlement_approver" checked/);

    // No roles ticked at all: the form sends none, which clears them.
    expect((await postForm(server, '/admin/users', 'admin.setRoles', { email: 'findme.zhang@example.com' }, admin)).status).toBe(303);
    expect(rolesOf('findme.zhang@example.com')).toEqual([]);

    const refused = await postForm(server, '/admin/users', 'admin.setRoles', { email: 'root@example.com', roles: ['settlement_officer'] }, admin);
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('这是最后一位管理员');
    expect(rolesOf('root@example.com')).toEqual(['admin']);
  });

  it('the roles form action refuses a non-admin (actions are public endpoints)', async () => {
    const mallory = (await server.api.post('/auth/login', { email: 'mallory@example.com', password: 'correct horse battery' })).body.token;
    const res = await postForm(server, '/admin/users', 'admin.setRoles', { email: 'mallory@example.com', roles: ['admin'] }, mallory);
    // The action runs (and refuses) before the page, which then hides itself from a non-admin.
    expect(res.status).toBe(404);
    const anon = await postForm(server, '/admin/users', 'admin.setRoles', { email: 'mallory@example.com', roles: ['admin'] });
    expect(anon.status).toBe(303);
    expect(anon.headers.get('location')).toMatch(/^\/signin\?next=/);
    expect(rolesOf('mallory@example.com')).toEqual([]);
  });

  it('the audit log filters by action and pages by id, older entries after newer, none twice', async () => {
    const insert = server.db.$client.prepare(`insert into audit_log (created_at, actor_id, action, subject_type, subject_id, details) values (?, ?, 'test.paged', 'thing', ?, null)`);
    for (let i = 1; i <= 60; i++) insert.run(Date.now(), userId(server, 'root@example.com'), `t-${i}`);

    const first = await (await getPage(server, '/en/admin/audit?action=test.paged', admin)).text();
    const ids = (html: string) => [...html.matchAll(/<td[^>]*>thing t-(\d+)<\/td>/g)].map((m) => Number(m[1]));
    const page1 = ids(first);
    expect(page1).toHaveLength(50);
    expect(page1[0]).toBe(60);
    expect(first).not.toMatch(/<code[^>]*>user\.roles_changed/);
    const older = /href="([^"]+)" rel="next"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toMatch(/before=\d+/);
    expect(older).toContain('action=test.paged');

    const page2 = ids(await (await getPage(server, older!, admin)).text());
    expect(page2).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

    const prefix = await (await getPage(server, '/en/admin/audit?action=user.&actor=root%40example', admin)).text();
    expect(prefix).toMatch(/<code[^>]*>user\.roles_changed<\/code>/);
    expect(prefix).not.toMatch(/<code[^>]*>test\.paged<\/code>/);
  });

  it('the outbox shows a reset link so an admin can pass it on in development', async () => {
    await server.api.signUp('locked-out@example.com');
    expect((await postForm(server, '/forgot-password', 'accounts.requestReset', { email: 'locked-out@example.com' })).status).toBe(303);
    const html = await (await getPage(server, '/admin/outbox?to=locked-out', admin)).text();
    expect(html).toContain('locked-out@example.com');
    expect(html).toMatch(/\/reset-password\?token=[0-9a-f]{48}/);
  });
});
