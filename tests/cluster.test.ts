/**
 * WEB_CONCURRENCY > 1: several worker processes share one port and one SQLite file. What one
 * worker writes, every other serves at once (sessions, rate limits and caches live in the database).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { openDatabase } from '../db/client';
import { ApiClient } from './helpers/server';

const root = path.resolve(import.meta.dirname, '..');
let child: ReturnType<typeof spawn>;
let dir: string;
let api: ApiClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'portal-cluster-'));
  const databasePath = path.join(dir, 'portal.db');
  openDatabase(databasePath).$client.close(); // the primary migrates before forking, as npm start does
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
  child = spawn(process.execPath, [path.join(root, 'src/cli/serve-cluster.mjs'), inject('serverEntry')], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath, DATA_DIR: dir, WEB_CONCURRENCY: '2' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) break;
    } catch {
      /* not yet */
    }
    if (i > 200) throw new Error('cluster did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  api = new ApiClient(url);
});

afterAll(async () => {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
});

it('serves one consistent site from two worker processes', async () => {
  const token = await api.signUp('cluster@example.com', 'Cluster');
  // Fresh connections are spread over the workers; every one must know the new session.
  const answers = await Promise.all(Array.from({ length: 24 }, () => api.request('GET', '/me', undefined, token, { connection: 'close' })));
  expect(answers.map((a) => a.status)).toEqual(Array(24).fill(200));
  const org = await api.post('/organizations', { name: 'Cluster Test Org', type: 'company' }, token);
  expect(org.status).toBe(201);
  const reads = await Promise.all(Array.from({ length: 12 }, () => api.request('GET', `/organizations/${org.body.slug}`, undefined, token, { connection: 'close' })));
  expect(reads.map((r) => r.status)).toEqual(Array(12).fill(200));
});
