/**
 * `npm run credit -- <command>` run as an operator would, against a seeded database file: the demo's
 * rated companies (db/seed/credit-ratings.ts) are what it reports.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { creditCertificates } from '../db/schema';
import { seed } from '../db/seed';
import { shanghaiDay } from '../src/i18n';
import { testDb } from './helpers/db';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '..');
const db = testDb();

/** `npm run credit -- …args`; resolves with the exit code instead of throwing on 1. */
async function credit(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'credit', '--', ...args], { cwd: root, env: { ...process.env, DATABASE_PATH: db.$client.name }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
const lines = (stdout: string) => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

let active: typeof creditCertificates.$inferSelect;
let suspended: typeof creditCertificates.$inferSelect;
beforeAll(async () => {
  await seed(db);
  active = db.select().from(creditCertificates).where(eq(creditCertificates.state, 'active')).get()!;
  suspended = db.select().from(creditCertificates).where(eq(creditCertificates.state, 'suspended')).get()!;
}, 120_000);
afterAll(() => db.cleanup());

describe('npm run credit', () => {
  it('verify prints the certificate’s status, grade and validity; an unknown number exits 1 with a message', async () => {
    const ok = await credit('verify', active.number.toLowerCase());
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ number: active.number, status: 'active', valid: true, grade: 'AAA', validFrom: active.validFrom, validUntil: active.validUntil, company: { slug: 'hongqiao-silk-road-trading' } });
    const off = JSON.parse((await credit('verify', suspended.number)).stdout);
    expect(off).toMatchObject({ status: 'suspended', valid: false });
    expect(off.stateReason).toMatch(/Customs/);
    const unknown = await credit('verify', 'SCBEA-XY-2026-99999');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No certificate has the number SCBEA-XY-2026-99999.');
    expect(unknown.stdout).toBe('');
  }, 120_000);

  it('certificates prints JSON lines, filtered by status, grade and the moment they last changed', async () => {
    const all = lines((await credit('certificates')).stdout);
    expect(all.map((c) => c.number).sort()).toEqual([active.number, suspended.number].sort());
    expect(lines((await credit('certificates', '--status=suspended')).stdout).map((c) => c.number)).toEqual([suspended.number]);
    expect(lines((await credit('certificates', '--grade=AAA')).stdout).map((c) => c.number)).toEqual([active.number]);
    expect(lines((await credit('certificates', '--since=2999-01-01')).stdout)).toEqual([]);
    const bad = await credit('certificates', '--status=shiny');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--status is one of');
  }, 120_000);

  it('schemes lists the active scheme; deadlines applies what is due, under both script names', async () => {
    const schemes = lines((await credit('schemes')).stdout);
    expect(schemes.map((s) => [s.name, s.state])).toEqual([['SCBEA seller credit grading', 'active']]);
    expect(schemes[0].indicators).toHaveLength(3);
    // the active certificate's surveillance fell due three days ago: the check suspends it, once
    db.update(creditCertificates).set({ nextSurveillance: shanghaiDay(Date.now() - 3 * 86_400_000) }).where(eq(creditCertificates.id, active.id)).run();
    expect((await credit('deadlines')).stdout).toContain('Applied 1 credit deadline change(s).');
    expect(db.select().from(creditCertificates).where(eq(creditCertificates.id, active.id)).get()!.state).toBe('suspended');
    const again = await run('npm', ['run', '--silent', 'credit:deadlines'], { cwd: root, env: { ...process.env, DATABASE_PATH: db.$client.name }, timeout: 120_000 });
    expect(again.stdout).toContain('Applied 0 credit deadline change(s).');
    const usage = await credit('nonsense');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Usage: npm run credit');
  }, 120_000);
});
