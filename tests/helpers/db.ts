import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type Db } from '../../db/client';

/** A fresh, migrated SQLite file of its own. */
export function testDb(): Db & { cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'portal-test-'));
  const db = openDatabase(path.join(dir, 'test.db'));
  return Object.assign(db, {
    cleanup() {
      db.$client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
