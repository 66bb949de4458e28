/**
 * A separate process running the scheduled embargo check once, for the two-process test.
 * Usage: tsx tests/embargo-checker.ts <database file> <barrier folder> <now as ISO 8601>
 * Prints how many findings it re-indexed.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { indexEndedEmbargoes } from '../src/lib/research/embargo';

const [file, barrier, now] = process.argv.slice(2);
const db = openDatabase(file!, { migrate: false });
// Both processes check at once, once both are ready.
writeFileSync(path.join(barrier!, String(process.pid)), '');
const deadline = Date.now() + 50_000;
while (readdirSync(barrier!).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
process.stdout.write(String(indexEndedEmbargoes(db, new Date(now!))));
db.$client.close();
