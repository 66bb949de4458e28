/**
 * Every JSON-LD block the site serves (courses, findings, projects, standards, organizations,
 * policies), read from the real pages and checked against schema.org's vocabulary: types known,
 * properties in their domain, values in their range.
 */
import { eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courses, organizations, researchFindings, researchProjects, standards } from '../db/schema';
import { seed } from '../db/seed';
import { getPage } from './helpers/accounts';
import { jsonLdBlocks, schemaOrgProblems, vocabulary } from './helpers/schema-org';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  await seed(server.db);
  // The optional fields the pages add when they are known, so they are checked too.
  server.db.update(organizations).set({ rorId: '03x2j0m31', website: 'https://www.example.edu.cn' }).where(eq(organizations.slug, 'huangpu-university-of-commerce')).run();
  server.db.update(standards).set({ number: 'T/SCBEA 001—2026', publishedAt: new Date('2026-03-01T18:30:00Z'), effectiveDate: '2026-04-01' }).where(isNull(standards.number)).run();
}, 180_000);
afterAll(() => server?.stop());

async function blocksOf(path: string) {
  const res = await getPage(server, path);
  expect(res.status, path).toBe(200);
  return jsonLdBlocks(await res.text());
}

describe(`JSON-LD against schema.org ${vocabulary.version}`, () => {
  it('is valid on every page that carries it, in both languages', async () => {
    const db = server.db;
    const paths = [
      ...db.select().from(courses).where(eq(courses.status, 'published')).all().map((c) => `/courses/${c.id}`),
      ...db.select().from(organizations).where(eq(organizations.status, 'verified')).all().map((o) => `/organizations/${o.slug}`),
      ...db.select().from(researchProjects).all().map((p) => `/research/projects/${p.id}`),
      ...db.select().from(researchFindings).where(eq(researchFindings.status, 'published')).all().map((f) => `/research/findings/${f.id}`),
      ...db.select().from(standards).where(eq(standards.everPublic, true)).all().map((s) => `/standards/${s.id}`),
    ];
    const policies = await (await getPage(server, '/en/policies')).text();
    paths.push(...new Set([...policies.matchAll(/href="\/en(\/policies\/[^"?#]+)"/g)].map((m) => m[1]!)));

    const seen = new Set<string>();
    const problems: string[] = [];
    for (const path of paths.flatMap((p) => [p, `/en${p}`])) {
      for (const block of await blocksOf(path)) {
        seen.add(String((block as { '@type': string })['@type']));
        problems.push(...schemaOrgProblems(block).map((p) => `${path} ${p}`));
      }
    }
    expect(problems).toEqual([]);
    // Nothing passes by being absent: each kind of page was read with its JSON-LD.
    expect([...seen].sort()).toEqual(expect.arrayContaining(['CollegeOrUniversity', 'Course', 'CreativeWork', 'Legislation', 'ResearchProject', 'ScholarlyArticle']));
  });

  it('describes a dataset with a DOI, and links it to its project by a property whose range fits', async () => {
    const finding = server.db.select().from(researchFindings).where(eq(researchFindings.status, 'published')).get()!;
    server.db.update(researchFindings).set({ type: 'dataset', doi: '10.5555/scf.2026' }).where(eq(researchFindings.id, finding.id)).run();
    const [block] = (await blocksOf(`/en/research/findings/${finding.id}`)) as Record<string, any>[];
    expect(block!['@type']).toBe('Dataset');
    expect(block!.sourceOrganization).toMatchObject({ '@type': 'ResearchProject', url: expect.stringContaining(`/research/projects/${finding.projectId}`) });
    expect(schemaOrgProblems(block)).toEqual([]);
  });

  it('finds what schema.org forbids', () => {
    expect(schemaOrgProblems({ '@context': 'https://schema.org', '@type': 'ScholarlyArticle', isPartOf: { '@type': 'ResearchProject', name: 'P' } })).toEqual([
      '$.isPartOf: a ResearchProject where CreativeWork or URL is expected',
    ]);
    expect(schemaOrgProblems({ '@context': 'https://schema.org', '@type': 'Organization', headline: 'x', foundingDate: 'March', url: 'example' })).toEqual([
      '$.headline: not a property of Organization (its domain is CreativeWork)',
      '$.foundingDate: "March" does not fit Date',
      '$.url: "example" does not fit URL',
    ]);
  });
});
