/**
 * The organization forms as a browser posts them (no JavaScript): values survive an error, the
 * message sits next to its field, success redirects, and the admin queue verifies and rejects.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations, userRoles } from '../db/schema';
import { addMember, userId, verifyEmail } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server?.stop());

async function account(email: string, admin = false) {
  const token = await server.api.signUp(email);
  if (admin) server.db.insert(userRoles).values({ userId: userId(server, email), role: 'admin' }).run();
  return token;
}

/** Posts a form like a browser on our own site would: session cookie and the page's Origin. */
function postForm(path: string, fields: Record<string, string>, token: string, origin = server.url) {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { origin, cookie: `portal_session=${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The HTML of the <Field> wrapper for the field named `name`. */
function fieldHtml(html: string, name: string) {
  const at = html.indexOf(`id="f-${name}"`);
  expect(at).toBeGreaterThan(-1);
  const start = html.lastIndexOf('<div class="field"', at);
  return html.slice(start, html.indexOf('</div>', at));
}

describe('the create form', () => {
  it('re-renders with what was typed and each error next to its field', async () => {
    const token = await account('typist@example.com');
    const res = await postForm(
      '/en/organizations/new?_action=organizations.create',
      { name: 'Huangpu Seller School', nameZh: '黄浦卖家学校', type: '', descriptionMd: 'Classes for *new* sellers.', website: 'https://school.example.cn', rorId: '03yrm5c27', code: '' },
      token,
    );
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('value="Huangpu Seller School"');
    expect(html).toContain('value="黄浦卖家学校"');
    expect(html).toContain('value="https://school.example.cn"');
    expect(html).toContain('Classes for *new* sellers.</textarea>');
    const ror = fieldHtml(html, 'rorId');
    expect(ror).toContain('value="03yrm5c27"');
    expect(ror).toContain('aria-invalid="true"');
    expect(ror).toMatch(/class="error"[^>]*>[^<]*checksum/);
    expect(fieldHtml(html, 'type')).toContain('Choose the kind of organization.');
    expect(fieldHtml(html, 'name')).not.toContain('class="error"');
    expect((await server.api.get('/me', token)).body.memberships).toEqual([]);
  });

  it('shows the errors in Chinese on the Chinese page', async () => {
    const token = await account('zh@example.com');
    const res = await postForm('/organizations/new?_action=organizations.create', { name: '', type: 'ngo', rorId: 'ror' }, token);
    const html = await res.text();
    expect(fieldHtml(html, 'name')).toContain('请输入机构名称。');
    expect(fieldHtml(html, 'rorId')).toContain('请输入有效的 ROR 编号');
    expect(fieldHtml(html, 'type')).toMatch(/<option value="ngo" selected/);
  });

  it('registers the organization and redirects to its page on good input', async () => {
    const token = await account('founder@example.com');
    const res = await postForm('/en/organizations/new?_action=organizations.create', { name: 'Jing’an Export Club', type: 'ngo', nameZh: '', descriptionMd: '', website: '', rorId: '', code: '' }, token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/en/organizations/jing-an-export-club');
    const page = await fetch(`${server.url}/en/organizations/jing-an-export-club`, { headers: { authorization: `Bearer ${token}` } });
    expect(await page.text()).toContain('Pending verification');
  });

  it('refuses a cross-site post', async () => {
    const token = await account('csrf@example.com');
    const res = await postForm('/en/organizations/new?_action=organizations.create', { name: 'Evil Corp', type: 'company' }, token, 'https://evil.example');
    expect(res.status).toBe(403);
    expect((await server.api.get('/me', token)).body.memberships).toEqual([]);
  });
});

describe('the edit and members forms', () => {
  it('saves an edit, and clears an emptied optional field', async () => {
    const token = await account('editor-form@example.com');
    const org = (await server.api.post('/organizations', { name: 'Minhang Makers', type: 'company', website: 'https://makers.example.cn' }, token)).body;
    const res = await postForm(`/en/organizations/${org.slug}/edit?_action=organizations.update`, { slug: org.slug, name: 'Minhang Makers', nameZh: '闵行创客', type: 'company', descriptionMd: '## Who we are\n\nMakers.', website: '', rorId: '', code: '' }, token);
    expect(res.status).toBe(303);
    const after = (await server.api.get(`/organizations/${org.slug}`, token)).body;
    expect(after).toMatchObject({ nameZh: '闵行创客', website: null, descriptionMd: '## Who we are\n\nMakers.' });
    const html = await (await fetch(`${server.url}/organizations/${org.slug}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(html).toContain('<h1>闵行创客</h1>');
    expect(html).toContain('<h2>Who we are</h2>');
  });

  it('opens the edit page to editors, refuses plain members, and hides it from strangers', async () => {
    const token = await account('edit-owner@example.com');
    const editorToken = await account('edit-editor@example.com');
    const memberToken = await account('edit-member@example.com');
    const strangerToken = await account('edit-stranger@example.com');
    const org = (await server.api.post('/organizations', { name: 'Baoshan Brands', type: 'company' }, token)).body;
    await addMember(server, org.slug, { email: 'edit-editor@example.com', role: 'editor' }, token, editorToken);
    await addMember(server, org.slug, { email: 'edit-member@example.com', role: 'member' }, token, memberToken);
    const get = (t: string) => fetch(`${server.url}/en/organizations/${org.slug}/edit`, { headers: { cookie: `portal_session=${t}` } });

    const asEditor = await get(editorToken);
    expect(asEditor.status).toBe(200);
    expect(fieldHtml(await asEditor.text(), 'name')).toContain('value="Baoshan Brands"');
    const asMember = await get(memberToken);
    expect(asMember.status).toBe(403);
    expect(await asMember.text()).not.toContain('id="f-name"');
    expect((await get(strangerToken)).status).toBe(404);

    const forged = await postForm(`/en/organizations/${org.slug}/edit?_action=organizations.update`, { slug: org.slug, name: 'Taken Over', type: 'company' }, memberToken);
    expect(forged.status).toBe(403);
    expect((await server.api.get(`/organizations/${org.slug}`, token)).body.name).toBe('Baoshan Brands');
  });

  it('invites by email, answering the same whether or not the address has an account, and lists both as pending', async () => {
    const token = await account('members-form@example.com');
    await account('colleague@example.com');
    const org = (await server.api.post('/organizations', { name: 'Songjiang Sourcing', type: 'company' }, token)).body;
    const path = `/en/organizations/${org.slug}/members`;
    const added = await postForm(`${path}?_action=organizations.addMember`, { slug: org.slug, email: 'colleague@example.com', role: 'editor', votingMember: 'on' }, token);
    expect(added.status).toBe(303);
    const invited = await postForm(`${path}?_action=organizations.addMember`, { slug: org.slug, email: 'outsider@example.com', role: 'editor', votingMember: 'on' }, token);
    expect(invited.status).toBe(303);
    expect(invited.headers.get('location')).toContain('done=invited');
    expect(added.headers.get('location')!.replace('colleague', 'X')).toBe(invited.headers.get('location')!.replace('outsider', 'X'));
    const shown = async (res: Response) => (await (await fetch(`${server.url}${res.headers.get('location')}`, { headers: { authorization: `Bearer ${token}` } })).text()).match(/role="status">([^<]*)</)![1]!;
    expect((await shown(added)).replace('colleague', 'X')).toBe((await shown(invited)).replace('outsider', 'X'));
    for (const to of ['outsider@example.com', 'colleague@example.com']) {
      const mail = server.db.$client.prepare('select body from email_outbox where to_address = ? order by id desc').get(to) as { body: string } | undefined;
      expect(mail?.body).toContain(`${server.url}/invitations/accept?token=`);
    }
    const html = await (await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } })).text();
    expect(html).toMatch(/data-testid="invitation-list"[\s\S]*colleague@example\.com/);
    expect(html).toMatch(/data-testid="invitation-list"[\s\S]*outsider@example\.com/);

    const bad = await postForm(`${path}?_action=organizations.addMember`, { slug: org.slug, email: 'not an email', role: 'member' }, token);
    const badHtml = await bad.text();
    expect(fieldHtml(badHtml, 'email')).toContain('value="not an email"');
    expect(fieldHtml(badHtml, 'email')).toContain('Enter an email address');
  });
});

describe('managing members through the forms', () => {
  it('changes a role, refuses to demote the last owner, removes a member and withdraws an invitation', async () => {
    const token = await account('manager@example.com');
    const helperToken = await account('helper@example.com');
    const org = (await server.api.post('/organizations', { name: 'Fengxian Fulfilment', type: 'company' }, token)).body;
    const path = `/en/organizations/${org.slug}/members`;
    await addMember(server, org.slug, { email: 'helper@example.com', role: 'member' }, token, helperToken);
    await server.api.post(`/organizations/${org.slug}/members`, { email: 'later@example.com', role: 'editor' }, token);
    const me = (await server.api.get('/me', token)).body;
    const helper = (await server.api.get('/me', helperToken)).body;

    const promote = await postForm(`${path}?_action=organizations.addMember`, { slug: org.slug, email: 'helper@example.com', role: 'editor', intent: 'change' }, token);
    expect(promote.headers.get('location')).toContain('done=updated');
    expect((await server.api.get('/me', helperToken)).body.memberships[0].role).toBe('editor');

    const demoteSelf = await postForm(`${path}?_action=organizations.addMember`, { slug: org.slug, email: 'manager@example.com', role: 'member', intent: 'change' }, token);
    expect(demoteSelf.status).toBe(409);
    expect(await demoteSelf.text()).toMatch(/role="alert"[^>]*>[\s\S]*?<p>An organization needs at least one owner\./); // under the summary's title
    const removeSelf = await postForm(`${path}?_action=organizations.removeMember`, { slug: org.slug, userId: me.id }, token);
    expect(removeSelf.status).toBe(409);

    const removed = await postForm(`${path}?_action=organizations.removeMember`, { slug: org.slug, userId: helper.id }, token);
    expect(removed.headers.get('location')).toContain('done=removed');
    expect((await server.api.get('/me', helperToken)).body.memberships).toEqual([]);

    const withdrawn = await postForm(`${path}?_action=organizations.cancelInvitation`, { slug: org.slug, email: 'later@example.com' }, token);
    expect(withdrawn.headers.get('location')).toContain('done=inviteCancelled');
    const laterToken = await account('later@example.com');
    await verifyEmail(server, 'later@example.com');
    expect((await server.api.get('/me', laterToken)).body.memberships).toEqual([]);
  });

  it('asks before removing a member: the list links to a confirmation page, and only confirming removes', async () => {
    const token = await account('asker@example.com');
    const otherToken = await account('stays@example.com');
    const org = (await server.api.post('/organizations', { name: 'Minhang Cold Chain', type: 'company' }, token)).body;
    await addMember(server, org.slug, { email: 'stays@example.com', role: 'editor' }, token, otherToken);
    const other = (await server.api.get('/me', otherToken)).body;
    const page = (path: string, as = token) => fetch(`${server.url}${path}`, { headers: { cookie: `portal_session=${as}` }, redirect: 'manual' });

    const list = await (await page(`/en/organizations/${org.slug}/members`)).text();
    const confirmPath = `/en/organizations/${org.slug}/members/${other.id}/remove`;
    expect(list).toContain(`href="${confirmPath}"`);
    expect(list).not.toContain('organizations.removeMember');

    // Opening the page changes nothing, says who loses what, and offers a way back.
    const confirm = await page(confirmPath);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain(`Remove ${other.displayName} from the organization?`);
    expect(html).toContain('loses the Editor role');
    expect(html).toContain(`href="/en/organizations/${org.slug}/members"`);
    expect((await server.api.get('/me', otherToken)).body.memberships).toHaveLength(1);
    const zh = await (await page(`/organizations/${org.slug}/members/${other.id}/remove`)).text();
    expect(zh).toContain('是，移除此成员');

    // Nobody but the organization's owners reaches it.
    expect((await page(confirmPath, otherToken)).status).toBe(404);
    expect((await page(`/en/organizations/${org.slug}/members/no-such-user/remove`)).status).toBe(404);

    const removed = await postForm(`${confirmPath}?_action=organizations.removeMember`, { slug: org.slug, userId: other.id }, token);
    expect(removed.status).toBe(303);
    expect(removed.headers.get('location')).toBe(`/en/organizations/${org.slug}/members?done=removed`);
    expect((await server.api.get('/me', otherToken)).body.memberships).toEqual([]);
  });
});

describe('the admin verification queue', () => {
  it('lists pending organizations for admins only, and verifies or rejects with a reason', async () => {
    const admin = await account('queue-admin@example.com', true);
    const owner = await account('queue-owner@example.com');
    const good = (await server.api.post('/organizations', { name: 'Queue Good Org', type: 'university' }, owner)).body;
    const bad = (await server.api.post('/organizations', { name: 'Queue Bad Org', type: 'company' }, owner)).body;

    expect((await fetch(`${server.url}/en/admin/organizations`, { headers: { authorization: `Bearer ${owner}` } })).status).toBe(404);
    const queue = await (await fetch(`${server.url}/en/admin/organizations`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(queue).toContain('Queue Good Org');
    expect(queue).toContain('queue-owner@example.com');

    // The action itself checks: a non-admin posting the form directly is refused.
    const forged = await postForm('/en/admin/organizations?_action=organizations.verify', { slug: good.slug }, owner);
    expect((await server.api.get(`/organizations/${good.slug}`, owner)).body.status).toBe('pending');
    expect(forged.status).not.toBe(303);

    const verified = await postForm('/en/admin/organizations?_action=organizations.verify', { slug: good.slug }, admin);
    expect(verified.status).toBe(303);
    expect((await server.api.get(`/organizations/${good.slug}`)).body.status).toBe('verified');

    const noReason = await postForm('/en/admin/organizations?_action=organizations.reject', { slug: bad.slug, reason: '' }, admin);
    expect(await noReason.text()).toMatch(new RegExp(`id="reason-${bad.slug}-error"[^>]*>Give a reason`));
    const rejected = await postForm('/en/admin/organizations?_action=organizations.reject', { slug: bad.slug, reason: 'Duplicate of an existing company.' }, admin);
    expect(rejected.status).toBe(303);
    const ownerPage = await (await fetch(`${server.url}/en/organizations/${bad.slug}`, { headers: { authorization: `Bearer ${owner}` } })).text();
    expect(ownerPage).toContain('Duplicate of an existing company.');

    const after = await (await fetch(`${server.url}/en/admin/organizations`, { headers: { authorization: `Bearer ${admin}` } })).text();
    expect(after).not.toContain('Queue Good Org');
    expect(after).not.toContain('Queue Bad Org');
  });
});

describe('a change of name or type of a verified organization, through the forms', () => {
  it('says on the edit form that a new name waits for an admin, keeps it in the form, and the admin decides in the queue', async () => {
    const admin = await account('change-admin@example.com', true);
    const owner = await account('change-owner@example.com');
    const org = (await server.api.post('/organizations', { name: 'Hongqiao Hub Services', type: 'company' }, owner)).body;
    await server.api.post(`/organizations/${org.slug}/verify`, {}, admin);
    const editPage = () => fetch(`${server.url}/organizations/${org.slug}/edit`, { headers: { cookie: `portal_session=${owner}` } }).then((r) => r.text());
    expect(await editPage()).toContain('修改名称（中文或英文）或机构类型需经平台管理员批准');

    const fields = { slug: org.slug, name: 'Hongqiao Hub Logistics', nameZh: '', type: 'company', descriptionMd: 'Freight.', website: '', rorId: '', code: '' };
    expect((await postForm(`/organizations/${org.slug}/edit?_action=organizations.update`, fields, owner)).status).toBe(303);
    expect((await server.api.get(`/organizations/${org.slug}`)).body).toMatchObject({ name: 'Hongqiao Hub Services', descriptionMd: 'Freight.' });
    // The form starts from what was asked for, so saving the description again keeps the request.
    const again = await editPage();
    expect(fieldHtml(again, 'name')).toContain('value="Hongqiao Hub Logistics"');
    expect(again).toContain('名称或类型的变更正在等待平台管理员审核');
    expect((await postForm(`/organizations/${org.slug}/edit?_action=organizations.update`, { ...fields, descriptionMd: 'Freight and customs.' }, owner)).status).toBe(303);
    expect((await server.api.get(`/organizations/${org.slug}`, owner)).body.pendingChange).toMatchObject({ name: 'Hongqiao Hub Logistics' });

    // An admin's edit form shows the verified name: saving it must not slip the change through.
    const adminEdit = await (await fetch(`${server.url}/organizations/${org.slug}/edit`, { headers: { cookie: `portal_session=${admin}` } })).text();
    expect(fieldHtml(adminEdit, 'name')).toContain('value="Hongqiao Hub Services"');
    const queue = await (await fetch(`${server.url}/admin/organizations`, { headers: { cookie: `portal_session=${admin}` } })).text();
    expect(queue).toContain('名称或类型变更');
    expect(queue).toContain('<del>Hongqiao Hub Services</del> → <ins>Hongqiao Hub Logistics</ins>');
    const forged = await postForm('/admin/organizations?_action=organizations.approveChange', { slug: org.slug }, owner);
    expect(forged.status).not.toBe(303);
    const noReason = await postForm('/en/admin/organizations?_action=organizations.rejectChange', { slug: org.slug, reason: '' }, admin);
    expect(await noReason.text()).toMatch(new RegExp(`id="change-reason-${org.slug}-error"[^>]*>Give a reason`));
    const approved = await postForm('/en/admin/organizations?_action=organizations.approveChange', { slug: org.slug }, admin);
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toContain('changeApproved=');
    expect((await server.api.get(`/organizations/${org.slug}`)).body.name).toBe('Hongqiao Hub Logistics');
  });
});

describe('the admin verification queue, when it is long', () => {
  it('shows 20 organizations a page, oldest first, and keeps the admin on their page after a decision', async () => {
    const admin = await account('backlog-admin@example.com', true);
    const owner = (await server.api.get('/me', await account('backlog-owner2@example.com'))).body;
    // 25 registrations from long ago, named Z … B so that oldest-first differs from by-name.
    const start = Date.UTC(2001, 0, 1);
    const expected: string[] = [];
    for (let i = 0; i < 25; i++) {
      const letter = String.fromCharCode(90 - i);
      const org = server.db
        .insert(organizations)
        .values({ slug: `backlog-${letter.toLowerCase()}`, name: `Backlog ${letter}`, type: 'company', createdAt: new Date(start + i * 60_000) })
        .returning()
        .get();
      server.db.insert(memberships).values({ organizationId: org.id, userId: owner.id, role: 'owner' }).run();
      expected.push(org.slug);
    }
    const queue = async (query = '') => {
      const res = await fetch(`${server.url}/en/admin/organizations${query}`, { headers: { authorization: `Bearer ${admin}` } });
      expect(res.status).toBe(200);
      const html = await res.text();
      return { html, slugs: [...html.matchAll(/<li class="card" data-slug="([^"]+)"/g)].map((m) => m[1]) };
    };

    const first = await queue();
    expect(first.slugs).toEqual(expected.slice(0, 20));
    expect(first.html).toContain('backlog-owner2@example.com');
    expect(first.html).toMatch(/Page 1 of [2-9]/);
    expect(first.html).toContain('href="/en/admin/organizations?page=2" rel="next"');

    const second = await queue('?page=2');
    expect(second.slugs.slice(0, 5)).toEqual(expected.slice(20));
    expect(second.slugs.length).toBeLessThanOrEqual(20);
    expect(second.html).toContain('rel="prev"');
    // The forms on page 2 post back to page 2, and the admin lands there again.
    expect(second.html).toMatch(/action="\/en\/admin\/organizations\?_action=organizations\.verify&(amp;|#38;)page=2"/);
    const verified = await postForm('/en/admin/organizations?_action=organizations.verify&page=2', { slug: 'backlog-b' }, admin);
    expect(verified.status).toBe(303);
    expect(verified.headers.get('location')).toBe('/en/admin/organizations?verified=Backlog+B&page=2');
    expect((await queue('?page=2')).slugs).not.toContain('backlog-b');

    // A page past the end shows the last one rather than an empty queue.
    const beyond = await queue('?page=999');
    expect(beyond.slugs.length).toBeGreaterThan(0);
    expect(beyond.html).not.toContain('rel="next"');
  });
});
