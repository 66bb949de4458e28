/**
 * Open data (issue 18) through the real server: the API (held to the OpenAPI document), the
 * downloads, the pages, the Dataset JSON-LD and the DCAT catalogue, small-cell suppression in
 * each of them, malformed addresses, and figures that follow a write (DATA_RECOMPUTE_MIN_MS=0).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasets } from '../src/lib/data/registry';
import { BIG, SMALL, seedCase, seedSettlementCases, settlementPeople } from './data.fixtures';
import { jsonLdBlocks } from './helpers/schema-org';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ DATA_RECOMPUTE_MIN_MS: '0' });
  seedSettlementCases(server.db);
}, 240_000);
afterAll(() => server?.stop());

const page = async (path: string) => {
  const res = await fetch(`${server.url}${path}`);
  expect(res.status, path).toBe(200);
  return res.text();
};
/** The table row (<tr>) on a page whose first cell is `label`. */
const rowOf = (html: string, section: string, label: string) => {
  const part = html.slice(html.indexOf(`data-testid="dataset-${section}"`));
  const table = part.slice(part.indexOf('<tbody>'), part.indexOf('</tbody>'));
  const row = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!).find((r) => r.includes(`>${label}</th>`));
  expect(row, `${section}: ${label}`).toBeDefined();
  return [...row!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => m[1]!.trim());
};

describe('GET /api/v1/data', () => {
  it('lists every dataset with absolute links from SITE_URL', async () => {
    const res = await server.api.get('/data');
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual(datasets.map((d) => d.id));
    for (const item of res.body.items) {
      for (const link of Object.values(item.links) as string[]) expect(link.startsWith(`${server.url}/`)).toBe(true);
      expect(item.links.csv).toBe(`${server.url}/data/datasets/${item.id}.csv`);
    }
  });
});

describe('GET /api/v1/data/{dataset}', () => {
  it('answers the rows with small cells null, cacheably and open to other sites', async () => {
    const res = await server.api.get('/data/settlement-applications-by-state');
    expect(res.status).toBe(200);
    expect(res.body.suppression).toEqual({ threshold: 10 });
    const cell = (route: string, state: string) => res.body.rows.find((r: { route: string; state: string }) => r.route === route && r.state === state).applications;
    expect(cell(BIG, 'approved')).toBe(12);
    expect(cell(BIG, 'refused')).toBe(10);
    expect(cell(SMALL, 'approved')).toBeNull(); // 3
    expect(cell(BIG, 'awaiting_decision')).toBeNull(); // 3
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toMatch(/^public/);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(new Date(res.headers.get('last-modified')!).getTime()).toBe(Math.floor(Date.parse(res.body.computedAt) / 1000) * 1000);
    // the same computation, the same validator
    expect((await server.api.get('/data/settlement-applications-by-state')).headers.get('etag')).toBe(etag);
    // and a client that has it is told so, with nothing to download (documented: the contract checks the 304)
    const again = await server.api.request('GET', '/data/settlement-applications-by-state', undefined, undefined, { 'if-none-match': `"other", ${etag}` });
    expect(again.status).toBe(304);
    expect(again.headers.get('etag')).toBe(etag);
  });

  it('answers 404 for an unknown id and 4xx for malformed ones and other methods', async () => {
    expect((await server.api.get('/data/no-such-dataset')).status).toBe(404);
    for (const bad of ['%00', 'a'.repeat(5000), 'UPPER', 'two--hyphens', '-lead', '%E2%80%AE', 'a%20b']) {
      const res = await server.api.get(`/data/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBeTruthy();
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await server.api.request(method, '/data/settlement-outcome-rates', {});
      expect(res.status, method).toBe(405);
    }
    expect((await server.api.request('POST', '/data', {})).status).toBe(405);
    // the server still serves
    expect((await server.api.get('/data')).status).toBe(200);
  });

  it('follows a write: a new application shows on the next request', async () => {
    const count = async () => (await server.api.get('/data/settlement-applications-by-state')).body.rows.find((r: { route: string; state: string }) => r.route === BIG && r.state === 'submitted').applications as number;
    const before = await count();
    expect(before).toBe(11);
    seedCase(server.db, settlementPeople(server.db), BIG, 'submitted');
    expect(await count()).toBe(before + 1);
  });
});

describe('downloads', () => {
  it('CSV: UTF-8 with BOM, withheld cells "< 10"', async () => {
    const res = await fetch(`${server.url}/data/datasets/settlement-outcome-rates.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split('\r\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['route', 'approval_rate', 'information_request_rate', 'lapse_rate']);
    expect(lines.find((l) => l[0] === SMALL)).toEqual([SMALL, '< 10', '< 10', '< 10']);
    const big = lines.find((l) => l[0] === BIG)!;
    expect(Number(big[1])).toBeCloseTo(12 / 22, 12);
    expect(Number(big[3])).toBeCloseTo(10 / 42, 12);
  });

  it('JSON: the API’s rows, withheld cells null', async () => {
    const res = await fetch(`${server.url}/data/datasets/settlement-decision-times.json`);
    expect(res.status).toBe(200);
    const body = JSON.parse(await res.text());
    const api = await server.api.get('/data/settlement-decision-times');
    expect(body.rows).toEqual(api.body.rows);
    expect(body.rows.find((r: { route: string }) => r.route === SMALL)).toEqual({ route: SMALL, median_days: null });
    expect(body.rows.find((r: { route: string }) => r.route === BIG).median_days).toBe(12.5);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await fetch(`${server.url}/data/datasets/nothing-here.csv`)).status).toBe(404);
    expect((await fetch(`${server.url}/data/datasets/%00.json`)).status).toBe(400);
  });
});

describe('pages', () => {
  it('answer 404 for unknown and malformed themes and datasets, in both languages, and keep serving', async () => {
    for (const prefix of ['', '/en']) {
      for (const bad of ['nothing', '%00', 'a'.repeat(5000), 'TALENT', '%E2%80%AE', 'talent%0d%0aX-Injected:%201']) {
        expect((await fetch(`${server.url}${prefix}/data/${bad}`)).status, `${prefix}/data/${bad.slice(0, 20)}`).toBe(404);
        expect((await fetch(`${server.url}${prefix}/data/datasets/${bad}`)).status, `${prefix}/data/datasets/${bad.slice(0, 20)}`).toBe(404);
      }
    }
    for (const bad of ['a'.repeat(5000), '%00', 'UPPER']) expect((await fetch(`${server.url}/data/datasets/${bad}.csv`)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(`${server.url}/data/talent`)).status).toBe(200);
  });

  it('the theme page draws each chart as SVG and shows "< 10" in the tables, in both languages', async () => {
    for (const [path, label, percent] of [
      ['/data/settlement', '留学回国人员创业', '54.5%'],
      ['/en/data/settlement', 'Overseas returnee entrepreneur', '54.5%'],
    ] as const) {
      const html = await page(path);
      expect(html.match(/<svg[^>]*role="img"/g)?.length).toBe(3);
      expect(html).not.toMatch(/<script(?![^>]*application\/ld\+json)[^>]*>/);
      expect(html).not.toMatch(/\sstyle="/);
      expect(rowOf(html, 'settlement-outcome-rates', label).slice(1)).toEqual(['&lt; 10', '&lt; 10', '&lt; 10']);
      expect(rowOf(html, 'settlement-decision-times', label).slice(1)).toEqual(['&lt; 10']);
      expect(html).toContain(percent);
      expect(html).toContain('<th scope="col">');
    }
  });

  it('the index lists every theme, dataset and the catalogue', async () => {
    for (const prefix of ['', '/en']) {
      const html = await page(`${prefix}/data`);
      for (const theme of ['talent', 'research', 'standards', 'settlement', 'organizations']) expect(html).toContain(`href="${prefix}/data/${theme}"`);
      for (const d of datasets) expect(html).toContain(`href="${prefix}/data/datasets/${d.id}"`);
      expect(html).toContain('href="/data/catalog.jsonld"');
      expect(html).toContain('data-testid="computed-at"');
    }
    expect((await fetch(`${server.url}/data/nothing`)).status).toBe(404);
  });

  it('a dataset page has its facts, dictionary, downloads and valid Dataset JSON-LD', async () => {
    for (const prefix of ['', '/en']) {
      const html = await page(`${prefix}/data/datasets/settlement-outcome-rates`);
      expect(html).toContain('https://creativecommons.org/licenses/by/4.0/');
      expect(html).toContain('href="/data/datasets/settlement-outcome-rates.csv"');
      expect(html).toContain('href="/data/datasets/settlement-outcome-rates.json"');
      expect(html).toContain(`${server.url}/api/v1/data/settlement-outcome-rates`);
      expect(html).toMatch(/<code[^>]*>information_request_rate<\/code>/);
      const [ld] = jsonLdBlocks(html) as Record<string, any>[];
      expect(ld!['@context']).toBe('https://schema.org');
      expect(ld!['@type']).toBe('Dataset');
      expect(ld!.license).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(ld!.name).toBe(prefix ? 'Approval, information-request and lapse rates by route' : '各落户渠道的批准率、补充信息率和逾期失效率');
      expect(ld!.publisher.name).toBeTruthy();
      expect(ld!.creator).toEqual(ld!.publisher);
      expect(Number.isNaN(Date.parse(ld!.dateModified))).toBe(false);
      expect(ld!.distribution.map((x: any) => [x['@type'], x.encodingFormat, x.contentUrl])).toEqual([
        ['DataDownload', 'text/csv', `${server.url}/data/datasets/settlement-outcome-rates.csv`],
        ['DataDownload', 'application/json', `${server.url}/data/datasets/settlement-outcome-rates.json`],
      ]);
      expect(ld!.variableMeasured.map((v: any) => v.name)).toEqual(['route', 'approval_rate', 'information_request_rate', 'lapse_rate']);
    }
    expect((await fetch(`${server.url}/en/data/datasets/no-such`)).status).toBe(404);
    expect((await fetch(`${server.url}/data/datasets/${'x'.repeat(300)}`)).status).toBe(404);
  });

  it('the footer links to the data pages', async () => {
    expect(await page('/')).toContain('href="/data"');
    expect(await page('/en/')).toContain('href="/en/data"');
  });
});

describe('/data/catalog.jsonld', () => {
  it('is a DCAT catalogue of every dataset, titled in both languages, with absolute addresses', async () => {
    const res = await fetch(`${server.url}/data/catalog.jsonld`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const doc = JSON.parse(await res.text());
    expect(doc['@context']).toMatchObject({ dcat: 'http://www.w3.org/ns/dcat#', dct: 'http://purl.org/dc/terms/' });
    expect(doc['@type']).toBe('dcat:Catalog');
    expect(doc['dcat:dataset'].map((d: any) => d['dct:identifier'])).toEqual(datasets.map((d) => d.id));
    const urls: string[] = [];
    for (const d of doc['dcat:dataset']) {
      expect(d['@type']).toBe('dcat:Dataset');
      expect(d['dct:title'].map((t: any) => t['@language']).sort()).toEqual(['en', 'zh-CN']);
      expect(d['dct:license']['@id']).toBe('https://creativecommons.org/licenses/by/4.0/');
      expect(Number.isNaN(Date.parse(d['dct:modified']['@value']))).toBe(false);
      expect(d['dcat:distribution'].length).toBeGreaterThanOrEqual(2);
      urls.push(d['@id'], ...d['dcat:distribution'].map((x: any) => (x['dcat:downloadURL'] ?? x['dcat:accessURL'])['@id']));
    }
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url.startsWith(`${server.url}/`), url).toBe(true);
    // every download the catalogue names is there
    for (const url of urls.filter((u) => /\.(csv|json)$/.test(u))) expect((await fetch(url)).status, url).toBe(200);
  });
});
