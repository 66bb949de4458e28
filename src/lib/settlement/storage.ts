/**
 * Where uploaded settlement documents live: DATA_DIR/settlement, under random names. Nothing
 * there is ever served by its path; downloads go through the service's access check.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/** DATA_DIR: uploaded files live under it (the database too, unless DATABASE_PATH says otherwise). */
export const dataDir = () => path.resolve(process.env.DATA_DIR ?? './data');

export function documentsDir(): string {
  const dir = path.join(dataDir(), 'settlement');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function storedPath(storedName: string): string {
  if (!/^[a-f0-9]{32}(\.part)?$/.test(storedName)) throw new Error('bad stored name');
  return path.join(documentsDir(), storedName);
}

export function removeStoredFile(storedName: string) {
  rmSync(storedPath(storedName), { force: true });
}
