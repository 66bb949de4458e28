/** `npm run db:backup -- <file>`: an online backup (the server may keep running). */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { databasePath } from '@db/client';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run db:backup -- <file>');
  process.exit(2);
}
if (existsSync(target)) {
  console.error(`${target} exists already; choose a new file name.`);
  process.exit(2);
}
const source = new Database(databasePath(), { fileMustExist: true, readonly: true });
await source.backup(target, {
  progress({ totalPages, remainingPages }) {
    process.stdout.write(`\rBacking up: ${Math.round(((totalPages - remainingPages) / totalPages) * 100)}%`);
    return 200;
  },
});
source.close();
const check = new Database(target, { readonly: true });
const result = check.pragma('integrity_check', { simple: true });
check.close();
console.log(`\nBackup written to ${target} (integrity: ${result}).`);
