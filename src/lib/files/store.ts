/**
 * One interface for uploaded files (settlement documents, credit evidence): a store of files under
 * random 32-hex names that are never served by their path (downloads go through the services'
 * access checks). The local-disk backend keeps them in DATA_DIR/<area>; an S3-compatible backend
 * is the "Scaling past one machine" step 2 (README), behind this same interface.
 */
import { createReadStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

export interface FileStore {
  /** The area's name (`settlement`, `credit`). */
  readonly area: string;
  /**
   * Where `name` is written while it arrives (receiveUpload streams to `<name>.part`, then renames).
   * Local disk only: an object-store backend stages here and uploads on `moveTo`/commit.
   */
  path(name: string): string;
  /** The stored file as a web stream (a download's body). */
  open(name: string): ReadableStream<Uint8Array>;
  /** Removes the file; removing a missing file is not an error. */
  remove(name: string): void;
  /** Moves the file to another store under the same name (an upload recorded by another area). */
  moveTo(name: string, to: FileStore): void;
}

/** DATA_DIR: uploaded files live under it (the database too, unless DATABASE_PATH says otherwise). */
export const dataDir = () => path.resolve(process.env.DATA_DIR ?? './data');

const NAME = /^[a-f0-9]{32}(\.part)?$/;

export interface LocalFileStore extends FileStore {
  /** DATA_DIR/<area>, created on first use. */
  dir(): string;
}

/** The local-disk backend: DATA_DIR/<area>/<name>. */
export function localFileStore(area: string): LocalFileStore {
  const dir = () => {
    const d = path.join(dataDir(), area);
    mkdirSync(d, { recursive: true });
    return d;
  };
  const store: LocalFileStore = {
    area,
    dir,
    path(name) {
      if (!NAME.test(name)) throw new Error('bad stored name');
      return path.join(dir(), name);
    },
    open(name) {
      return Readable.toWeb(createReadStream(store.path(name))) as ReadableStream<Uint8Array>;
    },
    remove(name) {
      rmSync(store.path(name), { force: true });
    },
    moveTo(name, to) {
      if (to === store || to.area === area) return;
      renameSync(store.path(name), to.path(name));
    },
  };
  return store;
}
