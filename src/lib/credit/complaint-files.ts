/**
 * Where complaint evidence lives: DATA_DIR/credit, under the random name the upload was given.
 * An upload is received by settlement's generic helper (src/lib/settlement/upload.ts) and moved
 * here once recorded. Nothing here is served by its path; downloads go through the access check.
 */
import { evidenceStore } from './storage';

export function creditFilePath(storedName: string): string {
  if (!/^[a-f0-9]{32}$/.test(storedName)) throw new Error('bad stored name');
  return evidenceStore.path(storedName);
}
