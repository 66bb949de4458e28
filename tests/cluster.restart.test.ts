/**
 * `npm start` serves under the cluster primary (src/cli/serve-cluster.mjs), also with one worker:
 * a worker that dies is replaced, the reason is logged, and a crash loop backs off instead of
 * spinning. A worker's uncaught exception retires it (src/cli/serve.mjs, superviseProcess).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { openDatabase } from '../db/client';

const root = path.resolve(import.meta.dirname, '..');
const node = process.execPath;
const started: { child: ChildProcess; dir: string }[] = [];
const folders: string[] = [];

afterEach(async () => {
  for (const { child, dir } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node <args>` with its own database; `output()` is what it has printed so far. */
async function launch(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-restart-'));
  const databasePath = path.join(dir, 'portal.db');
  openDatabase(databasePath).$client.close(); // the primary migrates before forking, as npm start does
  const port = await freePort();
  const child = spawn(node, args, {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath, DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dir });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const serving = (output: string) => [...output.matchAll(/worker (\d+) is serving/g)].map((m) => Number(m[1]));

it('replaces its one worker when it is killed, logging why, and serves again', async () => {
  const cluster = await launch([path.join(root, 'src/cli/serve-cluster.mjs'), inject('serverEntry')], { WEB_CONCURRENCY: '1' });
  const first = await until('the worker', () => serving(cluster.output())[0]);
  expect((await fetch(`${cluster.url}/api/v1/health`)).status).toBe(200);

  process.kill(first, 'SIGKILL');
  const second = await until('a replacement', () => serving(cluster.output())[1]);
  expect(second).not.toBe(first);
  expect(cluster.output()).toContain(`worker ${first} died (signal SIGKILL)`);
  expect((await fetch(`${cluster.url}/api/v1/health`)).status).toBe(200);
});

it('backs off when workers keep dying at start instead of spinning', async () => {
  const cluster = await launch([path.join(root, 'src/cli/serve-cluster.mjs'), path.join(root, 'no/such/entry.mjs')], { WEB_CONCURRENCY: '1' });
  await until('three deaths', () => ((cluster.output().match(/died/g)?.length ?? 0) >= 3 ? true : undefined));
  const delays = [...cluster.output().matchAll(/starting another in (\d+) ms/g)].map((m) => Number(m[1]));
  expect(delays.slice(0, 3)).toEqual([250, 500, 1000]);
  // a spinning primary would have forked dozens by now
  await new Promise((r) => setTimeout(r, 500));
  expect(cluster.output().match(/died/g)!.length).toBeLessThanOrEqual(5);
});

it('retires a server on an uncaught exception and logs an unhandled rejection without dying', async () => {
  const script = [
    `const { serve, superviseProcess } = await import(${JSON.stringify(path.join(root, 'src/cli/serve.mjs'))});`,
    `const server = await serve(${JSON.stringify(inject('serverEntry'))});`,
    'superviseProcess(server);',
    "Promise.reject(new Error('nobody awaited this'));",
    "setTimeout(() => console.log('still here'), 200);",
    "setTimeout(() => { throw new Error('a bug outside any request'); }, 400);",
  ].join('\n');
  const lone = await launch(['--input-type=module', '-e', script]);
  const code = await new Promise<number | null>((resolve) => lone.child.once('exit', resolve));
  expect(code).toBe(1);
  const output = lone.output();
  expect(output).toMatch(/Unhandled rejection \(the process carries on\): Error: nobody awaited this/);
  expect(output).toContain('still here');
  expect(output).toMatch(/Uncaught exception \(uncaughtException\); this process will be replaced: Error: a bug outside any request/);
});

it('replaces a worker that hit an uncaught exception before it stops serving, so every request is answered', async () => {
  // A build whose handler has a bug that throws outside any request's promise chain.
  const build = mkdtempSync(path.join(tmpdir(), 'portal-buggy-'));
  folders.push(build);
  mkdirSync(path.join(build, 'server'));
  mkdirSync(path.join(build, 'client'));
  writeFileSync(
    path.join(build, 'server', 'entry.mjs'),
    [
      'export const handler = (req, res) => {',
      "  if (req.url === '/boom') setTimeout(() => { throw new Error('a bug outside the request'); }, 0);",
      '  res.end(`ok ${process.pid}`);',
      '};',
    ].join('\n'),
  );
  writeFileSync(path.join(build, 'server', 'direct-routes.mjs'), 'export const securityHeaders = {};\nexport const routes = {};\nexport function startMailDelivery() {}\nexport function startEmbargoSchedule() {}\n');
  const cluster = await launch([path.join(root, 'src/cli/serve-cluster.mjs'), path.join(build, 'server', 'entry.mjs')], { WEB_CONCURRENCY: '1' });
  const first = await until('the worker', () => serving(cluster.output())[0]);
  expect(await (await fetch(`${cluster.url}/boom`)).text()).toBe(`ok ${first}`);
  // the port keeps answering all through the handover
  const answers: string[] = [];
  await until('the replacement to take over', async () => {
    answers.push(await (await fetch(`${cluster.url}/`, { headers: { connection: 'close' } })).text());
    return answers.at(-1) !== `ok ${first}` ? true : undefined;
  });
  await until('the old worker to exit', () => (cluster.output().includes(`worker ${first} retired`) ? true : undefined));
  const output = cluster.output();
  expect(output).toContain('Uncaught exception (uncaughtException); this process will be replaced: Error: a bug outside the request');
  expect(output).toContain(`worker ${first} had an uncaught exception; starting its replacement`);
  expect(output).not.toContain('died');
  expect(answers.every((a) => a.startsWith('ok '))).toBe(true);
});
