/** The officers' queue pages through more cases than fit on one page, in the API and the HTML. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedFoundation } from '../db/seed/foundation';
import { seedSettlement } from '../db/seed/settlement';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let officer: string;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');
const CASES = 27;

async function upload(id: number, item: string, token: string) {
  const form = new FormData();
  form.set('item', item);
  form.set('file', new Blob([PDF], { type: 'application/pdf' }), 'doc.pdf');
  const res = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  expect(res.status).toBe(201);
}

beforeAll(async () => {
  server = await startServer();
  await seedFoundation(server.db);
  seedSettlement(server.db);
  const login = await server.api.post('/auth/login', { email: DEMO_ACCOUNTS.officer.email, password: DEMO_PASSWORD });
  officer = login.body.token;
  const answers = {
    personal: { fullName: 'Applicant', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
    criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
    company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 3 },
    declaration: { agreed: true, signedName: 'Applicant' },
  };
  for (let i = 0; i < CASES; i++) {
    const token = await server.api.signUp(`applicant${i}@example.com`);
    const { body } = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token);
    expect((await server.api.patch(`/settlement/applications/${body.id}`, { answers }, token)).status).toBe(200);
    for (const item of ['identity', 'degree', 'business_licence', 'investment_proof']) await upload(body.id, item, token);
    expect((await server.api.post(`/settlement/applications/${body.id}/submit`, {}, token)).status).toBe(200);
  }
}, 180_000);
afterAll(() => server?.stop());

it('reaches every queued case through the page links', async () => {
  const seen = new Set<string>();
  let href: string | null = '/en/settlement/queue';
  let pages = 0;
  while (href) {
    const res: Response = await fetch(`${server.url}${href.replaceAll('&amp;', '&')}`, { headers: { authorization: `Bearer ${officer}` } });
    expect(res.status).toBe(200);
    const html: string = await res.text();
    for (const [, ref] of html.matchAll(/(SH-TS-\d{4}-\d{6})/g)) seen.add(ref!);
    href = /<a href="([^"]+)" rel="next"/.exec(html)?.[1] ?? null;
    pages++;
    expect(pages).toBeLessThan(5);
  }
  expect(pages).toBe(2);
  expect(seen.size).toBe(CASES);
});
