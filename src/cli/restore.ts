/**
 * `npm run db:restore -- <folder>`: replaces the database, and the uploaded documents it refers
 * to, with a backup made by db:backup. Run it with the server stopped. The backup must verify
 * first (integrity_check, and every referenced document present with its SHA-256); the old
 * database is kept beside the new one, and documents already in DATA_DIR stay.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath, openDatabase } from '@db/client';
import { dataDir } from '~/lib/settlement/storage';
import { BACKUP_DATABASE, BACKUP_DOCUMENTS, backupProblems, hasContent, referencedFiles } from './backup-set';

const source = process.argv[2];
if (!source || !existsSync(source)) {
  console.error('Usage: npm run db:restore -- <backup folder>');
  process.exit(2);
}
const problems = await backupProblems(source);
if (problems.length) {
  console.error(`Refusing to restore: the backup in ${source} does not verify:`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
const target = databasePath();
try {
  // A running server holds the write lock; refuse rather than pull the file from under it.
  const live = new Database(target, { fileMustExist: true, timeout: 0 });
  live.exec('BEGIN EXCLUSIVE; COMMIT;');
  live.close();
} catch (err) {
  if (existsSync(target)) {
    console.error(`The database is in use (${(err as Error).message}); stop the server first.`);
    process.exit(1);
  }
}

// Documents first: once the database is in place, every file it refers to is there already.
const snapshot = path.join(source, BACKUP_DATABASE);
const files = referencedFiles(snapshot);
for (const { relativePath, sha256 } of files) {
  const to = path.join(dataDir(), relativePath);
  if (await hasContent(to, sha256)) continue;
  mkdirSync(path.dirname(to), { recursive: true });
  copyFileSync(path.join(source, BACKUP_DOCUMENTS, relativePath), to);
  if (!(await hasContent(to, sha256))) {
    console.error(`Restoring ${relativePath} failed: the copy in ${to} does not match its SHA-256 ${sha256}. The database was not replaced.`);
    process.exit(1);
  }
}

if (existsSync(target)) {
  const kept = `${target}.before-restore-${Date.now()}`;
  renameSync(target, kept);
  console.log(`Previous database kept as ${kept}`);
}
for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
copyFileSync(snapshot, target);
openDatabase(target).$client.close(); // applies any newer migrations
console.log(`Restored ${source} into ${target}, with ${files.length} document(s) in ${dataDir()}.`);
