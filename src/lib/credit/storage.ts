/**
 * Where credit evidence files live (assessment and complaint evidence): DATA_DIR/credit, under
 * random names, in the local `FileStore` (src/lib/files/store.ts), as settlement's documents are.
 * Nothing there is served by its path; downloads go through the service's access check.
 */
import { localFileStore } from '~/lib/files/store';

export const evidenceStore = localFileStore('credit');

export function evidenceDir(): string {
  return evidenceStore.dir();
}

export function evidencePath(storedName: string): string {
  return evidenceStore.path(storedName);
}

export function removeEvidenceFile(storedName: string) {
  evidenceStore.remove(storedName);
}
