/**
 * Where credit evidence files live: DATA_DIR/credit, under random names, as settlement's documents
 * do. Nothing there is served by its path; downloads go through the service's access check.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '~/lib/settlement/storage';

export function evidenceDir(): string {
  const dir = path.join(dataDir(), 'credit');
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function evidencePath(storedName: string): string {
  if (!/^[a-f0-9]{32}(\.part)?$/.test(storedName)) throw new Error('bad stored name');
  return path.join(evidenceDir(), storedName);
}

export function removeEvidenceFile(storedName: string) {
  rmSync(evidencePath(storedName), { force: true });
}
