/**
 * The shared pieces every later issue stands on: migrations and seed, dictionaries, the Markdown
 * sanitizer, and the API's documentation covering every route file.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { domainDictionaries } from '../src/i18n/dict';
import { apiRoutes } from '../src/lib/http/routes';
import { renderMarkdown } from '../src/lib/markdown/render';
import { testDb } from './helpers/db';
import { startServer, type TestServer } from './helpers/server';

const root = path.resolve(import.meta.dirname, '..');

describe('migrations and seed', () => {
  it('migrate an empty file, and seeding twice adds nothing the second time', async () => {
    const db = testDb();
    try {
      const sqlite = db.$client;
      expect(sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);

      await seed(db);
      const count = (table: string) => (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
      const first = { users: count('users'), organizations: count('organizations'), memberships: count('memberships'), roles: count('user_roles') };
      expect(first.users).toBeGreaterThanOrEqual(8);
      expect(first.organizations).toBeGreaterThanOrEqual(7);
      expect(first.memberships).toBeGreaterThan(0);
      expect(first.roles).toBeGreaterThanOrEqual(3);
      expect(sqlite.prepare('select count(*) from users where email_verified_at is null').pluck().get()).toBe(0);
      const everyTable = () => Object.fromEntries(seededTables(sqlite).map((t) => [t, count(t)]));
      const before = everyTable();

      await seed(db);
      expect({ users: count('users'), organizations: count('organizations'), memberships: count('memberships'), roles: count('user_roles') }).toEqual(first);
      // Every other domain's seed is held to the same rule.
      expect(everyTable()).toEqual(before);
      expect(sqlite.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.cleanup();
    }
  });
});

/** Ordinary and virtual tables, without SQLite's own or an FTS index's shadow tables. */
function seededTables(sqlite: ReturnType<typeof testDb>['$client']): string[] {
  const rows = sqlite.prepare(`select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%'`).all() as { name: string; sql: string }[];
  const virtual = rows.filter((r) => /^create virtual table/i.test(r.sql ?? '')).map((r) => r.name);
  return rows
    .map((r) => r.name)
    // search_changes logs index writes (a second seed may rewrite a document as it was), not data
    .filter((name) => name !== '__drizzle_migrations' && name !== 'search_changes' && !virtual.some((v) => name.startsWith(`${v}_`)));
}

describe('dictionaries', () => {
  it('every domain dictionary has the same keys in Chinese and English (err: keys are Chinese only)', () => {
    expect(domainDictionaries.length).toBeGreaterThan(0);
    for (const dict of domainDictionaries) {
      const zh = Object.keys(dict['zh-cn']).filter((k) => !k.startsWith('err:')).sort();
      const en = Object.keys(dict.en).filter((k) => !k.startsWith('err:')).sort();
      const missingInEn = zh.filter((k) => !(k in dict.en));
      const missingInZh = en.filter((k) => !(k in dict['zh-cn']));
      expect({ missingInEn, missingInZh }).toEqual({ missingInEn: [], missingInZh: [] });
      for (const k of zh) {
        expect(dict['zh-cn'][k]!.trim(), k).not.toBe('');
        expect(dict.en[k]!.trim(), k).not.toBe('');
      }
    }
  });

  it('a key two dictionaries both define has one text: the merge would silently keep only the last', () => {
    for (const lang of ['zh-cn', 'en'] as const) {
      const texts = new Map<string, Set<string>>();
      for (const dict of domainDictionaries) for (const [k, v] of Object.entries(dict[lang])) texts.set(k, (texts.get(k) ?? new Set()).add(v));
      const clashes = [...texts].filter(([, v]) => v.size > 1).map(([k, v]) => `${lang} ${k}: ${[...v].join(' | ')}`);
      expect(clashes).toEqual([]);
    }
  });
});

describe('Markdown renderer', () => {
  const hostile = [
    '<script>alert(1)</script>',
    '<img src="https://example.com/x.png" onerror="alert(2)" onload="alert(3)">',
    '<a href="https://example.com" onclick="alert(4)" onmouseover="alert(5)">hover</a>',
    '[js](javascript:alert(6))',
    '<a href="JaVaScRiPt:alert(7)">js2</a>',
    '<a href="&#106;avascript:alert(8)">js3</a>',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg5KTwvc2NyaXB0Pg==)',
    '![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMTApPg==)',
    '<iframe src="https://evil.example/"></iframe>',
    '<svg><script>alert(11)</script><circle onload="alert(12)"/></svg>',
    '<svg onload="alert(13)"><a xlink:href="javascript:alert(14)">x</a></svg>',
    '<math><mi xlink:href="javascript:alert(15)">m</mi></math>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<style>body{display:none}</style>',
    '<form action="https://evil.example"><input name="q"></form>',
    '<div style="background:url(javascript:alert(16))">styled</div>',
  ].join('\n\n');

  it('removes scripts, event handlers, javascript: and data: links, iframes and scripted SVG', () => {
    const html = renderMarkdown(`# Title\n\nSome **bold** text and a [safe link](https://example.com).\n\n${hostile}`);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toMatch(/<a href="https:\/\/example.com"[^>]*>safe link<\/a>/);
    const lower = html.toLowerCase();
    for (const banned of ['<script', '<iframe', '<svg', '<math', '<object', '<embed', '<style', '<form', 'javascript:', 'data:', 'alert(', 'style=']) {
      expect(lower, banned).not.toContain(banned);
    }
    expect(lower).not.toMatch(/\son[a-z]+\s*=/);
  });

  it('keeps ordinary Markdown: headings, lists, tables, code', () => {
    const html = renderMarkdown('## 4.2 分级\n\n- 一\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst x = 1 < 2;\n```');
    expect(html).toContain('<h2>4.2 分级</h2>');
    expect(html).toContain('<li>一</li>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<code class="language-ts">const x = 1 &lt; 2;');
  });

  it('shifts headings below the page\'s own h1, never past h6', () => {
    const md = '# Draft title\n\n## Scope\n\n###### Deepest';
    expect(renderMarkdown(md).trim()).toMatch(/^<h2>Draft title<\/h2>\s*<h3>Scope<\/h3>\s*<h6>Deepest<\/h6>$/);
    expect(renderMarkdown(md, { headingLevel: 4 }).trim()).toMatch(/^<h4>Draft title<\/h4>\s*<h5>Scope<\/h5>\s*<h6>Deepest<\/h6>$/);
    expect(renderMarkdown(md, { headingLevel: 1 })).toContain('<h1>Draft title</h1>');
    expect(renderMarkdown(md)).not.toContain('<h1');
    // a document that already starts below the page's h1 keeps its levels
    expect(renderMarkdown('## Who we are\n\n### Team').trim()).toMatch(/^<h2>Who we are<\/h2>\s*<h3>Team<\/h3>$/);
    expect(renderMarkdown('## Notes', { headingLevel: 4 }).trim()).toBe('<h4>Notes</h4>');
  });

  it('makes code blocks keyboard-reachable regions named in the page\'s language', () => {
    expect(renderMarkdown('```\nx\n```', { lang: 'en' })).toContain('<pre tabindex="0" role="region" aria-label="Code block">');
    expect(renderMarkdown('```\nx\n```', { lang: 'zh-cn' })).toContain('aria-label="代码块"');
    // a wide table scrolls inside its own named region, not the whole page
    expect(renderMarkdown('| a | b |\n|---|---|\n| 1 | 2 |', { lang: 'en' })).toMatch(/^<div class="table-scroll" tabindex="0" role="region" aria-label="Table"><table>[\s\S]*<\/table><\/div>/);
    expect(renderMarkdown('<div class="x" role="button" tabindex="3" onclick="y()">z</div>')).toBe('<div>z</div>');
    // a user cannot set these attributes themselves
    expect(renderMarkdown('<pre tabindex="5" onclick="x()" aria-label="fake">y</pre>', { lang: 'en' })).toContain('<pre tabindex="0" role="region" aria-label="Code block">');
  });
});

/** Each route file under src/pages/api/v1 as `{method, path}` in OpenAPI form (`[slug]` → `{slug}`). */
function routeFiles(): { method: string; path: string; file: string }[] {
  const base = path.join(root, 'src/pages/api/v1');
  const out: { method: string; path: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|js)$/.test(name)) {
        const rel = path.relative(base, full).replace(/\\/g, '/').replace(/\.(ts|js)$/, '');
        const apiPath = `/${rel}`
          .replace(/\/index$/, '')
          .replace(/\[\.\.\.(\w+)\]/g, '{$1}')
          .replace(/\[(\w+)\]/g, '{$1}');
        const source = readFileSync(full, 'utf8');
        const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!.toLowerCase());
        for (const method of methods) out.push({ method, path: apiPath || '/', file: path.relative(root, full) });
      }
    }
  };
  walk(base);
  return out;
}

/** The document itself is the one route it does not describe. */
const undocumented = (r: { path: string }) => r.path === '/openapi.json';

describe('API documentation', () => {
  it('documents every route file under src/pages/api/v1 in apiRoutes', () => {
    const files = routeFiles().filter((r) => !undocumented(r));
    expect(files.length).toBeGreaterThan(5);
    const documented = new Set(apiRoutes.map((r) => `${r.method} ${r.path}`));
    const missing = files.filter((f) => !documented.has(`${f.method} ${f.path}`)).map((f) => `${f.method.toUpperCase()} ${f.path} (${f.file})`);
    expect(missing).toEqual([]);
  });

  describe('GET /api/v1/openapi.json', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer();
    });
    afterAll(() => server?.stop());

    it('is a valid OpenAPI 3.1 document listing every route file', async () => {
      const res = await server.api.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      const doc = res.body;
      expect(doc.openapi).toMatch(/^3\.1\./);
      const validator = new Validator();
      const result = await validator.validate(doc);
      expect(result.errors ?? []).toEqual([]);
      expect(result.valid).toBe(true);
      expect(validator.version).toBe('3.1');

      const missing = routeFiles()
        .filter((r) => !undocumented(r))
        .filter((r) => !doc.paths?.[r.path]?.[r.method])
        .map((r) => `${r.method.toUpperCase()} ${r.path}`);
      expect(missing).toEqual([]);
      // Every {param} in a path is declared as a path parameter of each of its operations.
      for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>)) {
        const params = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        for (const op of Object.values(ops)) {
          const declared = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name);
          expect(declared.sort(), p).toEqual([...params].sort());
        }
      }
    });
  });
});
