/**
 * `npm run db:restore -- <file>`: replaces the database with a backup. Run it with the server
 * stopped. The backup must pass PRAGMA integrity_check first; the old file is kept beside it.
 */
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { databasePath, openDatabase } from '@db/client';

const source = process.argv[2];
if (!source || !existsSync(source)) {
  console.error('Usage: npm run db:restore -- <backup file>');
  process.exit(2);
}
const check = new Database(source, { readonly: true, fileMustExist: true });
let result: unknown;
try {
  result = check.pragma('integrity_check', { simple: true });
} catch (err) {
  result = (err as Error).message;
}
check.close();
if (result !== 'ok') {
  console.error(`Refusing to restore: integrity_check says ${result}`);
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
if (existsSync(target)) {
  const kept = `${target}.before-restore-${Date.now()}`;
  renameSync(target, kept);
  console.log(`Previous database kept as ${kept}`);
}
for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
copyFileSync(source, target);
openDatabase(target).$client.close(); // applies any newer migrations
console.log(`Restored ${source} into ${target}.`);
