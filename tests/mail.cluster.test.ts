/**
 * The delivery loop runs in every worker process (WEB_CONCURRENCY > 1): two workers sending one
 * outbox at once deliver each message exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, inject, it } from 'vitest';
import { openDatabase } from '../db/client';
import { queueEmail } from '../src/lib/notifications/notify';
import { startSmtpServer, type TestSmtpServer } from './helpers/smtp';

const root = path.resolve(import.meta.dirname, '..');
let child: ReturnType<typeof spawn> | undefined;
let smtp: TestSmtpServer | undefined;
const dir = mkdtempSync(path.join(tmpdir(), 'portal-mail-cluster-'));

afterAll(async () => {
  child?.kill('SIGTERM');
  if (child && child.exitCode === null) await new Promise((r) => child!.once('exit', r));
  await smtp?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it('two worker processes send each queued message exactly once', async () => {
  const databasePath = path.join(dir, 'portal.db');
  const db = openDatabase(databasePath);
  for (let i = 0; i < 30; i++) queueEmail(db, `w${i}@example.com`, `通知 ${i}`, '正文');
  db.$client.close();
  smtp = await startSmtpServer({ delayMs: 20, pairUp: true });
  const port = await new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
  child = spawn(process.execPath, [path.join(root, 'src/cli/serve-cluster.mjs'), inject('serverEntry')], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: databasePath,
      DATA_DIR: dir,
      WEB_CONCURRENCY: '2',
      SMTP_URL: smtp.url,
      MAIL_OUTBOX_INTERVAL_MS: '50',
    },
    stdio: 'ignore',
  });
  await smtp.waitFor(30, 60_000);
  await new Promise((r) => setTimeout(r, 500)); // time for a duplicate to arrive, if one were sent
  expect(smtp.received).toHaveLength(30);
  expect(smtp.received.map((m) => m.subject).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `通知 ${i}`).sort());
  // both workers were sending at the same time
  expect(smtp.maxConcurrent).toBe(2);
  const check = openDatabase(databasePath, { migrate: false });
  const states = check.$client.prepare('SELECT state, attempts, count(*) AS n FROM email_outbox GROUP BY state, attempts').all();
  check.$client.close();
  expect(states).toEqual([{ state: 'sent', attempts: 1, n: 30 }]);
}, 90_000);
