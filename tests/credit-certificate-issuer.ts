/**
 * A separate process that issues certificates in a loop, for the concurrent numbering test.
 * Usage: tsx tests/credit-certificate-issuer.ts <database file> <barrier folder> <assessment id>...
 * Each certificate is issued in its own BEGIN IMMEDIATE transaction, as the grant does. Prints the
 * numbers it was given, in order, as JSON.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, write } from '../db/client';
import { creditAssessments, creditSchemes } from '../db/schema';
import { issueCertificate } from '../src/lib/credit/certificates';

const [file, barrier, ...ids] = process.argv.slice(2);
const db = openDatabase(file!, { migrate: false });
const load = (id: number) => {
  const assessment = db.select().from(creditAssessments).where(eq(creditAssessments.id, id)).get()!;
  return { assessment, scheme: db.select().from(creditSchemes).where(eq(creditSchemes.id, assessment.schemeId)).get()! };
};
load(Number(ids[0])); // warm up before the barrier so neither process starts late
writeFileSync(path.join(barrier!, String(process.pid)), '');
const deadline = Date.now() + 50_000;
while (readdirSync(barrier!).length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
const numbers: string[] = [];
for (const id of ids) {
  numbers.push(
    write(db, (tx) => {
      const { assessment, scheme } = load(Number(id));
      return issueCertificate(tx, assessment, scheme, new Date(), null).number;
    }),
  );
  // a pause outside the transaction lets the other process's waiting BEGIN IMMEDIATE in: longer than
  // SQLite's busy handler sleeps between its early retries (1, 2, 5, 10 ms), or a fast writer can
  // take the lock back every time before the waiting one wakes and the two never take turns
  await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
}
process.stdout.write(JSON.stringify(numbers));
db.$client.close();
