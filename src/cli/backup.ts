/**
 * `npm run db:backup -- <folder>`: an online backup (the server may keep running) of the database
 * and of the uploaded documents it refers to, verified before the command says it is done. Exits
 * non-zero, naming each file, when the copy does not verify. See ./backup-set.ts for the layout.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath } from '@db/client';
import { dataDir } from '~/lib/settlement/storage';
import { BACKUP_DATABASE, BACKUP_DOCUMENTS, backupProblems, referencedFiles, storedFiles } from './backup-set';

/** A file replaced between the snapshot and its copy makes another snapshot; this many at most. */
const ATTEMPTS = 10;

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run db:backup -- <folder>');
  process.exit(2);
}
if (existsSync(target)) {
  console.error(`${target} exists already; choose a new folder name.`);
  process.exit(2);
}
mkdirSync(path.join(target, BACKUP_DOCUMENTS), { recursive: true });
const snapshot = path.join(target, BACKUP_DATABASE);
const source = new Database(databasePath(), { fileMustExist: true, readonly: true });

let copied = 0;
/** Copies a stored file into the backup unless it is there (stored files never change). False when it is gone. */
function copyStored(relativePath: string): boolean {
  const to = path.join(target, BACKUP_DOCUMENTS, relativePath);
  if (existsSync(to)) return true;
  mkdirSync(path.dirname(to), { recursive: true });
  try {
    copyFileSync(path.join(dataDir(), relativePath), to);
    copied++;
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return false;
  }
}

for (let attempt = 1; ; attempt++) {
  // Every stored file first, until a pass finds nothing new: the snapshot then refers to files
  // already copied, except those uploaded in the moment since, which are copied right after it.
  // Only such a file, replaced (and deleted) in that moment too, makes another attempt.
  for (let pass = 0; pass < 10; pass++) {
    const before = copied;
    for (const relativePath of storedFiles(dataDir())) copyStored(relativePath);
    if (copied === before) break;
  }
  rmSync(snapshot, { force: true });
  await source.backup(snapshot);
  const vanished = referencedFiles(snapshot).filter((f) => !copyStored(f.relativePath));
  if (!vanished.length || attempt === ATTEMPTS) break;
  console.log(`${vanished.length} document(s) were replaced while copying; taking the snapshot again.`);
}
source.close();
// Files the final snapshot does not refer to (replaced meanwhile, or not yet recorded) are left out.
const kept = new Set(referencedFiles(snapshot).map((f) => path.join(target, BACKUP_DOCUMENTS, f.relativePath)));
for (const dir of readdirSync(path.join(target, BACKUP_DOCUMENTS))) {
  for (const name of readdirSync(path.join(target, BACKUP_DOCUMENTS, dir))) {
    const file = path.join(target, BACKUP_DOCUMENTS, dir, name);
    if (!kept.has(file)) rmSync(file);
  }
}

const problems = await backupProblems(target);
if (problems.length) {
  console.error(`The backup in ${target} does not verify:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(`Backup written to ${target}: the database (integrity: ok) and ${kept.size} document(s), each checked against its SHA-256 (${copied} copied).`);
