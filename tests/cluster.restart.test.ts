/**
 * `npm start` serves under the cluster primary (src/cli/serve-cluster.mjs), also with one worker:
 * a worker that dies is replaced, the reason is logged, and a crash loop backs off instead of
 * spinning. A worker's uncaught exception retires it (src/cli/serve.mjs, superviseProcess).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { launch, root, serving, stopLaunched, until } from './helpers/processes';

const folders: string[] = [];

afterEach(async () => {
  await stopLaunched();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

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
  const code = await lone.exited;
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
  writeFileSync(path.join(build, 'server', 'direct-routes.mjs'), 'export const securityHeaders = {};\nexport const routes = {};\nexport function startMailDelivery() {}\nexport async function releaseResources() {}\nexport function startEmbargoSchedule() {}\nexport function startCreditSchedule() {}\nexport function keptPage() { return null; }\n');
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
