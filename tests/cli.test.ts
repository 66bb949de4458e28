/**
 * The operator's commands, run as an operator would: backup while a server holds the database
 * open, restore into a stopped instance, and the first admin from the environment.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { seedFoundation } from '../db/seed/foundation';
import { seedSettlement } from '../db/seed/settlement';
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
    const backup = path.join(dir, 'backup');
    const out = await cli('backup.ts', [backup], { DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir });
    expect(out.stdout).toContain('integrity: ok');
    // A user created after the backup is not in it.
    await server.api.signUp('later@example.com', 'Later');

    const target = path.join(dir, 'restored', 'portal.db');
    const restored = await cli('restore.ts', [backup], { DATABASE_PATH: target, DATA_DIR: path.dirname(target) });
    expect(restored.stdout).toContain('Restored');
    const db = openDatabase(target);
    const emails = db.$client.prepare('SELECT email FROM users ORDER BY email').pluck().all();
    db.$client.close();
    expect(emails).toContain('kept@example.com');
    expect(emails).not.toContain('later@example.com');
  });

  it('refuses to overwrite an existing backup', async () => {
    const file = path.join(dir, 'exists');
    writeFileSync(file, 'x');
    await expect(cli('backup.ts', [file], { DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir })).rejects.toMatchObject({
      stderr: expect.stringContaining('exists already'),
    });
  });

  it('refuses a corrupt backup and leaves the database alone', async () => {
    const corrupt = path.join(dir, 'corrupt');
    mkdirSync(corrupt);
    writeFileSync(path.join(corrupt, 'portal.db'), Buffer.alloc(8192, 7));
    const target = path.join(dir, 'untouched', 'portal.db');
    await expect(cli('restore.ts', [corrupt], { DATABASE_PATH: target, DATA_DIR: path.dirname(target) })).rejects.toMatchObject({
      stderr: expect.stringMatching(/Refusing to restore/),
    });
    expect(existsSync(target)).toBe(false);
  });

  it('refuses to restore under a running server', async () => {
    const backup = path.join(dir, 'backup2');
    await cli('backup.ts', [backup], { DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir });
    // Hold a write lock the way a busy server would.
    const holder = openDatabase(server.databasePath, { migrate: false });
    holder.$client.exec('BEGIN IMMEDIATE');
    try {
      await expect(cli('restore.ts', [backup], { DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir })).rejects.toMatchObject({
        stderr: expect.stringContaining('stop the server first'),
      });
    } finally {
      holder.$client.exec('ROLLBACK');
      holder.$client.close();
    }
  });
});

describe('db:backup with settlement documents', () => {
  let docs: TestServer;
  let token: string;
  beforeAll(async () => {
    docs = await startServer();
    await seedFoundation(docs.db);
    seedSettlement(docs.db);
    token = await docs.api.signUp('uploads@example.com', 'Uploader');
  }, 120_000);
  afterAll(() => docs?.stop());

  /** One PDF upload through the real server; a draft's item re-uploaded replaces (and deletes) the old file. */
  async function upload(applicationId: number, item: string) {
    const boundary = `----backup${randomBytes(8).toString('hex')}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n% '), Buffer.from(randomBytes(2048).toString('hex')), Buffer.from('\n%%EOF\n')]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\n${item}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${item}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await fetch(`${docs.url}/api/v1/settlement/applications/${applicationId}/documents`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
      body,
    });
    expect(res.status).toBe(201);
  }

  const sha256 = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
  const documentRows = (databasePath: string) => {
    const db = openDatabase(databasePath, { migrate: false });
    try {
      return db.$client.prepare('SELECT id, application_id AS applicationId, stored_name AS storedName, sha256 FROM settlement_documents').all() as {
        id: number;
        applicationId: number;
        storedName: string;
        sha256: string;
      }[];
    } finally {
      db.$client.close();
    }
  };

  it('takes a backup while uploads run, and restores every document with its hash, downloadable', async () => {
    const applications: number[] = [];
    for (let i = 0; i < 2; i++) applications.push((await docs.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id);
    const items = ['identity', 'degree', 'business_licence', 'investment_proof'];
    let running = true;
    let uploads = 0;
    const uploading = (async () => {
      while (running) {
        await upload(applications[uploads % 2]!, items[uploads % items.length]!);
        uploads++;
      }
    })();
    uploading.catch(() => (running = false)); // a failed upload ends the loop; awaited below
    const untilUploads = async (n: number) => {
      while (running && uploads < n) await new Promise((r) => setTimeout(r, 20));
    };
    await untilUploads(10);
    const backup = path.join(dir, 'during-uploads');
    const before = uploads;
    const out = await cli('backup.ts', [backup], { DATABASE_PATH: docs.databasePath, DATA_DIR: docs.dataDir });
    const during = uploads - before;
    await untilUploads(uploads + 5);
    running = false;
    await uploading;
    expect(during).toBeGreaterThan(0); // uploads went on while the backup ran
    expect(out.stdout).toMatch(/integrity: ok/);

    const fresh = mkdtempSync(path.join(tmpdir(), 'portal-restored-'));
    const restored = await cli('restore.ts', [backup], { DATABASE_PATH: path.join(fresh, 'portal.db'), DATA_DIR: fresh });
    expect(restored.stdout).toContain('Restored');
    const rows = documentRows(path.join(fresh, 'portal.db'));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    for (const row of rows) expect(sha256(readFileSync(path.join(fresh, 'settlement', row.storedName))), row.storedName).toBe(row.sha256);

    // The restored instance serves every document it lists.
    const again = await startServer({ DATABASE_PATH: path.join(fresh, 'portal.db'), DATA_DIR: fresh });
    try {
      for (const row of rows) {
        const res = await fetch(`${again.url}/api/v1/settlement/applications/${row.applicationId}/documents/${row.id}`, { headers: { authorization: `Bearer ${token}` } });
        expect(res.status).toBe(200);
        expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(row.sha256);
      }
    } finally {
      await again.stop();
      rmSync(fresh, { recursive: true, force: true });
    }
  }, 120_000);

  it('fails, naming the file, when a document does not match its hash; restore refuses a backup missing one', async () => {
    await upload((await docs.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id, 'identity');
    const [row] = documentRows(docs.databasePath);
    const live = path.join(docs.dataDir, 'settlement', row!.storedName);
    const original = readFileSync(live);
    writeFileSync(live, 'tampered');
    try {
      await expect(cli('backup.ts', [path.join(dir, 'tampered')], { DATABASE_PATH: docs.databasePath, DATA_DIR: docs.dataDir })).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining(`${row!.storedName} does not match its SHA-256`),
      });
    } finally {
      writeFileSync(live, original);
    }

    const good = path.join(dir, 'good');
    await cli('backup.ts', [good], { DATABASE_PATH: docs.databasePath, DATA_DIR: docs.dataDir });
    rmSync(path.join(good, 'documents', 'settlement', row!.storedName));
    const target = path.join(dir, 'not-restored');
    await expect(cli('restore.ts', [good], { DATABASE_PATH: path.join(target, 'portal.db'), DATA_DIR: target })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining(`${row!.storedName} is missing`),
    });
    expect(existsSync(path.join(target, 'portal.db'))).toBe(false);
  }, 120_000);
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
