/**
 * A separate process that publishes standards in a loop, for the concurrent numbering test.
 * Usage: EDITOR_ID=… tsx tests/standards-publisher.ts <database file> <start at (ms since epoch)> <id>...
 * Prints the numbers it was given, in order, as JSON.
 */
import { openDatabase } from '../db/client';
import { standardDetail } from '../src/lib/standards/queries';
import { transitionStandard } from '../src/lib/standards/service';

const [file, startAt, ...ids] = process.argv.slice(2);
const db = openDatabase(file!, { migrate: false });
const editor = { id: process.env.EDITOR_ID!, email: 'editor@t.test', displayName: 'editor', locale: 'en', roles: [] };
standardDetail(db, editor, Number(ids[0])); // warm up before the barrier so neither process starts late
while (Date.now() < Number(startAt)) {
  // both processes start publishing at the same moment
}
const numbers: (string | null)[] = [];
for (const id of ids) {
  numbers.push(transitionStandard(db, editor, Number(id), { to: 'published' }).standard.number);
  // a short pause outside the transaction lets the other process's waiting BEGIN IMMEDIATE in
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 3));
}
process.stdout.write(JSON.stringify(numbers));
db.$client.close();
