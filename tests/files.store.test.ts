// The one interface for uploaded files (src/lib/files/store.ts), on the local-disk backend that
// settlement documents and credit evidence use, over a real directory.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localFileStore } from '~/lib/files/store';
import { documentStore, documentsDir, storedPath } from '~/lib/settlement/storage';
import { evidenceDir, evidencePath, evidenceStore } from '~/lib/credit/storage';
import { creditFilePath } from '~/lib/credit/complaint-files';

const name = 'a'.repeat(32);
let dir: string;
const before = process.env.DATA_DIR;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'portal-files-'));
  process.env.DATA_DIR = dir;
});
afterAll(() => {
  if (before === undefined) delete process.env.DATA_DIR;
  else process.env.DATA_DIR = before;
  rmSync(dir, { recursive: true, force: true });
});

describe('local FileStore', () => {
  it('keeps each area under DATA_DIR/<area> and refuses names that are not its random names', () => {
    const store = localFileStore('test-area');
    expect(store.path(name)).toBe(path.join(dir, 'test-area', name));
    expect(store.path(`${name}.part`)).toBe(path.join(dir, 'test-area', `${name}.part`));
    for (const bad of ['../etc/passwd', 'A'.repeat(32), 'a'.repeat(31), `${name}/x`, '']) expect(() => store.path(bad)).toThrow('bad stored name');
  });

  it('opens a stored file as a web stream, removes it (twice is fine), and moves it to another area', async () => {
    const from = localFileStore('from');
    const to = localFileStore('to');
    writeFileSync(from.path(name), 'evidence bytes');
    expect(await new Response(from.open(name)).text()).toBe('evidence bytes');
    from.moveTo(name, to);
    expect(existsSync(from.path(name))).toBe(false);
    expect(readFileSync(to.path(name), 'utf8')).toBe('evidence bytes');
    to.remove(name);
    to.remove(name);
    expect(existsSync(to.path(name))).toBe(false);
  });

  it('is what settlement documents and both kinds of credit evidence are stored in', () => {
    expect(documentStore.area).toBe('settlement');
    expect(storedPath(name)).toBe(path.join(dir, 'settlement', name));
    expect(documentsDir()).toBe(path.join(dir, 'settlement'));
    expect(evidenceStore.area).toBe('credit');
    expect(evidencePath(name)).toBe(path.join(dir, 'credit', name));
    expect(evidenceDir()).toBe(path.join(dir, 'credit'));
    expect(creditFilePath(name)).toBe(evidencePath(name));
    expect(() => creditFilePath(`${name}.part`)).toThrow('bad stored name'); // complaint files are only ever whole
  });
});
