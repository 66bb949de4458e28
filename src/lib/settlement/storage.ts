/**
 * Where uploaded settlement documents live: DATA_DIR/settlement, under random names, in the local
 * `FileStore` (src/lib/files/store.ts). Nothing there is ever served by its path; downloads go
 * through the service's access check.
 */
import { dataDir, localFileStore } from '~/lib/files/store';

export { dataDir };

export const documentStore = localFileStore('settlement');

export function documentsDir(): string {
  return documentStore.dir();
}

export function storedPath(storedName: string): string {
  return documentStore.path(storedName);
}

export function removeStoredFile(storedName: string) {
  documentStore.remove(storedName);
}
