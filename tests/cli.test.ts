/**
 * The operator's commands, run as an operator would: backup while a server holds the database
 * open, restore into a stopped instance, and the first admin from the environment.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { ensureAdminFromEnv } from '../src/cli/admin-from-env';
import { startServer, type TestServer } from './helpers/server';
import { testDb } from './helpers/db';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');

function cli(script: string, args: string[], env: Record<string, string>) {
  return run(tsx, [path.join(root, 'src/cli', script), ...args], { cwd: root, env: { ...process.env, ...env } });
}

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(path.join(tmpdir(), 'portal-cli-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('db:backup and db:restore', () => {
  it('backs up a live database and restores it into a stopped instance', async () => {
    await server.api.signUp('kept@example.com', 'Kept');
    const backup = path.join(dir, 'backup.db');
    const out = await cli('backup.ts', [backup], { DATABASE_PATH: server.databasePath });
    expect(out.stdout).toContain('integrity: ok');
    // A user created after the backup is not in it.
    await server.api.signUp('later@example.com', 'Later');

    const target = path.join(dir, 'restored', 'portal.db');
    const restored = await cli('restore.ts', [backup], { DATABASE_PATH: target });
    expect(restored.stdout).toContain('Restored');
    const db = openDatabase(target);
    const emails = db.$client.prepare('SELECT email FROM users ORDER BY email').pluck().all();
    db.$client.close();
    expect(emails).toContain('kept@example.com');
    expect(emails).not.toContain('later@example.com');
  });

  it('refuses to overwrite an existing backup file', async () => {
    const file = path.join(dir, 'exists.db');
    writeFileSync(file, 'x');
    await expect(cli('backup.ts', [file], { DATABASE_PATH: server.databasePath })).rejects.toMatchObject({
      stderr: expect.stringContaining('exists already'),
    });
  });

  it('refuses a corrupt backup and leaves the database alone', async () => {
    const corrupt = path.join(dir, 'corrupt.db');
    writeFileSync(corrupt, Buffer.alloc(8192, 7));
    const target = path.join(dir, 'untouched', 'portal.db');
    await expect(cli('restore.ts', [corrupt], { DATABASE_PATH: target })).rejects.toMatchObject({
      stderr: expect.stringMatching(/Refusing to restore/),
    });
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to restore under a running server', async () => {
    const backup = path.join(dir, 'backup2.db');
    await cli('backup.ts', [backup], { DATABASE_PATH: server.databasePath });
    // Hold a write lock the way a busy server would.
    const holder = openDatabase(server.databasePath, { migrate: false });
    holder.$client.exec('BEGIN IMMEDIATE');
    try {
      await expect(cli('restore.ts', [backup], { DATABASE_PATH: server.databasePath })).rejects.toMatchObject({
        stderr: expect.stringContaining('stop the server first'),
      });
    } finally {
      holder.$client.exec('ROLLBACK');
      holder.$client.close();
    }
  });
});

describe('PORTAL_ADMIN_EMAIL', () => {
  it('creates the first admin, and gives an existing account the role without a new password', async () => {
    const db = testDb();
    try {
      const id = await ensureAdminFromEnv(db, { PORTAL_ADMIN_EMAIL: 'Root@Example.com', PORTAL_ADMIN_PASSWORD: 'a long admin password' });
      const roles = db.$client.prepare('SELECT role FROM user_roles WHERE user_id = ?').pluck().all(id);
      expect(roles).toEqual(['admin']);
      // The operator chose the address, so it counts as verified.
      expect(db.$client.prepare('SELECT email_verified_at FROM users WHERE id = ?').pluck().get(id)).toEqual(expect.any(Number));
      // Running again (every start) changes nothing.
      expect(await ensureAdminFromEnv(db, { PORTAL_ADMIN_EMAIL: 'root@example.com' })).toBe(id);
      expect(db.$client.prepare("SELECT count(*) FROM user_roles WHERE role = 'admin'").pluck().get()).toBe(1);
      await expect(ensureAdminFromEnv(db, { PORTAL_ADMIN_EMAIL: 'new@example.com', PORTAL_ADMIN_PASSWORD: 'short' })).rejects.toThrow(/at least 10/);
      await expect(ensureAdminFromEnv(db, { PORTAL_ADMIN_EMAIL: 'new@example.com', PORTAL_ADMIN_PASSWORD: 'password123' })).rejects.toThrow(/too common/);
    } finally {
      db.cleanup();
    }
  });
});

describe('first visit language', () => {
  it('sends a browser that prefers English to the English page once, and never loops', async () => {
    const res = await fetch(`${server.url}/courses`, { headers: { accept: 'text/html', 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' }, redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/en/courses');
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    // Having chosen Chinese through the switch, the same browser stays on the Chinese page.
    const again = await fetch(`${server.url}/courses`, { headers: { accept: 'text/html', 'accept-language': 'en', cookie }, redirect: 'manual' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('<html lang="zh-CN"');
    const zh = await fetch(`${server.url}/courses`, { headers: { accept: 'text/html', 'accept-language': 'zh-CN,zh;q=0.9' }, redirect: 'manual' });
    expect(zh.status).toBe(200);
  });
});
