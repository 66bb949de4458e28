/**
 * A company's unified social credit code on its organization: checked by its GB 32100 check
 * character in the API and the forms (message beside the field, in the page's language), unique
 * across organizations, and shown on the organization's page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { organizations } from '../db/schema';
import { seed } from '../db/seed';
import { USCC_MESSAGES } from '../src/lib/identifiers/uscc';
import { getPage, postForm } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let token: string;
let SEEDED: string; // hongqiao-silk-road-trading's

beforeAll(async () => {
  server = await startServer();
  token = await server.api.signUp('credit-code-owner@example.com');
  await seed(server.db);
  SEEDED = server.db.select().from(organizations).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).get()!.creditCode!;
}, 180_000);
afterAll(() => server?.stop());

describe('credit codes in the API', () => {
  it('are normalized, checked, unique and shown', async () => {
    const wrong = await server.api.post('/organizations', { name: 'Xiamen Lantern Trading', type: 'company', creditCode: '91350100M000100Y44' }, token);
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.fields).toEqual({ creditCode: [USCC_MESSAGES['uscc.check']] });
    const short = await server.api.post('/organizations', { name: 'Xiamen Lantern Trading', type: 'company', creditCode: '9135010' }, token);
    expect(short.body.error.fields).toEqual({ creditCode: [USCC_MESSAGES['uscc.format']] });
    const taken = await server.api.post('/organizations', { name: 'Copycat Trading', type: 'company', creditCode: SEEDED.toLowerCase() }, token);
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'credit_code_taken', fields: { creditCode: ['Another organization on the portal is registered with that unified social credit code.'] } });

    const created = await server.api.post('/organizations', { name: 'Xiamen Lantern Trading', type: 'company', creditCode: '9135 0100 m000 100y43' }, token);
    expect(created.status).toBe(201);
    expect(created.body.creditCode).toBe('91350100M000100Y43');
    const slug = created.body.slug as string;
    const clash = await server.api.patch(`/organizations/${slug}`, { creditCode: SEEDED }, token);
    expect(clash.status).toBe(409);
    expect((await server.api.patch(`/organizations/${slug}`, { creditCode: '9144030071526726XG' }, token)).body.creditCode).toBe('9144030071526726XG');
    expect((await server.api.get(`/organizations/${slug}`, token)).body.creditCode).toBe('9144030071526726XG');
    expect((await server.api.patch(`/organizations/${slug}`, { creditCode: null }, token)).body.creditCode).toBeNull();

    const page = await (await getPage(server, '/en/organizations/hongqiao-silk-road-trading')).text();
    expect(page).toContain('Unified social credit code');
    expect(page).toContain(`data-testid="credit-code">${SEEDED}<`);
    expect((await server.api.get('/organizations/hongqiao-silk-road-trading')).body.creditCode).toBe(SEEDED);
  });
});

describe('credit codes in the forms', () => {
  it('show the problem next to the field in the page’s language and keep what was typed', async () => {
    const fields = { name: 'Ningbo Kite Exports', type: 'company', creditCode: '914403001922038217' };
    const en = await (await postForm(server, '/en/organizations/new', 'organizations.create', fields, token)).text();
    expect(en).toContain(`id="f-creditCode-error">${USCC_MESSAGES['uscc.check']}<`);
    expect(en).toContain('value="914403001922038217"');
    expect(en).toContain('value="Ningbo Kite Exports"');
    const zh = await (await postForm(server, '/organizations/new', 'organizations.create', { ...fields, creditCode: 'ABC' }, token)).text();
    expect(zh).toContain('id="f-creditCode-error">请输入营业执照上的 18 位统一社会信用代码');
    const taken = await (await postForm(server, '/en/organizations/new', 'organizations.create', { ...fields, creditCode: SEEDED }, token)).text();
    expect(taken).toContain('id="f-creditCode-error">Another organization on the portal is registered with that unified social credit code.<');

    const created = await postForm(server, '/en/organizations/new', 'organizations.create', { ...fields, creditCode: '914403001922038216' }, token);
    expect(created.status).toBe(303);
    const org = server.db.select().from(organizations).where(eq(organizations.creditCode, '914403001922038216')).get()!;
    const edit = await (await getPage(server, `/en/organizations/${org.slug}/edit`, token)).text();
    expect(edit).toContain('value="914403001922038216"');
    // the edit form posts every field: an emptied code clears it, a changed one is checked
    const bad = await (await postForm(server, `/en/organizations/${org.slug}/edit`, 'organizations.update', { slug: org.slug, name: org.name, type: 'company', creditCode: '91330100799655058C' }, token)).text();
    expect(bad).toContain(`id="f-creditCode-error">${USCC_MESSAGES['uscc.check']}<`);
    const changed = await postForm(server, `/en/organizations/${org.slug}/edit`, 'organizations.update', { slug: org.slug, name: org.name, type: 'company', creditCode: '91330100799655058B' }, token);
    expect(changed.status).toBe(303);
    expect(server.db.select().from(organizations).where(eq(organizations.id, org.id)).get()!.creditCode).toBe('91330100799655058B');
  });
});
