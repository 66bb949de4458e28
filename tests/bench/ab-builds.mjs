/**
 * Two server builds side by side, for a before → after on a busy machine: each build serves its own
 * copy of one database (src/cli/serve.mjs, one process, PAGE_CACHE=0 so every page is made), and the
 * routes are loaded alternately in one-second slices (order swapped every slice), so both builds see
 * the same load from everything else on the machine. Reports the server CPU per request (user +
 * system from /proc), which other work on the same cores disturbs far less than requests per second.
 *
 *   AB_ROUTES='{"name":["/path", …], …}' [AB_SLICES=6] node tests/bench/ab-builds.mjs <database> <entry.mjs> <entry.mjs>
 *
 * (node_modules/.bin/node: Node 24.) The database: a pages benchmark one (.cache/bench-pages/*.db);
 * the entries: builds with the trivial page (tests/helpers/build.ts `bench: true`), kept outside
 * .cache/build so they are not pruned. Results: tests/bench/pages.results-render.md.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { tmpdir } from 'node:os';
const [dbFile, ...entries] = process.argv.slice(2);
const ROUTES = JSON.parse(process.env.AB_ROUTES);
const SLICES = Number(process.env.AB_SLICES ?? 8), SLICE_MS = 1000, CONC = 8;
const cpu = (pid) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return (Number(f[11]) + Number(f[12])) / 100; };
const servers = entries.map((entry, i) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'render-ab-')); copyFileSync(dbFile, path.join(dir, 'p.db'));
  const port = 46100 + i;
  const child = spawn(process.execPath, ['src/cli/serve.mjs', entry], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: path.join(dir, 'p.db'), DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}`, MEILISEARCH_URL: '', SMTP_URL: '', PAGE_CACHE: '0', WEB_CONCURRENCY: '1' }, stdio: ['ignore', 'ignore', 'inherit'] });
  return { entry, port, child };
});
const get = (port, p, agent) => new Promise((res, rej) => http.get({ host: '127.0.0.1', port, path: p, agent, headers: { cookie: 'portal_lang_seen=seen' } }, (r) => { r.resume(); r.on('end', () => res(r.statusCode)); }).on('error', rej));
for (const s of servers) for (let i = 0; ; i++) { try { if ((await get(s.port, '/bench-trivial', new http.Agent())) === 200) break; } catch {} await new Promise((r) => setTimeout(r, 200)); if (i > 300) throw new Error('no start'); }
async function load(s, paths, ms) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONC }); let n = 0, k = 0; const until = performance.now() + ms; const c0 = cpu(s.child.pid);
  await Promise.all(Array.from({ length: CONC }, async () => { while (performance.now() < until) { const st = await get(s.port, paths[k++ % paths.length], agent); if (st !== 200) throw new Error(`${paths[0]} ${st}`); n++; } }));
  agent.destroy(); return { n, cpu: cpu(s.child.pid) - c0 };
}
const out = {};
for (const [name, paths] of Object.entries(ROUTES)) {
  for (const s of servers) await load(s, paths, 1500); // warm-up
  const tot = servers.map(() => ({ n: 0, cpu: 0 }));
  for (let r = 0; r < SLICES; r++) for (const [i, s] of (r % 2 ? [...servers.entries()].reverse() : [...servers.entries()])) { const m = await load(s, paths, SLICE_MS); tot[i].n += m.n; tot[i].cpu += m.cpu; }
  out[name] = tot.map((t) => Math.round((t.cpu / t.n) * 1e6));
  console.log(name.padEnd(28), servers.map((s, i) => `${path.basename(path.dirname(path.dirname(s.entry)))} ${out[name][i]} µs (${tot[i].n} req)`).join('   '));
}
for (const s of servers) s.child.kill('SIGTERM');
