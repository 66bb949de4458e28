/**
 * A backup is a folder: `portal.db`, a snapshot taken with SQLite's online backup API, and
 * `documents/`, the uploaded files that snapshot refers to, laid out as under DATA_DIR. Files are
 * never changed once stored (a new upload gets a new random name), so copying the files a
 * snapshot refers to, after the snapshot, gives a consistent pair. A file replaced (and deleted)
 * between the snapshot and its copy is the one way to miss one: db:backup copies every stored
 * file just before the snapshot to narrow that moment, and takes a new snapshot, which no longer
 * refers to the file, when it happens all the same.
 *
 * Verifying a backup re-hashes every referenced file against the SHA-256 the database recorded.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export const BACKUP_DATABASE = 'portal.db';
export const BACKUP_DOCUMENTS = 'documents';

export interface StoredFile {
  /** The path under DATA_DIR (and under a backup's documents/). */
  relativePath: string;
  sha256: string;
}

/** Every uploaded file a database refers to (settlement documents, superseded ones included, and credit evidence). */
export function referencedFiles(databaseFile: string): StoredFile[] {
  const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    const files = (table: string, folder: string) => {
      const rows = db.prepare(`SELECT DISTINCT stored_name, sha256 FROM ${table} ORDER BY stored_name`).all() as { stored_name: string; sha256: string }[];
      return rows.map((r) => {
        // Names are random hex written by the server; anything else must not become a path.
        if (!/^[a-f0-9]{32}$/.test(r.stored_name)) throw new Error(`${table} refers to an unexpected file name: ${r.stored_name}`);
        return { relativePath: path.join(folder, r.stored_name), sha256: r.sha256 };
      });
    };
    const hasTable = (name: string) => !!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name);
    // credit evidence (DATA_DIR/credit) exists from migration 0024 on; older backups have none
    return [...files('settlement_documents', 'settlement'), ...(hasTable('credit_evidence') ? files('credit_evidence', 'credit') : [])];
  } finally {
    db.close();
  }
}

/** Folders under DATA_DIR that hold uploaded files, each file named by the server (32 hex digits). */
const STORED_FOLDERS = ['settlement', 'credit'];

/** The uploaded files under a data folder now (paths relative to it); half-written `.part` files are not. */
export function storedFiles(dataDir: string): string[] {
  return STORED_FOLDERS.flatMap((folder) => {
    const dir = path.join(dataDir, folder);
    return existsSync(dir) ? readdirSync(dir).filter((name) => /^[a-f0-9]{32}$/.test(name)).map((name) => path.join(folder, name)) : [];
  });
}

export function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/** Whether `file` exists with this content. */
export async function hasContent(file: string, sha256: string): Promise<boolean> {
  return existsSync(file) && (await sha256File(file)) === sha256;
}

export function databaseIntegrity(databaseFile: string): string {
  try {
    const db = new Database(databaseFile, { readonly: true, fileMustExist: true });
    try {
      return String(db.pragma('integrity_check', { simple: true }));
    } finally {
      db.close();
    }
  } catch (err) {
    return (err as Error).message;
  }
}

/** What is wrong with a backup folder, one line each; empty when it verifies. */
export async function backupProblems(folder: string): Promise<string[]> {
  const databaseFile = path.join(folder, BACKUP_DATABASE);
  if (!existsSync(databaseFile)) return [`${databaseFile} is missing`];
  const integrity = databaseIntegrity(databaseFile);
  if (integrity !== 'ok') return [`${databaseFile}: integrity_check says ${integrity}`];
  const problems: string[] = [];
  for (const { relativePath, sha256 } of referencedFiles(databaseFile)) {
    const file = path.join(folder, BACKUP_DOCUMENTS, relativePath);
    if (!existsSync(file)) problems.push(`${file} is missing`);
    else if ((await sha256File(file)) !== sha256) problems.push(`${file} does not match its SHA-256 ${sha256}`);
  }
  return problems;
}
