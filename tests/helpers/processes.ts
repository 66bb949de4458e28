/**
 * Server processes started the way `npm start` starts them (the cluster primary, or serve.mjs
 * alone), each with its own database, for tests of how processes start, die and stop.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';

export const root = path.resolve(import.meta.dirname, '../..');
const started: { child: ChildProcess; dir: string }[] = [];

/** Stops what `launch` started and removes its folders (for afterEach). */
export async function stopLaunched() {
  for (const { child, dir } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Starts `node <args>` with its own migrated database; `output()` is what it has printed so far. */
export async function launch(args: string[], env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-process-'));
  const databasePath = path.join(dir, 'portal.db');
  openDatabase(databasePath).$client.close(); // the primary migrates before forking, as npm start does
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: databasePath, DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ child, dir });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, databasePath, url: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Polls `probe` every 100 ms until it gives something other than undefined. */
export async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The pids of the workers the cluster primary reported serving, in order. */
export const serving = (output: string) => [...output.matchAll(/worker (\d+) is serving/g)].map((m) => Number(m[1]));
