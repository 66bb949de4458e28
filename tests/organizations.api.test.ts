/**
 * Organizations over the real server: registration, verification, visibility of pending ones,
 * membership permissions, invitations, the last owner, the public directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { auditLog, emailOutbox, notifications, userRoles } from '../db/schema';
import { addMember, mailedToken, outbox, postForm, userId, verifyEmail } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let adminToken: string;
let n = 0;

/** A fresh account; `admin` also gets the platform role (as an admin page would grant it). */
async function account(prefix: string, { admin = false } = {}) {
  const email = `${prefix}-${++n}@example.com`;
  const token = await server.api.signUp(email, `${prefix} ${n}`);
  const id = userId(server, email);
  if (admin) server.db.insert(userRoles).values({ userId: id, role: 'admin' }).run();
  return { email, id, token };
}

async function register(token: string, body: Record<string, unknown> = {}) {
  const res = await server.api.post('/organizations', { name: `Org ${++n}`, type: 'company', ...body }, token);
  expect(res.status).toBe(201);
  return res.body as { slug: string; status: string; id: number };
}

async function verified(token: string, body: Record<string, unknown> = {}) {
  const org = await register(token, body);
  expect((await server.api.post(`/organizations/${org.slug}/verify`, {}, adminToken)).status).toBe(200);
  return org;
}

beforeAll(async () => {
  server = await startServer();
  adminToken = (await account('admin', { admin: true })).token;
});
afterAll(() => server?.stop());

describe('registering an organization', () => {
  it('answers 201 with a slug and status pending, and makes the creator its owner', async () => {
    const owner = await account('owner');
    const res = await server.api.post(
      '/organizations',
      { name: 'Pudong Cross-border Academy', nameZh: '浦东跨境学院', type: 'training_agency', descriptionMd: 'We **train** sellers.', website: 'https://academy.example.cn', rorId: 'https://ror.org/03yrm5c26' },
      owner.token,
    );
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ slug: 'pudong-cross-border-academy', status: 'pending', nameZh: '浦东跨境学院', rorId: '03yrm5c26' });
    const me = await server.api.get('/me', owner.token);
    expect(me.body.memberships).toEqual([expect.objectContaining({ organizationSlug: 'pudong-cross-border-academy', role: 'owner', status: 'pending' })]);
  });

  it('gives a second organization with the same name its own slug', async () => {
    const owner = await account('twin');
    const a = await register(owner.token, { name: 'Twin Trading' });
    const b = await register(owner.token, { name: 'Twin Trading' });
    expect(a.slug).toBe('twin-trading');
    expect(b.slug).not.toBe(a.slug);
  });

  it('explains each invalid field', async () => {
    const owner = await account('invalid');
    const res = await server.api.post('/organizations', { name: 'X', type: 'club', website: 'ftp://example.com', rorId: '03yrm5c27' }, owner.token);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.error.fields).sort()).toEqual(['name', 'rorId', 'type', 'website']);
    expect(res.body.error.fields.rorId[0]).toMatch(/checksum/);
  });

  it('needs a signed-in user', async () => {
    expect((await server.api.post('/organizations', { name: 'Anonymous Org', type: 'ngo' })).status).toBe(401);
  });

  it('refuses an industry-body code another organization already uses', async () => {
    const owner = await account('code');
    await register(owner.token, { type: 'industry_body', code: 'dupcode' });
    const res = await server.api.post('/organizations', { name: 'Second Body', type: 'industry_body', code: 'DUPCODE' }, owner.token);
    expect(res.status).toBe(409);
    expect(res.body.error.fields.code).toBeDefined();
  });

  it('keeps standards codes to industry bodies', async () => {
    const owner = await account('codeless');
    const res = await server.api.post('/organizations', { name: 'Coded Company', type: 'company', code: 'CCO' }, owner.token);
    expect(res.status).toBe(400);
    expect(res.body.error.fields.code).toEqual(['Only industry bodies have a standards code.']);
    const body = await register(owner.token, { type: 'industry_body', code: 'KEEPME' });
    const retype = await server.api.patch(`/organizations/${body.slug}`, { type: 'company' }, owner.token);
    expect(retype.status).toBe(400);
    expect((await server.api.get(`/organizations/${body.slug}`, owner.token)).body).toMatchObject({ type: 'industry_body', code: 'KEEPME' });
  });
});

describe('verification', () => {
  it('lets an admin verify; the owner is told and the organization becomes public', async () => {
    const owner = await account('verify');
    const org = await register(owner.token, { type: 'research_facility', name: 'Lingang Trade Lab' });
    const res = await server.api.post(`/organizations/${org.slug}/verify`, {}, adminToken);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('verified');
    expect((await server.api.get(`/organizations/${org.slug}`)).body.status).toBe('verified');
    const list = await server.api.get('/organizations?type=research_facility');
    expect(list.body.items.map((o: { slug: string }) => o.slug)).toContain(org.slug);
    const again = await server.api.post(`/organizations/${org.slug}/verify`, {}, adminToken);
    expect(again.status).toBe(409);
  });

  it('refuses verification and rejection by anyone but an admin, the owner included', async () => {
    const owner = await account('selfverify');
    const org = await register(owner.token);
    expect((await server.api.post(`/organizations/${org.slug}/verify`, {}, owner.token)).status).toBe(403);
    expect((await server.api.post(`/organizations/${org.slug}/reject`, { reason: 'We verify ourselves.' }, owner.token)).status).toBe(403);
    expect((await server.api.get(`/organizations/${org.slug}`, owner.token)).body.status).toBe('pending');
  });

  it('rejects with a reason that the owner sees; a rejected organization stays hidden', async () => {
    const owner = await account('reject');
    const org = await register(owner.token, { name: 'Shady Imports' });
    const noReason = await server.api.post(`/organizations/${org.slug}/reject`, { reason: '' }, adminToken);
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields.reason).toBeDefined();
    const res = await server.api.post(`/organizations/${org.slug}/reject`, { reason: 'The business licence number does not match.' }, adminToken);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'rejected', rejectionReason: 'The business licence number does not match.' });
    expect((await server.api.get(`/organizations/${org.slug}`, owner.token)).body.rejectionReason).toBe('The business licence number does not match.');
    expect((await server.api.get(`/organizations/${org.slug}`)).status).toBe(404);
    const page = await fetch(`${server.url}/en/organizations/${org.slug}`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('The business licence number does not match.');
    expect(html).toContain('Not verified');

    // The owner corrects it: it goes back to the queue, and the admin can verify it.
    const fixed = await server.api.patch(`/organizations/${org.slug}`, { descriptionMd: 'Licence 91310000MA1FL0000X.' }, owner.token);
    expect(fixed.body).toMatchObject({ status: 'pending', rejectionReason: null });
    expect((await server.api.post(`/organizations/${org.slug}/verify`, {}, adminToken)).body.status).toBe('verified');
  });
});

describe('pending organizations', () => {
  it('are 404 to strangers and visible to their members, in the API and as pages', async () => {
    const owner = await account('pending');
    const stranger = await account('stranger');
    const org = await register(owner.token, { name: 'Quiet Pending Co' });
    expect((await server.api.get(`/organizations/${org.slug}`)).status).toBe(404);
    expect((await server.api.get(`/organizations/${org.slug}`, stranger.token)).status).toBe(404);
    expect((await fetch(`${server.url}/organizations/${org.slug}`)).status).toBe(404);
    expect((await fetch(`${server.url}/organizations/${org.slug}`, { headers: { authorization: `Bearer ${stranger.token}` } })).status).toBe(404);

    expect((await server.api.get(`/organizations/${org.slug}`, owner.token)).status).toBe(200);
    const page = await fetch(`${server.url}/en/organizations/${org.slug}`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Pending verification');
    expect(html).toContain('Quiet Pending Co');
    const list = await server.api.get('/organizations?perPage=100');
    expect(list.body.items.map((o: { slug: string }) => o.slug)).not.toContain(org.slug);
  });
});

describe('membership permissions', () => {
  it('never lets a member of one organization edit or manage another', async () => {
    const ownerA = await account('ownerA');
    const ownerB = await account('ownerB');
    const a = await verified(ownerA.token, { name: 'Alpha Logistics' });
    const b = await verified(ownerB.token, { name: 'Beta Payments' });
    const pendingB = await register(ownerB.token, { name: 'Beta Pending' });

    const edit = await server.api.patch(`/organizations/${b.slug}`, { name: 'Hijacked' }, ownerA.token);
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe('forbidden');
    const add = await server.api.post(`/organizations/${b.slug}/members`, { email: ownerA.email, role: 'owner' }, ownerA.token);
    expect(add.status).toBe(403);
    const remove = await server.api.delete(`/organizations/${b.slug}/members/${ownerB.id}`, ownerA.token);
    expect(remove.status).toBe(403);
    expect(remove.body.error.code).toBe('forbidden');
    // A pending organization of someone else does not even exist for them.
    expect((await server.api.patch(`/organizations/${pendingB.slug}`, { name: 'Hijacked' }, ownerA.token)).status).toBe(404);
    expect((await server.api.post(`/organizations/${pendingB.slug}/members`, { email: ownerA.email, role: 'owner' }, ownerA.token)).status).toBe(404);

    const after = await server.api.get(`/organizations/${b.slug}`);
    expect(after.body.name).toBe('Beta Payments');
    const me = await server.api.get('/me', ownerA.token);
    expect(me.body.memberships.map((m: { organizationSlug: string }) => m.organizationSlug)).toEqual([a.slug]);
    // The forms are just as closed: the edit and members pages refuse.
    const page = await fetch(`${server.url}/en/organizations/${b.slug}/members`, { headers: { authorization: `Bearer ${ownerA.token}` } });
    expect(page.status).toBe(403);
    expect(await page.text()).not.toContain(ownerB.email);
  });

  it('lets an editor edit the profile but not manage members; a plain member can do neither', async () => {
    const owner = await account('owner');
    const editor = await account('editor');
    const member = await account('member');
    const org = await verified(owner.token, { name: 'Gamma Textiles' });
    await addMember(server, org.slug, { email: editor.email, role: 'editor' }, owner.token, editor.token);
    await addMember(server, org.slug, { email: member.email, role: 'member' }, owner.token, member.token);

    const edit = await server.api.patch(`/organizations/${org.slug}`, { descriptionMd: 'Silk and cotton.' }, editor.token);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ descriptionMd: 'Silk and cotton.', name: 'Gamma Textiles' });
    const manage = await server.api.post(`/organizations/${org.slug}/members`, { email: 'friend@example.com', role: 'owner' }, editor.token);
    expect(manage.status).toBe(403);
    expect((await server.api.delete(`/organizations/${org.slug}/members/${owner.id}`, editor.token)).status).toBe(403);

    expect((await server.api.patch(`/organizations/${org.slug}`, { name: 'Member Was Here' }, member.token)).status).toBe(403);
    expect((await server.api.post(`/organizations/${org.slug}/members`, { email: 'x@example.com', role: 'member' }, member.token)).status).toBe(403);
  });

  it('clears an optional field sent as null over PATCH, and keeps the fields left out', async () => {
    const owner = await account('clearer');
    const full = { name: 'Theta Standards Council', nameZh: '西塔标准委员会', type: 'industry_body', descriptionMd: 'We *write* standards.', website: 'https://theta.example.cn', rorId: '03yrm5c26', code: 'THETA' };
    const org = await register(owner.token, full);

    const cleared = await server.api.patch(`/organizations/${org.slug}`, { website: null, rorId: null }, owner.token);
    expect(cleared.status).toBe(200);
    expect(cleared.body).toMatchObject({ website: null, rorId: null, name: full.name, nameZh: full.nameZh, descriptionMd: full.descriptionMd, code: 'THETA' });

    const rest = await server.api.patch(`/organizations/${org.slug}`, { nameZh: null, descriptionMd: null, code: null }, owner.token);
    expect(rest.status).toBe(200);
    expect(rest.body).toMatchObject({ nameZh: null, descriptionMd: '', code: null, name: full.name, website: null });
    expect((await server.api.get(`/organizations/${org.slug}`, owner.token)).body).toMatchObject({ nameZh: null, website: null, rorId: null, code: null, descriptionMd: '' });

    // The required fields cannot be cleared; an absent key still means "leave it".
    const noName = await server.api.patch(`/organizations/${org.slug}`, { name: null }, owner.token);
    expect(noName.status).toBe(400);
    expect(noName.body.error.fields.name).toBeDefined();
    const setAgain = await server.api.patch(`/organizations/${org.slug}`, { website: 'https://theta.example.org' }, owner.token);
    expect(setAgain.body).toMatchObject({ website: 'https://theta.example.org', name: full.name, rorId: null });

    const doc = (await server.api.get('/openapi.json')).body;
    const body = doc.paths['/organizations/{slug}'].patch.requestBody.content['application/json'].schema;
    expect(body.properties.website.description).toMatch(/null clears it/);
    expect(body.properties.website.type).toContain('null');
  });

  it('shows the member list to members only', async () => {
    const owner = await account('listowner');
    const org = await verified(owner.token, { name: 'Delta Freight' });
    const asOwner = await (await fetch(`${server.url}/en/organizations/${org.slug}`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(asOwner).toContain('data-testid="member-list"');
    expect(asOwner).toContain('listowner');
    const asPublic = await (await fetch(`${server.url}/en/organizations/${org.slug}`)).text();
    expect(asPublic).toContain('Delta Freight');
    expect(asPublic).not.toContain('data-testid="member-list"');
  });
});

describe('invitations and owners', () => {
  it('turns an invitation into a membership once the invitee verifies the address, not at sign-up', async () => {
    const owner = await account('inviter');
    const org = await register(owner.token, { name: 'Epsilon Education' });
    const res = await server.api.post(`/organizations/${org.slug}/members`, { email: 'New.Teacher@Example.com', role: 'editor' }, owner.token);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('invited');
    const members = await (await fetch(`${server.url}/en/organizations/${org.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(members).toContain('data-testid="invitation-list"');
    expect(members).toContain('new.teacher@example.com');

    // Signing up with the address proves nothing yet.
    const token = await server.api.signUp('new.teacher@example.com');
    expect((await server.api.get('/me', token)).body.memberships).toEqual([]);
    expect(await (await fetch(`${server.url}/en/organizations/${org.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text()).toContain('data-testid="invitation-list"');

    await verifyEmail(server, 'new.teacher@example.com');
    const me = await server.api.get('/me', token);
    expect(me.body.memberships).toEqual([expect.objectContaining({ organizationSlug: org.slug, role: 'editor' })]);
    const after = await (await fetch(`${server.url}/en/organizations/${org.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(after).not.toContain('data-testid="invitation-list"');
  });

  it('mails the invitee in both languages with the invitation’s own link, and keeps the voting flag until it is accepted', async () => {
    const owner = await account('bodyowner');
    const body = await register(owner.token, { name: 'Pudong E-commerce Association', nameZh: '浦东电商协会', type: 'industry_body' });

    const res = await server.api.post(`/organizations/${body.slug}/members`, { email: 'Voter@Example.com', role: 'editor', votingMember: true }, owner.token);
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('invited');
    const mails = outbox(server, 'voter@example.com');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail!.subject).toContain('浦东电商协会');
    expect(mail!.subject).toContain('Pudong E-commerce Association');
    expect(mail!.body).toContain('“编辑”');
    expect(mail!.body).toContain('as Editor (voting member)');
    expect(mail!.body).toContain('（有投票权）');
    const token = mailedToken(server, 'voter@example.com', '/invitations/accept');
    expect(mail!.body).toContain(`${server.url}/invitations/accept?token=${token}\n`);
    expect(mail!.body).toContain(`${server.url}/en/invitations/accept?token=${token}`);
    const members = await (await fetch(`${server.url}/en/organizations/${body.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(members).toMatch(/voter@example\.com · Invited as: Editor · Voting member/);

    // A plain invitation says so and does not vote.
    await server.api.post(`/organizations/${body.slug}/members`, { email: 'listener@example.com', role: 'member' }, owner.token);
    expect(outbox(server, 'listener@example.com')[0]!.body).not.toMatch(/voting|投票/);

    const voting = (email: string) =>
      server.db.$client
        .prepare('select m.role, m.voting_member as voting from memberships m join users u on u.id = m.user_id join organizations o on o.id = m.organization_id where u.email = ? and o.slug = ?')
        .get(email, body.slug);
    await server.api.signUp('voter@example.com');
    await verifyEmail(server, 'voter@example.com');
    expect(voting('voter@example.com')).toEqual({ role: 'editor', voting: 1 });
    await server.api.signUp('listener@example.com');
    await verifyEmail(server, 'listener@example.com');
    expect(voting('listener@example.com')).toEqual({ role: 'member', voting: 0 });
    const after = await (await fetch(`${server.url}/en/organizations/${body.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    const row = (email: string) => after.slice(after.indexOf(`<td>${email}</td>`), after.indexOf('</tr>', after.indexOf(`<td>${email}</td>`)));
    expect(row('voter@example.com')).toMatch(/name="votingMember" checked/);
    expect(row('listener@example.com')).toContain('name="votingMember"');
    expect(row('listener@example.com')).not.toMatch(/name="votingMember" checked/);
  });

  it('answers adding an address with an account exactly like one without, and makes nobody a member on the spot', async () => {
    const owner = await account('sameowner');
    const holder = await account('holder');
    const org = await register(owner.token, { name: 'Iota Imports' });
    const withAccount = await server.api.post(`/organizations/${org.slug}/members`, { email: holder.email, role: 'editor' }, owner.token);
    const without = await server.api.post(`/organizations/${org.slug}/members`, { email: 'no-account-here@example.com', role: 'editor' }, owner.token);
    expect(withAccount.status).toBe(202);
    expect(without.status).toBe(202);
    expect(JSON.stringify(withAccount.body).replace(holder.email, 'X')).toBe(JSON.stringify(without.body).replace('no-account-here@example.com', 'X'));
    expect(withAccount.headers.get('content-type')).toBe(without.headers.get('content-type'));
    // Both are pending invitations with a mailed link; the account holder is not a member yet.
    expect((await server.api.get('/me', holder.token)).body.memberships).toEqual([]);
    expect(outbox(server, holder.email).at(-1)!.body).toContain('/invitations/accept?token=');
    expect(outbox(server, 'no-account-here@example.com').at(-1)!.body).toContain('/invitations/accept?token=');
    const members = await (await fetch(`${server.url}/en/organizations/${org.slug}/members`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(members).toMatch(new RegExp(`data-testid="invitation-list"[\\s\\S]*${holder.email}`));
  });

  it('accepts the invitation’s link only from the signed-in account with the invited address, once', async () => {
    const owner = await account('linkowner');
    const invitee = await account('Invitee');
    const other = await account('other');
    const org = await register(owner.token, { name: 'Kappa Couriers' });
    await server.api.post(`/organizations/${org.slug}/members`, { email: invitee.email.toUpperCase(), role: 'member' }, owner.token);
    const token = mailedToken(server, invitee.email, '/invitations/accept');

    // Opening the link shows the invitation and changes nothing.
    const page = await fetch(`${server.url}/en/invitations/accept?token=${token}`, { headers: { authorization: `Bearer ${other.token}` } });
    expect(await page.text()).toContain('data-testid="accept-wrong-account"');
    const signedOut = await (await fetch(`${server.url}/en/invitations/accept?token=${token}`)).text();
    expect(signedOut).toContain(`This invitation was sent to ${invitee.email.toLowerCase()}. Sign in with that address to accept it.`);

    expect((await server.api.post('/invitations/accept', { token })).status).toBe(401);
    const wrong = await server.api.post('/invitations/accept', { token }, other.token);
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.message).toBe('This invitation was sent to another address. Sign in with that address to accept it.');
    expect((await server.api.get('/me', other.token)).body.memberships).toEqual([]);

    const ok = await server.api.post('/invitations/accept', { token }, invitee.token);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ organizationSlug: org.slug, role: 'member' });
    expect((await server.api.get('/me', invitee.token)).body.memberships).toEqual([expect.objectContaining({ organizationSlug: org.slug, role: 'member' })]);
    // Receiving the link proved the address.
    expect(server.db.$client.prepare('select email_verified_at as at from users where id = ?').get(invitee.id)).toEqual({ at: expect.any(Number) });

    const again = await server.api.post('/invitations/accept', { token }, invitee.token);
    expect(again.status).toBe(400);
    expect(again.body.error.fields.token).toBeDefined();
  });

  it('accepts through the page’s button, which answers in Chinese too', async () => {
    const owner = await account('pageowner');
    const invitee = await account('pageinvitee');
    const org = await register(owner.token, { name: 'Lambda Lines' });
    await server.api.post(`/organizations/${org.slug}/members`, { email: invitee.email, role: 'editor' }, owner.token);
    const token = mailedToken(server, invitee.email, '/invitations/accept');
    const res = await postForm(server, `/invitations/accept?token=${token}`, 'organizations.acceptInvitation', { token }, invitee.token);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/account?joined=1');
    expect((await server.api.get('/me', invitee.token)).body.memberships).toEqual([expect.objectContaining({ organizationSlug: org.slug, role: 'editor' })]);
    const stale = await postForm(server, `/invitations/accept?token=${token}`, 'organizations.acceptInvitation', { token }, invitee.token);
    expect(await stale.text()).toContain('该邀请链接已失效');
  });

  it('sends nothing when the invitation is refused', async () => {
    const owner = await account('refusedowner');
    const editor = await account('refusededitor');
    const org = await register(owner.token, { name: 'Eta Exports' });
    await addMember(server, org.slug, { email: editor.email, role: 'editor' }, owner.token, editor.token);
    const res = await server.api.post(`/organizations/${org.slug}/members`, { email: 'nobody-yet@example.com', role: 'member' }, editor.token);
    expect(res.status).toBe(403);
    expect(server.db.$client.prepare('select count(*) as n from email_outbox where to_address = ?').get('nobody-yet@example.com')).toEqual({ n: 0 });
  });

  it('keeps the last owner: removing or demoting them is a 409; with a second owner it works', async () => {
    const owner = await account('lastowner');
    const second = await account('secondowner');
    const org = await register(owner.token, { name: 'Zeta Commerce' });
    const remove = await server.api.delete(`/organizations/${org.slug}/members/${owner.id}`, owner.token);
    expect(remove.status).toBe(409);
    expect(remove.body.error.code).toBe('last_owner');
    const demote = await server.api.post(`/organizations/${org.slug}/members`, { email: owner.email, role: 'member' }, owner.token);
    expect(demote.status).toBe(409);

    await addMember(server, org.slug, { email: second.email, role: 'owner' }, owner.token, second.token);
    expect((await server.api.delete(`/organizations/${org.slug}/members/${owner.id}`, second.token)).status).toBe(204);
    expect((await server.api.get('/me', owner.token)).body.memberships).toEqual([]);
  });
});

describe('the directory', () => {
  it('filters by type and pages with page and perPage', async () => {
    const owner = await account('ngo');
    const slugs: string[] = [];
    for (const name of ['NGO Aster', 'NGO Birch', 'NGO Cedar']) slugs.push((await verified(owner.token, { name, type: 'ngo' })).slug);
    await verified(owner.token, { name: 'NGO Lookalike Company', type: 'company' });

    const all = await server.api.get('/organizations?type=ngo&perPage=100');
    expect(all.body.total).toBe(3);
    expect(all.body.items.every((o: { type: string }) => o.type === 'ngo')).toBe(true);

    const first = await server.api.get('/organizations?type=ngo&perPage=2&page=1');
    const second = await server.api.get('/organizations?type=ngo&perPage=2&page=2');
    expect(first.body).toMatchObject({ total: 3, page: 1, perPage: 2 });
    expect(first.body.items).toHaveLength(2);
    expect(second.body.items).toHaveLength(1);
    expect([...first.body.items, ...second.body.items].map((o: { slug: string }) => o.slug).sort()).toEqual(slugs.sort());

    expect((await server.api.get('/organizations?type=club')).status).toBe(400);

    const html = await (await fetch(`${server.url}/en/organizations?type=ngo&perPage=2`)).text();
    expect(html).toContain('NGO Aster');
    expect(html).toContain('NGO Birch');
    expect(html).not.toContain('NGO Cedar');
    expect(html).not.toContain('NGO Lookalike Company');
    expect(html).toContain('Page 1 of 2');
    const page2 = await (await fetch(`${server.url}/en/organizations?type=ngo&perPage=2&page=2`)).text();
    expect(page2).toContain('NGO Cedar');
  });
});

describe('changes of name or type of a verified organization', () => {
  const search = async (q: string) => (await server.api.get(`/search?${new URLSearchParams({ q, type: 'organization' })}`)).body.hits.map((h: { title: string }) => h.title);

  async function verifiedWithEditor(name: string, body: Record<string, unknown> = {}) {
    const owner = await account('chowner');
    const editor = await account('cheditor');
    const org = await verified(owner.token, { name, ...body });
    await addMember(server, org.slug, { email: editor.email, role: 'editor' }, owner.token, editor.token);
    return { owner, editor, org };
  }

  it('holds an editor’s rename for an admin: the verified name stays public and searchable until approval', async () => {
    const { owner, editor, org } = await verifiedWithEditor('Zhangjiang Customs Academy', { type: 'university' });
    const course = await server.api.post('/courses', { organizationSlug: org.slug, title: 'Bonded warehouse basics', summary: 'How bonded warehouses work for cross-border sellers.', category: 'logistics', languages: ['en'], mode: 'online', priceCny: 0 }, owner.token);
    expect(course.status).toBe(201);
    expect((await server.api.post(`/courses/${course.body.id}/publish`, {}, owner.token)).status).toBe(200);

    const edit = await server.api.patch(`/organizations/${org.slug}`, { name: 'Quokkaville Polytechnic', nameZh: '袋鼠理工', descriptionMd: 'Now with a *new* outline.' }, editor.token);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ name: 'Zhangjiang Customs Academy', nameZh: null, status: 'verified', descriptionMd: 'Now with a *new* outline.' });
    expect(edit.body.pendingChange).toMatchObject({ name: 'Quokkaville Polytechnic', nameZh: '袋鼠理工', type: 'university' });

    // The public sees the verified name everywhere: the API, the page, the course, search.
    const publicView = await server.api.get(`/organizations/${org.slug}`);
    expect(publicView.body).toMatchObject({ name: 'Zhangjiang Customs Academy', status: 'verified', pendingChange: null });
    const page = await (await fetch(`${server.url}/en/organizations/${org.slug}`)).text();
    expect(page).toContain('Zhangjiang Customs Academy');
    expect(page).not.toContain('Quokkaville');
    expect((await server.api.get(`/courses/${course.body.id}`)).body.providers[0].name).toBe('Zhangjiang Customs Academy');
    expect(await search('Quokkaville')).toEqual([]);
    expect(await search('Zhangjiang Customs')).toContain('Zhangjiang Customs Academy');
    // Its people see what waits, on the page and in the API.
    expect((await server.api.get(`/organizations/${org.slug}`, owner.token)).body.pendingChange.name).toBe('Quokkaville Polytechnic');
    const ownerPage = await (await fetch(`${server.url}/en/organizations/${org.slug}`, { headers: { authorization: `Bearer ${owner.token}` } })).text();
    expect(ownerPage).toMatch(/data-testid="pending-change"[^]*Quokkaville Polytechnic/);

    // The admin's queue shows old → new; nobody else may read it or decide.
    expect((await server.api.get('/admin/organization-changes', owner.token)).status).toBe(403);
    expect((await server.api.post(`/organizations/${org.slug}/pending-change/approve`, {}, owner.token)).status).toBe(403);
    const queue = await server.api.get('/admin/organization-changes', adminToken);
    expect(queue.status).toBe(200);
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ slug: org.slug, current: { name: 'Zhangjiang Customs Academy', nameZh: null, type: 'university' }, requested: expect.objectContaining({ name: 'Quokkaville Polytechnic', nameZh: '袋鼠理工' }), requestedBy: expect.objectContaining({ email: editor.email }) }),
    );
    const adminPage = await (await fetch(`${server.url}/en/admin/organizations`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
    expect(adminPage).toMatch(/data-testid="pending-changes"[^]*<del>Zhangjiang Customs Academy<\/del> → <ins>Quokkaville Polytechnic<\/ins>/);
    const overview = await (await fetch(`${server.url}/en/admin`, { headers: { authorization: `Bearer ${adminToken}` } })).text();
    expect(overview).toMatch(/[1-9]\d* changes? of name or type waiting for review/);

    const approved = await server.api.post(`/organizations/${org.slug}/pending-change/approve`, {}, adminToken);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ name: 'Quokkaville Polytechnic', nameZh: '袋鼠理工', pendingChange: null });
    expect((await server.api.get(`/organizations/${org.slug}`)).body.name).toBe('Quokkaville Polytechnic');
    expect(await search('Quokkaville')).toContain('Quokkaville Polytechnic');
    expect(await search('Zhangjiang Customs')).toEqual([]);
    // The course's search document names its provider anew.
    const courseHits = (await server.api.get('/search?q=Quokkaville&type=course')).body.hits.map((h: { id: string }) => h.id);
    expect(courseHits).toContain(String(course.body.id));
    expect((await server.api.post(`/organizations/${org.slug}/pending-change/approve`, {}, adminToken)).status).toBe(404);

    const actions = server.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'organization'), eq(auditLog.subjectId, String(org.id)))).all().map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['organization.change_requested', 'organization.change_approved']));
    const told = server.db.select().from(notifications).where(and(eq(notifications.userId, owner.id), eq(notifications.kind, 'organization.change_approved'))).all();
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe('机构名称或类型的变更已获批准：袋鼠理工');
  });

  it('holds a retype to government likewise, and a rejection keeps the verified name and type and tells the editors why', async () => {
    const { editor, org } = await verifiedWithEditor('Waigaoqiao Bonded Services', { type: 'company' });
    const retype = await server.api.patch(`/organizations/${org.slug}`, { type: 'government', name: 'Waigaoqiao Bonded Bureau' }, editor.token);
    expect(retype.status).toBe(200);
    expect(retype.body).toMatchObject({ type: 'company', name: 'Waigaoqiao Bonded Services', pendingChange: expect.objectContaining({ type: 'government' }) });
    expect((await server.api.get(`/organizations?type=government`)).body.items.map((o: { slug: string }) => o.slug)).not.toContain(org.slug);

    const noReason = await server.api.post(`/organizations/${org.slug}/pending-change/reject`, { reason: '' }, adminToken);
    expect(noReason.status).toBe(400);
    const rejected = await server.api.post(`/organizations/${org.slug}/pending-change/reject`, { reason: 'A company is not a government body.' }, adminToken);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ type: 'company', name: 'Waigaoqiao Bonded Services', pendingChange: null });
    expect((await server.api.get(`/organizations/${org.slug}`, editor.token)).body).toMatchObject({ type: 'company', pendingChange: null });
    expect((await server.api.get('/admin/organization-changes', adminToken)).body.items.map((i: { slug: string }) => i.slug)).not.toContain(org.slug);
    const mail = server.db.select().from(emailOutbox).where(eq(emailOutbox.toAddress, editor.email)).all().at(-1)!;
    expect(mail.subject).toBe('机构名称或类型的变更未获批准：Waigaoqiao Bonded Services');
    expect(mail.body).toContain('A company is not a government body.');
    const actions = server.db.select().from(auditLog).where(and(eq(auditLog.subjectType, 'organization'), eq(auditLog.subjectId, String(org.id)))).all().map((a) => a.action);
    expect(actions).toContain('organization.change_rejected');
  });

  it('withdraws the waiting change when the editor puts the verified name back; an admin’s own edit applies at once', async () => {
    const { editor, org } = await verifiedWithEditor('Yangshan Port Institute');
    await server.api.patch(`/organizations/${org.slug}`, { name: 'Yangshan Typo Institute' }, editor.token);
    const back = await server.api.patch(`/organizations/${org.slug}`, { name: 'Yangshan Port Institute' }, editor.token);
    expect(back.body.pendingChange).toBeNull();
    expect((await server.api.post(`/organizations/${org.slug}/pending-change/approve`, {}, adminToken)).status).toBe(404);

    const byAdmin = await server.api.patch(`/organizations/${org.slug}`, { name: 'Yangshan Deep-water Port Institute' }, adminToken);
    expect(byAdmin.body).toMatchObject({ name: 'Yangshan Deep-water Port Institute', pendingChange: null });
    expect(await search('Deep-water')).toContain('Yangshan Deep-water Port Institute');
  });

  it('drops a waiting change when the admin rejects the organization itself', async () => {
    const { editor, org } = await verifiedWithEditor('Jinqiao Export Partners');
    await server.api.patch(`/organizations/${org.slug}`, { name: 'Jinqiao Export Partners Group' }, editor.token);
    expect((await server.api.post(`/organizations/${org.slug}/reject`, { reason: 'Not a real company.' }, adminToken)).status).toBe(200);
    expect((await server.api.post(`/organizations/${org.slug}/verify`, {}, adminToken)).status).toBe(200);
    expect((await server.api.get('/admin/organization-changes', adminToken)).body.items.map((i: { slug: string }) => i.slug)).not.toContain(org.slug);
    expect((await server.api.get(`/organizations/${org.slug}`, editor.token)).body).toMatchObject({ name: 'Jinqiao Export Partners', pendingChange: null });
  });

  it('lets the people of a pending organization rename and retype it directly', async () => {
    const owner = await account('pendingrename');
    const org = await register(owner.token, { name: 'Draft Name Trading' });
    const edit = await server.api.patch(`/organizations/${org.slug}`, { name: 'Final Name Trading', type: 'government' }, owner.token);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ name: 'Final Name Trading', type: 'government', status: 'pending', pendingChange: null });
  });

  it('documents the waiting change in the OpenAPI document', async () => {
    const doc = (await server.api.get('/openapi.json')).body;
    const one = doc.paths['/organizations/{slug}'].get.responses['200'].content['application/json'].schema;
    expect(one.properties.pendingChange).toBeDefined();
    expect(doc.paths['/organizations/{slug}/pending-change/approve'].post).toBeDefined();
    expect(doc.paths['/organizations/{slug}/pending-change/reject'].post.requestBody).toBeDefined();
    expect(doc.paths['/admin/organization-changes'].get).toBeDefined();
  });
});

describe('single-line fields', () => {
  it('refuse CR/LF in a name, on registration and on rename, with the field message', async () => {
    const owner = await account('crlf');
    const create = await server.api.post('/organizations', { name: 'Evil\r\nBcc: x@y', type: 'company' }, owner.token);
    expect(create.status).toBe(400);
    expect(create.body.error.fields.name).toEqual(['This field must be a single line without control characters.']);
    const org = await register(owner.token);
    const rename = await server.api.patch(`/organizations/${org.slug}`, { name: 'Evil\r\nBcc: x@y', nameZh: '恶意\u2028机构' }, owner.token);
    expect(rename.status).toBe(400);
    expect(rename.body.error.fields).toEqual({
      name: ['This field must be a single line without control characters.'],
      nameZh: ['This field must be a single line without control characters.'],
    });
    // A description is Markdown: its line breaks stay.
    const described = await server.api.patch(`/organizations/${org.slug}`, { descriptionMd: '## Who we are\n\n- sellers\r\n- buyers' }, owner.token);
    expect(described.status).toBe(200);
    expect(described.body.descriptionMd).toBe('## Who we are\n\n- sellers\r\n- buyers');
    // The form says it in Chinese.
    const page = await fetch(`${server.url}/organizations/new?_action=organizations.create`, {
      method: 'POST',
      headers: { origin: server.url, cookie: `portal_session=${owner.token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Evil\r\nBcc: x@y', type: 'company' }).toString(),
    });
    expect(await page.text()).toContain('此栏只能填写一行文字，不能包含换行或控制字符。');
  });
});
