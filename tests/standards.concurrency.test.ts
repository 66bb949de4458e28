/**
 * Two processes publish forty standards each into one SQLite file at the same moment: the numbers
 * T/{code} 001—YYYY … 080—YYYY come out with no gap and no duplicate, because each number is taken
 * from the counter inside the publishing BEGIN IMMEDIATE transaction.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { standardNumberCounters, standards, standardVersions } from '../db/schema';
import { shanghaiDate } from '../src/lib/standards/service';
import { standardsFixture } from './standards-fixture';

const run = promisify(execFile);
const COUNT = 80;
const f = standardsFixture(0);
afterAll(() => f.cleanup());

it('gives gapless, unique numbers to standards published concurrently by two processes', async () => {
  const now = new Date();
  const ids = Array.from({ length: COUNT }, (_, i) => {
    const s = f.db
      .insert(standards)
      .values({ organizationId: f.org.id, title: `Concurrent ${i}`, state: 'approved', stageCode: '50.99', everPublic: true, createdAt: now, updatedAt: now })
      .returning()
      .get();
    f.db.insert(standardVersions).values({ standardId: s.id, number: 1, bodyMd: '## 1 Scope\n\nx', createdBy: f.editor.id, createdAt: now }).run();
    return s.id;
  });
  const file = f.db.$client.name;
  const script = path.resolve(import.meta.dirname, 'standards-publisher.ts');
  const tsx = path.resolve(import.meta.dirname, '../node_modules/.bin/tsx');
  const barrier = mkdtempSync(path.join(tmpdir(), 'publish-barrier-'));
  const [a, b] = await Promise.all([
    run(tsx, [script, file, barrier, ...ids.filter((_, i) => i % 2 === 0).map(String)], { timeout: 60_000, env: { ...process.env, EDITOR_ID: f.editor.id } }),
    run(tsx, [script, file, barrier, ...ids.filter((_, i) => i % 2 === 1).map(String)], { timeout: 60_000, env: { ...process.env, EDITOR_ID: f.editor.id } }),
  ]);
  rmSync(barrier, { recursive: true, force: true });
  const year = shanghaiDate(new Date()).slice(0, 4);
  const numbers = [...JSON.parse(a.stdout), ...JSON.parse(b.stdout)] as string[];
  expect(new Set(numbers).size).toBe(COUNT);
  // the two processes really did take turns
  const firstOfA = JSON.parse(a.stdout) as string[];
  expect(firstOfA.some((n, i) => i > 0 && Number(n.split(' ')[1]!.slice(0, 3)) !== Number(firstOfA[i - 1]!.split(' ')[1]!.slice(0, 3)) + 1)).toBe(true);
  expect(numbers.sort()).toEqual(Array.from({ length: COUNT }, (_, i) => `T/${f.org.code} ${String(i + 1).padStart(3, '0')}—${year}`));
  const counter = f.db.select().from(standardNumberCounters).where(eq(standardNumberCounters.organizationId, f.org.id)).get();
  expect(counter?.lastSequence).toBe(COUNT);
}, 90_000);
