/**
 * Credit schemes, roles and conflicts over the real server: the API (validated against the served
 * OpenAPI document), the body's workspace forms as a browser posts them, and the public page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { creditConflicts, standards } from '../db/schema';
import { seed } from '../db/seed';
import { seededScheme } from '../db/seed/credit';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { addMonths } from '../src/lib/credit/dates';
import { shanghaiDate } from '../src/lib/standards/service';
import { getPage, postForm, userId } from './helpers/accounts';
import { activeScheme, BODY_SLUG, orgId } from './helpers/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
const tokens: Record<string, string> = {};
let standardId: number;
let schemeId: number;

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD });
  expect(res.status).toBe(200);
  return res.body.token as string;
}

const settings = { name: 'Trial grading', commitmentText: 'We declare that everything we provide is true.' };

beforeAll(async () => {
  server = await startServer();
  tokens.outsider = await server.api.signUp('scheme-outsider@example.com');
  await seed(server.db);
  for (const name of ['standards', 'provider', 'assessor', 'committee', 'seller']) tokens[name] = await login(name);
  const scheme = seededScheme(server.db)!;
  schemeId = scheme.id;
  standardId = scheme.standardId;
}, 180_000);
afterAll(() => server?.stop());

describe('the public side', () => {
  it('lists active schemes and shows one with its indicators, clause links, bands, periods and commitment, in both languages', async () => {
    const list = await server.api.get('/credit/schemes');
    expect(list.status).toBe(200);
    expect(list.body.items.map((s: { id: number }) => s.id)).toContain(schemeId);
    const one = await server.api.get(`/credit/schemes/${schemeId}`);
    expect(one.body).toMatchObject({
      state: 'active',
      body: { slug: BODY_SLUG, code: 'SCBEA' },
      standard: { id: standardId, version: 1 },
      indicatorClause: 'A.1',
      bandClause: '5.1',
      maxScore: 100,
      validityMonths: 36,
      noticeDays: 7,
      transitionDeadline: null,
    });
    expect(one.body.indicators[0]).toEqual({ key: 'i1', label: 'Compliance', labelZh: '合规经营', maxPoints: 40, clause: '4.1' });

    const en = await (await getPage(server, `/en/credit/schemes/${schemeId}`)).text();
    expect(en).toContain(`href="/en/standards/${standardId}"`);
    expect(en).toContain(`href="/en/standards/${standardId}#clause-4.1"`);
    expect(en).toContain(one.body.standard.number);
    expect(en).toMatch(/<th scope="row">Compliance<\/th>\s*<td>40<\/td>/);
    expect(en).toContain('90 or more');
    expect(en).toContain('80–89');
    expect(en).toContain('36 months');
    expect(en).toContain('accept the body’s surveillance');
    const zh = await (await getPage(server, `/credit/schemes/${schemeId}`)).text();
    expect(zh).toContain('合规经营');
    expect(zh).toContain('90 分及以上');
    expect(zh).toContain('本企业承诺');
    expect(zh).toContain(`href="/standards/${standardId}#clause-4.2"`);
  });
});

describe('creating a scheme through the API', () => {
  it('answers 201 with the parse for the body’s editors, and refuses others and clauses that do not parse', async () => {
    const input = { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings };
    expect((await server.api.post('/credit/schemes', input)).status).toBe(401);
    expect((await server.api.post('/credit/schemes', input, tokens.outsider)).status).toBe(403);
    expect((await server.api.post('/credit/schemes', input, tokens.provider)).status).toBe(403); // a member, not an editor

    const bad = await server.api.post('/credit/schemes', { ...input, indicatorClause: '4.1', bandClause: 'A.1' }, tokens.standards);
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields).toEqual({
      indicatorClause: ['Clause 4.1 has no table of indicators (indicator, maximum points or weight).'],
      bandClause: ['Row 1 of the table in clause A.1 names no grade like AAA or B: “合规经营 Compliance”.'],
    });
    const inComment = server.db.select().from(standards).where(and(eq(standards.organizationId, orgId(server, BODY_SLUG)), eq(standards.state, 'public_comment'))).get()!;
    const unpublished = await server.api.post('/credit/schemes', { ...input, standardId: inComment.id }, tokens.standards);
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.message).toBe('A scheme is built on a published standard; this one is public_comment.');

    const created = await server.api.post('/credit/schemes', { ...input, validityMonths: 24 }, tokens.standards);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: 'draft', validityMonths: 24, surveillanceMonths: 12, complaintThreshold: 5, standard: { id: standardId, version: 1 } });
    expect(created.body.indicators.map((i: { clause: string }) => i.clause)).toEqual(['4.1', '4.2', '4.3']);
    expect(created.body.bands.map((b: { minScore: number }) => b.minScore)).toEqual([90, 80, 70, 60, 0]);
    // a draft is the body's business
    expect((await server.api.get(`/credit/schemes/${created.body.id}`)).status).toBe(404);
    expect((await server.api.get(`/credit/schemes/${created.body.id}`, tokens.assessor)).status).toBe(404);
    expect((await server.api.get(`/credit/schemes/${created.body.id}`, tokens.standards)).status).toBe(200);
    expect((await server.api.get('/credit/schemes?perPage=100')).body.items.map((s: { id: number }) => s.id)).not.toContain(created.body.id);
    expect((await getPage(server, `/en/credit/schemes/${created.body.id}`)).status).toBe(404);
  });

  it('activates a draft and retires an active scheme; any other move is a 409 with the reason', async () => {
    const { body: draft } = await server.api.post('/credit/schemes', { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings }, tokens.standards);
    const move = (to: string, token = tokens.standards) => server.api.post(`/credit/schemes/${draft.id}/transitions`, { to }, token);
    const early = await move('retired');
    expect(early.status).toBe(409);
    expect(early.body.error.message).toBe('Only an active scheme can be retired. This one is draft.');
    expect((await move('active', tokens.provider)).status).toBe(404);
    expect((await move('active')).body).toMatchObject({ id: draft.id, state: 'active' });
    const again = await move('active');
    expect(again.status).toBe(409);
    expect(again.body.error.message).toBe('Only a draft scheme can be activated. This one is active.');
    expect((await move('retired', tokens.provider)).status).toBe(403);
    expect((await move('retired')).body.state).toBe('retired');
    expect((await server.api.get('/credit/schemes?state=retired')).body.items.map((s: { id: number }) => s.id)).toContain(draft.id);
    expect((await getPage(server, `/en/credit/schemes/${draft.id}`)).status).toBe(200);
  });
});

describe('the body’s workspace', () => {
  const NEW = `/en/credit/manage/schemes/new?body=${BODY_SLUG}`;

  it('creates a scheme from select lists of the standard’s clauses, keeping what was typed when a clause does not parse', async () => {
    const form = await (await getPage(server, NEW, tokens.standards)).text();
    expect(form).toContain(`<option value="${standardId}" selected>`);
    expect(form).toMatch(/<option value="A\.1" selected>A\.1 权重 Weights \(has a table\)<\/option>/);
    expect(form).toMatch(/<option value="5\.1" selected>5\.1 等级划分 Grades \(has a table\)<\/option>/);

    const fields = { standardId: String(standardId), indicatorClause: '4.2', bandClause: '5.1', name: 'Typed name kept', validityMonths: '30', surveillanceMonths: '12', noticeDays: '7', complaintResponseDays: '14', complaintThreshold: '5', complaintWindowMonths: '12', commitmentText: 'We promise.' + ' True.'.repeat(3) };
    const failed = await postForm(server, NEW, 'creditSchemes.create', fields, tokens.standards);
    expect(failed.status).toBe(400);
    const html = await failed.text();
    expect(html).toContain('Clause 4.2 has no table of indicators (indicator, maximum points or weight).');
    expect(html).toMatch(/id="f-indicatorClause-error">Clause 4\.2 has no table/);
    expect(html).toContain('value="Typed name kept"');
    expect(html).toContain('value="30"');
    expect(html).toContain('<option value="4.2" selected>');
    const zh = await (await postForm(server, `/credit/manage/schemes/new?body=${BODY_SLUG}`, 'creditSchemes.create', fields, tokens.standards)).text();
    expect(zh).toContain('条款 4.2 没有指标表（指标、最高分值或权重）。');

    const created = await postForm(server, NEW, 'creditSchemes.create', { ...fields, indicatorClause: 'A.1' }, tokens.standards);
    expect(created.status).toBe(303);
    const confirm = created.headers.get('location')!;
    expect(confirm).toMatch(/^\/en\/credit\/manage\/schemes\/\d+\?done=created$/);
    const page = await (await getPage(server, confirm, tokens.standards)).text();
    expect(page).toContain('Check the parse below');
    expect(page).toMatch(/<th scope="row">Fulfilment<\/th>\s*<td>35<\/td>/);
    expect(page).toContain('Confirm and activate');
    const id = confirm.match(/schemes\/(\d+)/)![1]!;
    const activated = await postForm(server, `/en/credit/manage/schemes/${id}`, 'creditSchemes.transition', { id, to: 'active' }, tokens.standards);
    expect(activated.status).toBe(303);
    expect((await server.api.get(`/credit/schemes/${id}`)).body).toMatchObject({ state: 'active', name: 'Typed name kept', validityMonths: 30 });
    const refused = await postForm(server, `/en/credit/manage/schemes/${id}`, 'creditSchemes.transition', { id, to: 'active' }, tokens.standards);
    expect(await refused.text()).toContain('Only a draft scheme can be activated. This one is active.');

    const bodyPage = await (await getPage(server, `/en/organizations/${BODY_SLUG}`, tokens.standards)).text();
    expect(bodyPage).toContain(`href="/en/credit/manage/schemes?body=${BODY_SLUG}"`);
    expect(await (await getPage(server, `/en/organizations/${BODY_SLUG}`, tokens.provider)).text()).not.toContain('/credit/manage/schemes');
    const list = await (await getPage(server, '/en/credit/manage/schemes', tokens.standards)).text();
    expect(list).toContain('Typed name kept');
    expect((await getPage(server, '/en/credit/manage/schemes', tokens.outsider)).status).toBe(403);
    expect((await getPage(server, `/en/credit/manage/schemes/${id}`, tokens.provider)).status).toBe(403);
  });

  it('lets the owner name and remove assessors among the body’s members, and shows the conflicts they declare', async () => {
    const ROLES = `/en/credit/manage/schemes/roles?body=${BODY_SLUG}`;
    const roster = await (await getPage(server, ROLES, tokens.standards)).text();
    expect(roster).toContain('Remove 吴芳 Wu Fang (credit assessor) as Assessor');
    const notMember = await postForm(server, ROLES, 'creditSchemes.grantRole', { body: BODY_SLUG, email: 'seller@demo.portal.test', role: 'assessor' }, tokens.standards);
    const notMemberHtml = await notMember.text();
    expect(notMemberHtml).toMatch(/id="f-email-error">Only members of the industry body can be named/);
    expect(notMemberHtml).toContain('value="seller@demo.portal.test"');
    const forged = await postForm(server, ROLES, 'creditSchemes.grantRole', { body: BODY_SLUG, email: 'provider@demo.portal.test', role: 'assessor' }, tokens.assessor);
    expect(await forged.text()).toContain('Only the industry body’s owner names assessors and committee members.');
    const named = await postForm(server, ROLES, 'creditSchemes.grantRole', { body: BODY_SLUG, email: 'provider@demo.portal.test', role: 'assessor' }, tokens.standards);
    expect(named.status).toBe(303);
    const provider = userId(server, 'provider@demo.portal.test');
    expect(await (await getPage(server, ROLES, tokens.standards)).text()).toMatch(/Remove [^<]*as Assessor/);
    const removed = await postForm(server, ROLES, 'creditSchemes.revokeRole', { body: BODY_SLUG, userId: provider, role: 'assessor' }, tokens.standards);
    expect(removed.status).toBe(303);

    const declared = await postForm(server, ROLES, 'creditSchemes.declareConflict', { entitySlug: 'hongqiao-silk-road-trading', reason: 'I advised its founder in 2025.' }, tokens.assessor);
    expect(declared.status).toBe(303);
    expect(server.db.select().from(creditConflicts).where(eq(creditConflicts.userId, userId(server, 'assessor@demo.portal.test'))).all()).toHaveLength(1);
    const owner = await (await getPage(server, ROLES, tokens.standards)).text();
    expect(owner).toContain('I advised its founder in 2025.');
    const mine = await (await getPage(server, '/credit/manage/schemes/roles', tokens.assessor)).text();
    expect(mine).toContain('I advised its founder in 2025.');
    expect(mine).not.toContain('data-testid="roster"');
    const blank = await postForm(server, '/credit/manage/schemes/roles', 'creditSchemes.declareConflict', { entitySlug: 'hongqiao-silk-road-trading', reason: '' }, tokens.assessor);
    expect(await blank.text()).toMatch(/id="f-reason-error">请说明利益冲突的情况。/);
    expect((await getPage(server, ROLES, tokens.seller)).status).toBe(403);
  });
});

describe('a scheme’s settings', () => {
  it('change periods and commitment on an active scheme, keep typed values on an error, and are refused once it is retired', async () => {
    const { body: draft } = await server.api.post('/credit/schemes', { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings }, tokens.standards);
    await server.api.post(`/credit/schemes/${draft.id}/transitions`, { to: 'active' }, tokens.standards);
    const path = `/en/credit/manage/schemes/${draft.id}`;
    const form = await (await getPage(server, path, tokens.standards)).text();
    expect(form).toContain('value="36"');
    const fields = { id: String(draft.id), name: 'Renamed grading', validityMonths: '0', surveillanceMonths: '6', noticeDays: '10', complaintResponseDays: '14', complaintThreshold: '3', complaintWindowMonths: '12', commitmentText: 'We declare it all true, again.' };
    const bad = await postForm(server, path, 'creditSchemes.settings', fields, tokens.standards);
    const html = await bad.text();
    expect(html).toMatch(/id="f-validityMonths-error">Enter the validity in months \(1 to 120\)\./);
    expect(html).toContain('value="Renamed grading"');
    const zh = await (await postForm(server, `/credit/manage/schemes/${draft.id}`, 'creditSchemes.settings', fields, tokens.standards)).text();
    expect(zh).toContain('请输入有效期月数（1 至 120）。');
    const forged = await postForm(server, path, 'creditSchemes.settings', { ...fields, validityMonths: '24' }, tokens.provider);
    expect(forged.status).toBe(403);
    const saved = await postForm(server, path, 'creditSchemes.settings', { ...fields, validityMonths: '24' }, tokens.standards);
    expect(saved.status).toBe(303);
    expect((await server.api.get(`/credit/schemes/${draft.id}`)).body).toMatchObject({ name: 'Renamed grading', validityMonths: 24, surveillanceMonths: 6, noticeDays: 10, complaintThreshold: 3, indicatorClause: 'A.1' });
    await server.api.post(`/credit/schemes/${draft.id}/transitions`, { to: 'retired' }, tokens.standards);
    const late = await postForm(server, path, 'creditSchemes.settings', { ...fields, validityMonths: '12' }, tokens.standards);
    expect(late.status).toBe(409);
    expect((await server.api.get(`/credit/schemes/${draft.id}`)).body.validityMonths).toBe(24);
  });
});

describe('a scheme whose standard is withdrawn', () => {
  it('shows a transition deadline 12 months on, in the API and on its page', async () => {
    const { schemeId: id, standardId: sid } = activeScheme(server);
    expect((await server.api.post(`/standards/${sid}/transitions`, { to: 'under_review' }, tokens.standards)).status).toBe(200);
    expect((await server.api.post(`/standards/${sid}/transitions`, { to: 'withdrawn', reason: 'Replaced by a national standard' }, tokens.standards)).status).toBe(200);
    const deadline = addMonths(shanghaiDate(new Date()), 12);
    expect((await server.api.get(`/credit/schemes/${id}`)).body.transitionDeadline).toBe(deadline);
    const page = await (await getPage(server, `/en/credit/schemes/${id}`)).text();
    expect(page).toContain('data-testid="transition-deadline"');
    expect(page).toContain('certificates must move to the new basis by');
  });
});
