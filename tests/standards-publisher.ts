/**
 * A separate process that publishes standards in a loop, for the concurrent numbering test.
 * Usage: EDITOR_ID=… tsx tests/standards-publisher.ts <database file> <barrier folder> <id>...
 * Prints the numbers it was given, in order, as JSON.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../db/client';
import { standardDetail } from '../src/lib/standards/queries';
import { transitionStandard } from '../src/lib/standards/service';

const [file, barrier, ...ids] = process.argv.slice(2);
const db = openDatabase(file!, { migrate: false });
const editor = { id: process.env.EDITOR_ID!, email: 'editor@t.test', displayName: 'editor', locale: 'en', roles: [] };
standardDetail(db, editor, Number(ids[0])); // warm up before the barrier so neither process starts late
// Both processes start publishing once both are ready: a fixed start time was missed when a
// loaded machine took longer than that to start one of them, and then they never took turns.
writeFileSync(path.join(barrier!, String(process.pid)), '');
const deadline = Date.now() + 50_000;
while (readdirSync(barrier!).length < 2 && Date.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 1));
}
const numbers: (string | null)[] = [];
for (const id of ids) {
  numbers.push(transitionStandard(db, editor, Number(id), { to: 'published' }).standard.number);
  // a short pause outside the transaction lets the other process's waiting BEGIN IMMEDIATE in
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
}
process.stdout.write(JSON.stringify(numbers));
db.$client.close();
