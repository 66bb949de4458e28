/**
 * `npm run bench:search`: builds the embedded index over a generated bilingual corpus and measures
 * build time, index size, and query latency in-process and over HTTP (16 concurrent connections,
 * against /api/v1/health as the baseline measured in the same run). Latency is measured with the
 * result cache off (SEARCH_RESULT_CACHE=0: every query does all its work) and on (the default:
 * the mix repeats, so that row shows what repeated queries cost). Bounded: about two minutes.
 *
 * The HTTP load comes from wrk (Debian's `wrk` package) when it is installed: written in C, it
 * leaves the server most of the machine's two cores. Without it a small Node client does the
 * same closed loop, at a higher cost in CPU of its own (the report says which one ran).
 *
 * BENCH_DOCS (default 100000), BENCH_QUERIES (in-process, default 3000), BENCH_HTTP_REQUESTS
 * (per route for the Node client, default 3000), BENCH_HTTP_SECONDS (per route for wrk, default
 * 10), BENCH_OUT (write the Markdown report there as well).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, write } from '../../db/client';
import { ensureCurrentIndex, fts5Index, optimizeIndexes, searchFts } from '../../src/lib/search/fts5';
import type { SearchDocument, SearchQuery } from '../../src/lib/search/types';
import { indexCache } from '../../src/lib/search/vocabulary';
import { seedSearch } from '../../db/seed/search';
import { ensureServerBuild } from '../helpers/build';

const DOCS = Number(process.env.BENCH_DOCS ?? 100_000);
const QUERIES = Number(process.env.BENCH_QUERIES ?? 3000);
const HTTP_REQUESTS = Number(process.env.BENCH_HTTP_REQUESTS ?? 3000);
/** Writes through a second connection, each followed by one timed search. */
const AFTER_WRITES = 300;
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const WRK = spawnSync('wrk', ['--version']).error ? null : 'wrk';
const CONCURRENCY = 16;
const gc = (globalThis as { gc?: () => void }).gc;

// --- a deterministic bilingual corpus ------------------------------------------------------------
let seed = 42;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff) / 0x7fffffff);
/** Skewed pick: early entries are common. */
const zipf = <T>(list: T[]) => list[Math.floor(list.length * rand() ** 2.2)]!;

const ZH = ('跨境 电商 电子商务 物流 供应链 海外仓 平台 卖家 买家 支付 结算 海关 通关 清关 报关 退税 出口 进口 保税 仓储 配送 退货 '
  + '品牌 营销 直播 带货 选品 运营 数据 分析 客服 合规 知识产权 商标 专利 标准 规范 认证 信用 评价 培训 课程 教学 学生 教师 人才 创业 '
  + '孵化 融资 投资 政策 补贴 上海 浦东 临港 自贸区 综合 试验区 园区 企业 机构 协会 大学 学院 研究 项目 成果 报告 调查 模型 算法 '
  + '服务 质量 安全 隐私 税收 汇率 外汇 金融 保险 风险 欺诈 包裹 标签 条码 航空 海运 铁路 快递 邮政 仓库 库存 预测 定价 广告 搜索 '
  + '社交 媒体 短视频 独立站 网站 移动 应用 消费者 母婴 美妆 服装 家居 电子 产品 食品 农产品 乡村 青年 就业 技能 职业 证书 考试').split(' ');
const EN = ('cross border commerce ecommerce online marketplace seller buyer platform logistics shipping freight warehouse overseas '
  + 'customs clearance duty tax rebate export import bonded zone payment settlement currency exchange fraud risk insurance finance '
  + 'supply chain inventory forecast pricing advertising marketing brand livestream video social media website mobile consumer '
  + 'training course teaching student teacher talent entrepreneurship startup incubator investment policy subsidy shanghai pudong '
  + 'lingang pilot comprehensive park enterprise institute association university college research project finding report survey '
  + 'model algorithm service quality security privacy standard specification certification credit rating label barcode parcel air '
  + 'ocean rail express postal returns reverse apparel cosmetics furniture electronics food agriculture rural youth employment skills '
  + 'career certificate exam compliance intellectual property trademark patent data analytics operations customer support growth '
  + 'strategy management leadership negotiation language english chinese translation localization design photography packaging').split(' ');
const KINDS: SearchDocument['kind'][] = ['course', 'project', 'finding', 'standard', 'organization', 'policy'];
const ORG_TYPES = ['university', 'training_agency', 'industry_body', 'company', 'ngo', 'research_facility', 'government'];

/**
 * A long-tailed vocabulary, as real text has: the sector's words spread among 6,000 generated
 * words per language (pronounceable Latin ones; Chinese two-character ones), drawn Zipf-like.
 */
const SYLLABLES = 'ba be bi bo bu ca ce co cu da de di do du fa fe fi fo ga ge go gu ha he hi ho ka ke ki ko la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo za ze zo'.split(' ');
const HANZI = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信'.split('');
function vocabulary(sector: string[], make: () => string, size: number): string[] {
  const generated = new Set<string>();
  while (generated.size < size) generated.add(make());
  const words = [...generated];
  // sector words at ranks 20, 60, 100, …: common but not in every document
  sector.forEach((w, i) => words.splice(20 + i * 40, 0, w));
  return words;
}
const ZH_VOCAB = vocabulary(ZH, () => HANZI[Math.floor(rand() * HANZI.length)]! + HANZI[Math.floor(rand() * HANZI.length)]!, 6000);
const EN_VOCAB = vocabulary(EN, () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join(''), 6000);
/** Zipf-ish over the vocabulary: P(rank r) ∝ 1/r. */
const zipfWord = (list: string[]) => list[Math.min(list.length - 1, Math.floor(Math.exp(rand() * Math.log(list.length + 1))) - 1)]!;

function zhText(words: number) {
  return Array.from({ length: words }, () => zipfWord(ZH_VOCAB)).join('') + '。';
}
function enText(words: number) {
  const w = Array.from({ length: words }, () => zipfWord(EN_VOCAB));
  w[0] = w[0]![0]!.toUpperCase() + w[0]!.slice(1);
  return w.join(' ') + '.';
}

function generate(i: number): SearchDocument {
  const r = rand();
  const lang: SearchDocument['lang'] = r < 0.45 ? 'zh-cn' : r < 0.9 ? 'en' : 'mul';
  const kind = KINDS[i % KINDS.length]!;
  const zh = lang !== 'en';
  const en = lang !== 'zh-cn';
  return {
    kind,
    id: String(i),
    url: `/${kind}s/${i}`,
    lang,
    title: en ? enText(4 + Math.floor(rand() * 5)).slice(0, -1) : zhText(3 + Math.floor(rand() * 3)).slice(0, -1),
    titleZh: zh && en ? zhText(4).slice(0, -1) : null,
    summary: (zh ? zhText(12) : '') + (en ? enText(20) : ''),
    body: Array.from({ length: 3 }, () => (zh ? zhText(25) : '') + (en ? enText(35) : '')).join(' '),
    organizationName: en ? enText(3) : zhText(3),
    organizationType: zipf(ORG_TYPES),
    year: 2018 + Math.floor(rand() * 9),
  };
}

// --- the fixed query mix -------------------------------------------------------------------------
const MIX: [category: string, query: SearchQuery][] = [
  ['chinese', { q: '跨境电商' }], ['chinese', { q: '海外仓 物流' }], ['chinese', { q: '人才培训' }], ['chinese', { q: '知识产权 保护' }],
  ['chinese', { q: '直播带货' }], ['chinese', { q: '乡村 青年 创业' }], ['chinese', { q: '保税 进口' }], ['chinese', { q: '短视频营销' }],
  ['english', { q: 'cross border ecommerce' }], ['english', { q: 'customs clearance' }], ['english', { q: 'overseas warehouse logistics' }],
  ['english', { q: 'intellectual property' }], ['english', { q: 'rural youth employment' }], ['english', { q: 'payment fraud' }],
  ['english', { q: 'courses' }], ['english', { q: 'photography packaging design' }],
  ['prefix', { q: 'logist' }], ['prefix', { q: 'entrepreneurship incub' }], ['prefix', { q: 'cert' }], ['prefix', { q: '跨境 电' }],
  ['prefix', { q: 'supply ch' }], ['prefix', { q: 'transl' }],
  ['typo', { q: 'logisitcs' }], ['typo', { q: 'ecommerse' }], ['typo', { q: 'warehuose' }], ['typo', { q: 'entreprenuership' }],
  ['typo', { q: 'complience audit' }], ['typo', { q: 'photograhpy' }],
  ['faceted', { q: '跨境', kinds: ['course'] }], ['faceted', { q: 'logistics', kinds: ['course', 'project'], years: [2025, 2026] }],
  ['faceted', { q: 'training', organizationTypes: ['university'], languages: ['en'] }], ['faceted', { q: '物流', languages: ['zh-cn'], years: [2024] }],
  ['faceted', { q: 'standard', kinds: ['standard'], page: 3 }], ['faceted', { q: '人才', organizationTypes: ['ngo', 'company'] }],
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (n: number) => n.toFixed(2);
function summary(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, p50: pct(s, 50), p95: pct(s, 95), p99: pct(s, 99), max: s[s.length - 1]! };
}

// --- HTTP load: a closed loop of CONCURRENCY keep-alive connections cycling through paths -----------
type Load = { n: number; p50: number; p95: number; p99: number; max: number; rps: number; errors: number };

/** A small Node client: a fixed number of requests. */
async function nodeLoad(base: string, paths: string[], total: number): Promise<Load> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < total) {
      const p = paths[next++ % paths.length]!;
      const t0 = performance.now();
      const status = await new Promise<number>((resolve) => {
        http
          .get(base + p, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', () => resolve(0));
      });
      latencies.push(performance.now() - t0);
      if (status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return { ...summary(latencies), rps: total / seconds, errors };
}

const WRK_SCRIPT = `
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %.3f %.3f %.3f %.3f %.1f %d\\n", summary.requests,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
`;

/** wrk: as many requests as fit in `seconds`. */
function wrkLoad(dir: string, base: string, paths: string[], seconds: number): Load {
  const script = path.join(dir, 'paths.lua');
  const list = path.join(dir, 'paths.txt');
  writeFileSync(script, WRK_SCRIPT);
  writeFileSync(list, paths.join('\n') + '\n');
  const out = execFileSync('wrk', ['-t2', `-c${CONCURRENCY}`, `-d${seconds}s`, '-s', script, base], { env: { ...process.env, WRK_PATHS: list }, encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`wrk printed no result:\n${out}`);
  const [n, p50, p95, p99, max, rps, errors] = line.split(' ').slice(1).map(Number) as number[];
  return { n: n!, p50: p50!, p95: p95!, p99: p99!, max: max!, rps: rps!, errors: errors! };
}

async function main() {
  const startLoad = loadavg().map((l) => l.toFixed(1)).join(', ');
  const dir = mkdtempSync(path.join(tmpdir(), 'search-bench-'));
  const file = path.join(dir, 'bench.db');
  const lines: string[] = [];
  const log = (line = '') => {
    console.log(line);
    lines.push(line);
  };
  try {
    const db = openDatabase(file);
    seedSearch(db);
    // better-sqlite3 12 on Node 24 can abort when V8 collects a statement outside a JS context
    // (WiseLibs/better-sqlite3, "Assertion failed: (env) != nullptr"): collect the migrator's
    // throwaway statements now, from JS; the search path only uses cached statements.
    gc?.();
    ensureCurrentIndex(db);
    process.stdout.write(`Generating ${DOCS} documents… `);
    const docs = Array.from({ length: DOCS }, (_, i) => generate(i));
    console.log('done');

    const t0 = performance.now();
    for (let i = 0; i < docs.length; i += 5000) {
      write(db, (tx) => {
        for (const doc of docs.slice(i, i + 5000)) fts5Index.upsert(tx, doc);
      });
      process.stdout.write(`\rIndexing ${Math.min(i + 5000, docs.length)}/${docs.length}`);
    }
    const buildSeconds = (performance.now() - t0) / 1000;
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    const t1 = performance.now();
    optimizeIndexes(db);
    const optimizeSeconds = (performance.now() - t1) / 1000;
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    console.log();

    let ftsBytes: number | null = null;
    let docBytes: number | null = null;
    try {
      ftsBytes = db.$client.prepare(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_fts%'`).pluck().get() as number;
      docBytes = db.$client.prepare(`SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'search_documents%' OR name LIKE 'sqlite_autoindex_search_documents%'`).pluck().get() as number;
    } catch {
      /* dbstat not compiled in */
    }
    const fileBytes = statSync(file).size;
    gc?.();

    ensureCurrentIndex(db);
    const t2 = performance.now();
    const cache = indexCache(db);
    const cacheMs = performance.now() - t2;

    // in-process, first with the result cache off (every query does all its work), then on (the
    // mix repeats, so nearly every query is then answered from the cache)
    const cacheSetting = process.env.SEARCH_RESULT_CACHE;
    process.env.SEARCH_RESULT_CACHE = '0';
    for (const [, q] of MIX) searchFts(db, q); // warm-up
    const byCategory = new Map<string, number[]>();
    const byQuery = MIX.map(() => [] as number[]);
    const all: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const [category, q] = MIX[i % MIX.length]!;
      const t = performance.now();
      searchFts(db, q);
      const ms = performance.now() - t;
      all.push(ms);
      byQuery[i % MIX.length]!.push(ms);
      (byCategory.get(category) ?? byCategory.set(category, []).get(category)!).push(ms);
    }
    // cold: no term postings kept, so every search reads its terms' postings through FTS5, as the
    // first search of a word does
    process.env.SEARCH_POSTINGS_CACHE = '0';
    const coldAll: number[] = [];
    for (let i = 0; i < Math.min(QUERIES, 1000); i++) {
      const t = performance.now();
      searchFts(db, MIX[i % MIX.length]![1]);
      coldAll.push(performance.now() - t);
    }
    delete process.env.SEARCH_POSTINGS_CACHE;
    for (const [, q] of MIX) searchFts(db, q); // postings held again
    // after a write: another connection (another server process, say) rewrites one document, and
    // the next search here first catches up with it (patching what this process holds in memory)
    const writer = openDatabase(file, { migrate: false });
    const afterWrite: number[] = [];
    for (let i = 0; i < AFTER_WRITES; i++) {
      const doc = docs[(i * 7919) % docs.length]!;
      write(writer, (tx) => fts5Index.upsert(tx, doc)); // the same text: the corpus stays as it was
      const t = performance.now();
      searchFts(db, MIX[i % MIX.length]![1]);
      afterWrite.push(performance.now() - t);
    }
    writer.$client.close();
    if (cacheSetting === undefined) delete process.env.SEARCH_RESULT_CACHE;
    else process.env.SEARCH_RESULT_CACHE = cacheSetting;
    const cachedAll: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const t = performance.now();
      searchFts(db, MIX[i % MIX.length]![1]);
      cachedAll.push(performance.now() - t);
    }
    console.log('in-process queries done');
    const totals = MIX.map(([c, q]) => [c, q.q, searchFts(db, q).total] as const);
    db.$client.close();

    // over HTTP: the built server on this database
    const entry = ensureServerBuild();
    const startServer = async (extraEnv: Record<string, string>, cluster = false) => {
      const port = 43000 + Math.floor(Math.random() * 1000);
      // the server as `npm start` runs it: serve.mjs, in worker processes when WEB_CONCURRENCY > 1
      const args = cluster
        ? ['src/cli/serve-cluster.mjs', entry]
        : ['src/cli/serve.mjs', entry];
      const child = spawn(process.execPath, args, {
        env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: file, DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}`, MEILISEARCH_URL: '', ...extraEnv },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const base = `http://127.0.0.1:${port}`;
      for (let i = 0; ; i++) {
        try {
          const res = await fetch(`${base}/api/v1/health`);
          if (res.ok) break;
        } catch {
          /* not yet */
        }
        if (i > 600 || child.exitCode !== null) throw new Error(`server did not start (exit code ${child.exitCode})`);
        await new Promise((r) => setTimeout(r, 100));
      }
      console.log('server started');
      return { base, child };
    };
    const { base, child } = await startServer({});
    const searchPaths = MIX.map(([, q]) => {
      const p = new URLSearchParams({ q: q.q });
      if (q.kinds) p.set('type', q.kinds.join(','));
      if (q.languages) p.set('lang', q.languages.join(','));
      if (q.organizationTypes) p.set('organizationType', q.organizationTypes.join(','));
      if (q.years) p.set('year', q.years.join(','));
      if (q.page) p.set('page', String(q.page));
      return `/api/v1/search?${p}`;
    });
    /** A measured run, or a short one to warm the server up (postings, vocabulary, JIT). */
    const load = (at: string, paths: string[], warmUp = false): Promise<Load> | Load =>
      WRK ? wrkLoad(dir, at, paths, warmUp ? 3 : HTTP_SECONDS) : nodeLoad(at, paths, warmUp ? 400 : HTTP_REQUESTS);
    await load(base, searchPaths, true);
    await load(base, ['/api/v1/health'], true);
    const health = await load(base, ['/api/v1/health']);
    const searchHttp = await load(base, searchPaths);
    child.kill('SIGTERM');
    // the same mix on a server whose result cache is off: every request does all its work
    const uncached = await startServer({ SEARCH_RESULT_CACHE: '0' });
    await load(uncached.base, searchPaths, true);
    const searchHttpUncached = await load(uncached.base, searchPaths);
    // The same server and mix through Astro's request pipeline: a trailing slash is not a direct
    // route (src/direct-routes.ts), so the Astro route answers, as it did for every request before.
    const pipelinePaths = searchPaths.map((p) => p.replace('/api/v1/search?', '/api/v1/search/?'));
    await load(uncached.base, pipelinePaths, true);
    const searchHttpPipeline = await load(uncached.base, pipelinePaths);
    uncached.child.kill('SIGTERM');
    // the same, served by WEB_CONCURRENCY=2 worker processes on the one database (npm start's cluster mode)
    const clustered = await startServer({ SEARCH_RESULT_CACHE: '0', WEB_CONCURRENCY: '2' }, true);
    await load(clustered.base, searchPaths, true);
    await load(clustered.base, searchPaths, true); // both workers
    const healthClustered = await load(clustered.base, ['/api/v1/health']);
    const searchHttpClustered = await load(clustered.base, searchPaths);
    clustered.child.kill('SIGTERM');
    await new Promise((r) => clustered.child.once('exit', r));

    const cpu = cpus()[0]?.model ?? 'unknown';
    log(`# Search benchmark results`);
    log();
    log(`Generated by \`npm run bench:search\` (tests/bench/search.bench.ts) on ${new Date().toISOString().slice(0, 10)}.`);
    log();
    log(`Load average at the start of the run: ${startLoad}; at the end: ${loadavg().map((l) => l.toFixed(1)).join(', ')} (other work shares these cores).`);
    log();
    log(`Machine: ${cpus().length} cores (nproc), ${cpu}, Node ${process.version}, SQLite ${openDatabase(':memory:', { migrate: false }).$client.prepare('select sqlite_version()').pluck().get()}.`);
    log();
    log(`## Build`);
    log();
    log(`| documents | build (analysis + FTS5 insert) | optimize | database file | FTS5 index | documents table | per-process cache load |`);
    log(`|---|---|---|---|---|---|---|`);
    log(`| ${DOCS.toLocaleString('en')} | ${buildSeconds.toFixed(1)} s (${Math.round(DOCS / buildSeconds)} docs/s) | ${optimizeSeconds.toFixed(1)} s | ${(fileBytes / 2 ** 20).toFixed(1)} MiB | ${ftsBytes ? (ftsBytes / 2 ** 20).toFixed(1) + ' MiB' : 'n/a'} | ${docBytes ? (docBytes / 2 ** 20).toFixed(1) + ' MiB' : 'n/a'} | ${cacheMs.toFixed(0)} ms (${cache.terms.length.toLocaleString('en')} terms) |`);
    log();
    log(`## In-process latency (searchFts, ${QUERIES} queries cycling through a fixed mix of ${MIX.length}, result cache off)`);
    log();
    log(`| category | n | p50 ms | p95 ms | p99 ms | max ms |`);
    log(`|---|---|---|---|---|---|`);
    for (const [category, samples] of byCategory) {
      const s = summary(samples);
      log(`| ${category} | ${s.n} | ${fmt(s.p50)} | ${fmt(s.p95)} | ${fmt(s.p99)} | ${fmt(s.max)} |`);
    }
    const a = summary(all);
    log(`| **all** | ${a.n} | ${fmt(a.p50)} | ${fmt(a.p95)} | ${fmt(a.p99)} | ${fmt(a.max)} |`);
    const co = summary(coldAll);
    log(`| all, no term postings kept (SEARCH_POSTINGS_CACHE=0: each search reads them from FTS5, as the first search of a word does) | ${co.n} | ${fmt(co.p50)} | ${fmt(co.p95)} | ${fmt(co.p99)} | ${fmt(co.max)} |`);
    const aw = summary(afterWrite);
    log(`| all, each search the first after a write to one document through another connection (catching up included) | ${aw.n} | ${fmt(aw.p50)} | ${fmt(aw.p95)} | ${fmt(aw.p99)} | ${fmt(aw.max)} |`);
    const ca = summary(cachedAll);
    log(`| all, result cache on (repeats answered from it) | ${ca.n} | ${fmt(ca.p50)} | ${fmt(ca.p95)} | ${fmt(ca.p99)} | ${fmt(ca.max)} |`);
    log();
    const client = WRK ? `wrk, ${HTTP_SECONDS} s per route` : `a Node client (wrk is not installed), ${HTTP_REQUESTS} requests per route`;
    log(`## HTTP latency (${CONCURRENCY} concurrent keep-alive connections, ${client}, on the same two cores as the server)`);
    log();
    log(`| route | p50 ms | p95 ms | p99 ms | max ms | requests/s | non-200 |`);
    log(`|---|---|---|---|---|---|---|`);
    log(`| GET /api/v1/health (baseline) | ${fmt(health.p50)} | ${fmt(health.p95)} | ${fmt(health.p99)} | ${fmt(health.max)} | ${health.rps.toFixed(0)} | ${health.errors} |`);
    log(`| GET /api/v1/search (the mix, result cache on: the default) | ${fmt(searchHttp.p50)} | ${fmt(searchHttp.p95)} | ${fmt(searchHttp.p99)} | ${fmt(searchHttp.max)} | ${searchHttp.rps.toFixed(0)} | ${searchHttp.errors} |`);
    log(`| GET /api/v1/search (the mix, SEARCH_RESULT_CACHE=0: every request computed) | ${fmt(searchHttpUncached.p50)} | ${fmt(searchHttpUncached.p95)} | ${fmt(searchHttpUncached.p99)} | ${fmt(searchHttpUncached.max)} | ${searchHttpUncached.rps.toFixed(0)} | ${searchHttpUncached.errors} |`);
    log(`| GET /api/v1/search/ (the same, through Astro's request pipeline instead of the direct route) | ${fmt(searchHttpPipeline.p50)} | ${fmt(searchHttpPipeline.p95)} | ${fmt(searchHttpPipeline.p99)} | ${fmt(searchHttpPipeline.max)} | ${searchHttpPipeline.rps.toFixed(0)} | ${searchHttpPipeline.errors} |`);
    log(`| GET /api/v1/health, WEB_CONCURRENCY=2 (two worker processes) | ${fmt(healthClustered.p50)} | ${fmt(healthClustered.p95)} | ${fmt(healthClustered.p99)} | ${fmt(healthClustered.max)} | ${healthClustered.rps.toFixed(0)} | ${healthClustered.errors} |`);
    log(`| GET /api/v1/search (the mix, SEARCH_RESULT_CACHE=0), WEB_CONCURRENCY=2 | ${fmt(searchHttpClustered.p50)} | ${fmt(searchHttpClustered.p95)} | ${fmt(searchHttpClustered.p99)} | ${fmt(searchHttpClustered.max)} | ${searchHttpClustered.rps.toFixed(0)} | ${searchHttpClustered.errors} |`);
    log();
    log(`## The query mix and its result counts`);
    log();
    log(`| category | query | filters | total | in-process p50 ms (uncached) | p99 ms |`);
    log(`|---|---|---|---|---|---|`);
    totals.forEach(([c, q, total], i) => {
      const f = MIX[i]![1];
      const filters = [f.kinds && `type=${f.kinds}`, f.languages && `lang=${f.languages}`, f.organizationTypes && `organizationType=${f.organizationTypes}`, f.years && `year=${f.years}`, f.page && `page=${f.page}`].filter(Boolean).join(' ');
      const s = summary(byQuery[i]!);
      log(`| ${c} | ${q} | ${filters} | ${total.toLocaleString('en')} | ${fmt(s.p50)} | ${fmt(s.p99)} |`);
    });
    log();
    log(`Targets: in-process p99 < 10 ms, HTTP p99 < 30 ms, ${(100_000).toLocaleString('en')} documents indexed in < 60 s.`);
    if (process.env.BENCH_OUT) writeFileSync(process.env.BENCH_OUT, lines.join('\n') + '\n');
  } finally {
    if (process.env.BENCH_KEEP) console.log(`kept ${file}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
