/**
 * The public side of credit certification over the real server: the directory with its filters and
 * pages, the verification page (breakdown with clause links, states in words, JSON-LD, a QR code
 * that decodes to the page's address), the 404 with its form, the embeddable badge (ETag, 304,
 * cross-origin), the company profile, and search that finds certificates but never what is private.
 */
import { eq } from 'drizzle-orm';
import jsQR from 'jsqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPLAINT_CATEGORIES, creditAssessments, creditCertificates, creditComplaints, organizations } from '../db/schema';
import { seed } from '../db/seed';
import { getPage } from './helpers/accounts';
import { activeScheme, orgId, publicCertificate } from './helpers/credit';
import { jsonLdBlocks, schemaOrgProblems } from './helpers/schema-org';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let scheme: { schemeId: number; standardId: number; bodyId: number };
let active: typeof creditCertificates.$inferSelect;

const HONGQIAO = 'hongqiao-silk-road-trading';
const LINGANG = 'lingang-digital-goods';
const PUJIANG = 'pujiang-bridge-logistics';

beforeAll(async () => {
  server = await startServer();
  await server.api.get('/health'); // the server migrates its database on first use
  await seed(server.db);
  scheme = activeScheme(server);
  active = publicCertificate(server, { entitySlug: HONGQIAO, schemeId: scheme.schemeId, scores: { i1: 36, i2: 30, i3: 20 } });
}, 180_000);
afterAll(() => server?.stop());

const html = async (path: string, expected = 200) => {
  const res = await getPage(server, path);
  expect(res.status, path).toBe(expected);
  return res.text();
};
/** The visible text of a page region, tags dropped and whitespace folded. */
const text = (s: string) => s.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const region = (page: string, testId: string) => {
  const start = page.indexOf(`data-testid="${testId}"`);
  expect(start, testId).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</section>', start) === -1 ? undefined : page.indexOf('</section>', start));
};

describe('the verification page', () => {
  it('shows status in words, grade, score, validity and every indicator with its points and the clause it rests on', async () => {
    const page = await html(`/credit/${active.number}`);
    expect(text(region(page, 'credit-banner'))).toContain('有效');
    expect(page).toContain('虹桥丝路跨境贸易有限公司');
    expect(page).toContain('91310112MA1GB7X199');
    expect(text(page)).toMatch(/信用等级\s+AA\b/);
    expect(text(region(page, 'credit-score'))).toContain('86 / 100');
    expect(page).toContain(`href="/organizations/${HONGQIAO}"`);
    const breakdown = region(page, 'credit-breakdown');
    for (const [key, clause, points, max] of [['i1', '4.1', 36, 40], ['i2', '4.2', 30, 35], ['i3', '4.3', 20, 25]] as const) {
      const row = breakdown.slice(breakdown.indexOf(`data-indicator="${key}"`), breakdown.indexOf('</tr>', breakdown.indexOf(`data-indicator="${key}"`)));
      expect(row).toContain(`href="/standards/${scheme.standardId}#clause-${clause}"`);
      expect(text(row)).toContain(`${points} / ${max}`);
    }
    expect(page).toContain(`href="/standards/${scheme.standardId}"`);
    // the assessor's rationale is the body's and the company's, never the public's
    expect(page).not.toContain('private rationale');
    expect(text(region(page, 'credit-history'))).toContain('颁发证书');
    expect(page).toContain(`href="/credit/complaints/new?entity=${HONGQIAO}"`);

    const en = await html(`/en/credit/${active.number}`);
    expect(text(region(en, 'credit-banner'))).toContain('This certificate is in force.');
    expect(en).toContain('Hongqiao Silk Road Trading Co., Ltd.');
    expect(en).toContain(`href="/en/standards/${scheme.standardId}#clause-4.2"`);
  });

  it('carries schema.org JSON-LD describing the certification, valid against the vocabulary', async () => {
    for (const path of [`/credit/${active.number}`, `/en/credit/${active.number}`]) {
      const blocks = jsonLdBlocks(await html(path));
      expect(blocks).toHaveLength(1);
      expect(schemaOrgProblems(blocks[0])).toEqual([]);
      expect(blocks[0]).toMatchObject({
        '@type': 'Certification',
        certificationIdentification: active.number,
        certificationStatus: 'https://schema.org/CertificationActive',
        certificationRating: { '@type': 'Rating', ratingValue: 'AA', bestRating: 'AAA', worstRating: 'C' },
        about: { '@type': 'Organization', taxID: '91310112MA1GB7X199' },
        url: `${server.url}/credit/${active.number}`,
      });
    }
  });

  it('has a QR code made on the server that decodes to the page’s absolute address, also at qr.svg', async () => {
    const page = await html(`/credit/${active.number}`);
    const svg = region(page, 'credit-qr').match(/<svg[\s\S]*?<\/svg>/)![0];
    expect(decodeQr(svg)).toBe(`${server.url}/credit/${active.number}`);
    const res = await fetch(`${server.url}/credit/${active.number}/qr.svg`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(decodeQr(await res.text())).toBe(`${server.url}/credit/${active.number}`);
    expect((await fetch(`${server.url}/credit/SCBEA-XY-2026-99999/qr.svg`)).status).toBe(404);
  });

  it('says prominently, in words, when a certificate is suspended or withdrawn, with the reason and date', async () => {
    const suspended = publicCertificate(server, { entitySlug: PUJIANG, scores: { i1: 30, i2: 25, i3: 18 }, state: 'suspended', reason: 'Surveillance audit missed', at: new Date('2026-11-20T04:00:00Z') });
    const zh = text(region(await html(`/credit/${suspended.number}`), 'credit-banner'));
    expect(zh).toContain('暂停');
    expect(zh).toContain('2026年11月20日');
    expect(zh).toContain('Surveillance audit missed');
    const en = await html(`/en/credit/${suspended.number}`);
    expect(text(region(en, 'credit-banner'))).toContain('This certificate has been suspended since 20 Nov 2026. Reason: Surveillance audit missed');
    expect(jsonLdBlocks(en)[0]).toMatchObject({ certificationStatus: 'https://schema.org/CertificationInactive' });
    expect(text(region(en, 'credit-history'))).toContain('Suspended: Surveillance audit missed');

    const withdrawn = publicCertificate(server, { entitySlug: LINGANG, scores: { i1: 20, i2: 20, i3: 10 }, state: 'withdrawn', reason: 'Six months suspended' });
    expect(text(region(await html(`/en/credit/${withdrawn.number}`), 'credit-banner'))).toMatch(/Withdrawn This certificate was withdrawn on .+\. Reason: Six months suspended/);
  });

  it('says when the committee adjusted the grade, and shows the computed one', async () => {
    const adjusted = publicCertificate(server, { entitySlug: HONGQIAO, scores: { i1: 34, i2: 28, i3: 20 }, grade: 'A' });
    const page = await html(`/en/credit/${adjusted.number}`);
    expect(text(region(page, 'credit-adjusted'))).toContain('Adjusted by the committee (grade computed from the score: AA)');
    expect(text(await html(`/credit/${adjusted.number}`))).toContain('经评价委员会调整');
  });

  it('shows a certificate whose company is not (or no longer) verified, without linking to its missing page', async () => {
    server.db.insert(organizations).values({ slug: 'minhang-pending-traders', name: 'Minhang Pending Traders', nameZh: '闵行待审贸易公司', type: 'company', status: 'pending', creditCode: '91310112MA1GB7X1XX' }).run();
    const cert = publicCertificate(server, { entitySlug: 'minhang-pending-traders', scores: { i1: 35, i2: 30, i3: 20 } });
    const page = await html(`/en/credit/${cert.number}`);
    expect(page).toContain('Minhang Pending Traders');
    expect(page).not.toContain('href="/en/organizations/minhang-pending-traders"');
    expect(schemaOrgProblems(jsonLdBlocks(page)[0])).toEqual([]);
  });

  it('answers a wrong number with 404 and the verification form, and the form finds a right one', async () => {
    for (const path of ['/credit/SCBEA-XY-2026-99999', '/en/credit/not-a-number']) {
      const page = await html(path, 404);
      expect(page).toContain('data-testid="credit-not-found"');
      expect(page).toMatch(/<form method="get" action="(\/en)?\/credit\/verify"/);
    }
    const found = await getPage(server, `/en/credit/verify?number=${active.number.toLowerCase()}`);
    expect(found.status).toBe(303);
    expect(found.headers.get('location')).toBe(`/en/credit/${active.number}`);
    const missing = await html('/credit/verify?number=SCBEA-XY-2020-00042', 404);
    expect(text(missing)).toContain('没有编号为“SCBEA-XY-2020-00042”的信用证书');
    expect(missing).toContain('value="SCBEA-XY-2020-00042"');
    expect(await html('/credit/verify')).toContain('name="number"');
  });
});

describe('the badge', () => {
  const badge = (number: string, headers: Record<string, string> = {}, query = '') => fetch(`${server.url}/credit/${number}/badge.svg${query}`, { headers });

  it('is a live SVG with the body, grade and status in words, a strong ETag and a short public max-age, embeddable cross-origin', async () => {
    const res = await badge(active.number);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('vary')).toBe('Accept-Language');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const word of ['SCBEA', '>AA<', '>有效<', '门户实时核验']) expect(svg).toContain(word);

    const en = await badge(active.number, { 'accept-language': 'en-GB,en;q=0.9' });
    expect(await en.text()).toContain('>Active<');
    expect(en.headers.get('etag')).not.toBe(etag);
    const forced = await badge(active.number, { 'accept-language': 'en' }, '?lang=zh-cn');
    expect(forced.headers.get('vary')).toBeNull();
    expect(await forced.text()).toContain('>有效<');
  });

  it('answers a repeat view with 304 and no body, and a changed certificate with a new ETag', async () => {
    const cert = publicCertificate(server, { entitySlug: LINGANG, scores: { i1: 38, i2: 33, i3: 22 } });
    const first = await badge(cert.number, {}, '?lang=en');
    const etag = first.headers.get('etag')!;
    expect(await first.text()).toContain('>AAA<');
    const again = await badge(cert.number, { 'if-none-match': etag }, '?lang=en');
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.headers.get('cache-control')).toBe('public, max-age=300');
    expect((await badge(cert.number, { 'if-none-match': `W/${etag}, "other"` }, '?lang=en')).status).toBe(304);
    expect((await badge(cert.number, { 'if-none-match': '"other"' }, '?lang=en')).status).toBe(200);

    server.db.update(creditCertificates).set({ state: 'suspended', stateReason: 'Complaints', suspendedAt: new Date(), updatedAt: new Date(Date.now() + 5) }).where(eq(creditCertificates.id, cert.id)).run();
    const changed = await badge(cert.number, { 'if-none-match': etag }, '?lang=en');
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(await changed.text()).toContain('>Suspended<');
  });

  it('is the same through the Astro route (HEAD, which serve.mjs leaves to Astro) as through serve.mjs', async () => {
    const get = await badge(active.number, {}, '?lang=en');
    const head = await fetch(`${server.url}/credit/${active.number}/badge.svg?lang=en`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    for (const name of ['etag', 'cache-control', 'content-type', 'cross-origin-resource-policy', 'content-security-policy', 'x-content-type-options']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it('answers an unknown number with 404', async () => {
    const res = await badge('SCBEA-XY-2026-99999');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(await res.text()).toContain('未找到该信用证书');
    expect((await badge('nonsense')).status).toBe(404);
  });
});

describe('the directory', () => {
  it('lists certificates with company, credit code, grade, status in words, scheme, body and validity', async () => {
    const page = await html('/credit');
    const card = page.slice(page.indexOf(`data-number="${active.number}"`), page.indexOf('</li>', page.indexOf(`data-number="${active.number}"`)));
    const words = text(card);
    for (const expected of ['虹桥丝路跨境贸易有限公司', '91310112MA1GB7X199', 'AA', '有效', 'SCBEA 卖家信用等级评价', '有效期至']) expect(words).toContain(expected);
    expect(card).toContain(`href="/credit/${active.number}"`);
    expect(text(await html('/en/credit'))).toContain('Hongqiao Silk Road Trading Co., Ltd.');
  });

  it('filters by grade, status, scheme and body with a plain GET form', async () => {
    const numbers = (page: string) => [...page.matchAll(/<li class="card"[^>]*data-number="([^"]+)"/g)].map((m) => m[1]);
    const aa = numbers(await html('/credit?grade=AA'));
    expect(aa).toContain(active.number);
    const all = server.db.select().from(creditCertificates).all();
    expect(aa.sort()).toEqual(all.filter((c) => c.grade === 'AA').map((c) => c.number).sort());
    const suspended = numbers(await html('/en/credit?status=suspended'));
    expect(suspended.sort()).toEqual(all.filter((c) => c.state === 'suspended').map((c) => c.number).sort());
    expect(suspended.length).toBeGreaterThan(0);
    expect(numbers(await html(`/credit?scheme=${scheme.schemeId}`)).sort()).toEqual(all.filter((c) => c.schemeId === scheme.schemeId).map((c) => c.number).sort());
    expect(numbers(await html('/credit?body=shanghai-cross-border-e-commerce-association')).length).toBe(Math.min(20, all.length));
    expect(numbers(await html('/credit?body=no-such-body'))).toEqual([]);
    // a value that is not a choice is no filter, never an error
    expect((await getPage(server, '/credit?status=bogus&page=x')).status).toBe(200);
    const form = await html('/credit');
    expect(form).toMatch(/<form method="get" action="\/credit" class="filters"/);
    expect(form).toMatch(/<option value="suspended"[^>]*>暂停<\/option>/);
  });

  it('pages through a list that grows, newest first', async () => {
    const { schemeId } = activeScheme(server);
    const issued = Array.from({ length: 23 }, (_, i) => publicCertificate(server, { entitySlug: PUJIANG, schemeId, scores: { i1: 30 + (i % 5), i2: 25, i3: 15 } }));
    const page1 = await html(`/credit?scheme=${schemeId}`);
    const page2 = await html(`/en/credit?scheme=${schemeId}&page=2`);
    const numbers = (page: string) => [...page.matchAll(/<li class="card"[^>]*data-number="([^"]+)"/g)].map((m) => m[1]);
    expect(numbers(page1)).toEqual(issued.slice(3).reverse().map((c) => c.number));
    expect(numbers(page2)).toEqual(issued.slice(0, 3).reverse().map((c) => c.number));
    expect(page1).toContain(`href="/credit?scheme=${schemeId}&amp;page=2"`);
    expect(text(page2)).toContain('23 results');
    // every earlier one was superseded by the next: only the last is active
    const state = (number: string) => page1.slice(page1.indexOf(`data-number="${number}"`)).match(/data-state="(\w+)"/)![1];
    expect(state(issued[22]!.number)).toBe('active');
    expect(state(issued[21]!.number)).toBe('superseded');
  });
});

describe('the company credit profile', () => {
  it('lists current and past certificates, complaint counts and the way to complain', async () => {
    const page = await html(`/en/credit/companies/${HONGQIAO}`);
    expect(region(page, 'credit-current')).toContain(`data-number="${active.number}"`);
    expect(page).toContain(`href="/en/credit/complaints/new?entity=${HONGQIAO}"`);
    // the seed's one open complaint (db/seed/credit-complaints.ts) is against this company
    expect(text(region(page, 'credit-complaints'))).toMatch(/Received 1 Answered in time 0 Resolved 0/);
    expect((await getPage(server, '/credit/companies/no-such-company')).status).toBe(404);
  });
});

describe('privacy', () => {
  it('shows nothing of an assessment that was not granted', async () => {
    const companyId = orgId(server, 'pujiang-bridge-logistics');
    const { schemeId } = activeScheme(server, { name: 'Draft-only scheme Quillwort' });
    server.db.insert(creditAssessments).values({ schemeId, entityId: companyId, state: 'scoring', scores: { i1: { points: 1, rationale: 'Quillwort secret' } }, score: 1, computedGrade: 'C', grade: 'C' }).run();
    for (const path of ['/credit', `/credit/companies/${PUJIANG}`, `/credit?scheme=${schemeId}`]) expect(await html(path)).not.toContain('Quillwort secret');
    expect(text(await html(`/credit?scheme=${schemeId}`))).toContain('没有符合条件的证书');
    const found = await server.api.get('/search?q=Quillwort');
    expect(found.body.total).toBe(0);
  });
});

describe('search', () => {
  it('finds a certificate by the company’s Chinese or English name, its number or its grade, with its type label', async () => {
    const zh = await server.api.get(`/search?q=${encodeURIComponent('虹桥丝路')}&type=credit_certificate`);
    expect(zh.status).toBe(200);
    expect(zh.body.hits.map((h: { url: string }) => h.url)).toContain(`/credit/${active.number}`);
    const en = await server.api.get('/search?q=Hongqiao%20Silk&type=credit_certificate');
    expect(en.body.hits.map((h: { url: string }) => h.url)).toContain(`/credit/${active.number}`);
    const byNumber = await server.api.get(`/search?q=${active.number}&type=credit_certificate&perPage=50`);
    expect(byNumber.body.hits.map((h: { url: string }) => h.url)).toContain(`/credit/${active.number}`);
    const page = await html(`/en/search?q=${encodeURIComponent('Hongqiao Silk')}`);
    expect(page).toMatch(/<li class="card search-hit" data-type="credit_certificate"[^>]*>\s*<span class="badge"[^>]*>Credit certificate<\/span>/);
    expect(await html(`/search?q=${encodeURIComponent('虹桥丝路')}`)).toMatch(/<span class="badge"[^>]*>信用证书<\/span>/);
  });

  it('follows a certificate’s state and never indexes complaints, rationales or evidence', async () => {
    publicCertificate(server, { entitySlug: HONGQIAO, schemeId: scheme.schemeId, scores: { i1: 40, i2: 35, i3: 25 } });
    const body = server.db.select().from(organizations).where(eq(organizations.slug, HONGQIAO)).get()!;
    server.db.insert(creditComplaints).values({ entityId: body.id, schemeId: scheme.schemeId, category: COMPLAINT_CATEGORIES[0], text: 'Zanzibarite parcel never arrived', responseDueAt: new Date() }).run();
    expect((await server.api.get('/search?q=Zanzibarite')).body.total).toBe(0);
    expect((await server.api.get('/search?q=rationale')).body.hits.filter((h: { type: string }) => h.type === 'credit_certificate')).toEqual([]);
    // the superseded certificate's document says so, the new one's says active
    const hits = (await server.api.get(`/search?q=${encodeURIComponent('Hongqiao Silk')}&type=credit_certificate&perPage=50`)).body.hits as { url: string; snippet: string }[];
    expect(hits.length).toBeGreaterThan(1);
    expect(hits.find((h) => h.url === `/credit/${active.number}`)!.snippet).toMatch(/Superseded|已被取代/);
  });

  it('puts certificates in the sitemap', async () => {
    const xml = await (await fetch(`${server.url}/sitemap.xml`)).text();
    expect(xml).toContain(`<loc>${server.url}/credit/${active.number}</loc>`);
    expect(xml).toContain(`<loc>${server.url}/en/credit</loc>`);
  });
});

/** Draws the SVG's runs of modules (`M{x} {y}h{w}v1h-{w}z`) into a bitmap and reads it with jsQR. */
function decodeQr(svg: string): string | null {
  const size = Number(svg.match(/viewBox="0 0 (\d+) \d+"/)![1]);
  const scale = 6;
  const px = size * scale;
  const data = new Uint8ClampedArray(px * px * 4).fill(255);
  const runs = [...svg.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)];
  expect(runs.length).toBeGreaterThan(50);
  for (const m of runs) {
    const [x, y, w] = [Number(m[1]), Number(m[2]), Number(m[3])];
    for (let dy = 0; dy < scale; dy++)
      for (let dx = 0; dx < scale * w; dx++) {
        const i = ((y * scale + dy) * px + x * scale + dx) * 4;
        data[i] = data[i + 1] = data[i + 2] = 0;
      }
  }
  return jsQR(data, px, px)?.data ?? null;
}
