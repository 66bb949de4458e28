/**
 * Demo data: `npm run db:seed`, and `npm start` on an empty database. Every step is idempotent.
 * A domain adds its own `db/seed/<domain>.ts` and one line in `steps`.
 */
import type { Db } from '../client';
import { seedCourses } from './courses';
import { seedCreditComplaints } from './credit-complaints';
import { seedCreditSchemes } from './credit';
import { seedCreditRatings } from './credit-ratings';
import { seedFoundation } from './foundation';
import { seedPendingOrganization } from './organizations';
import { seedPolicies } from './policies';
import { seedResearch } from './research';
import { seedSearch } from './search';
import { seedSettlement } from './settlement';
import { seedStandards } from './standards';

type Step = [name: string, run: (db: Db) => unknown];

const steps: Step[] = [
  ['accounts and organizations', seedFoundation],
  ['an organization waiting for verification', seedPendingOrganization],
  ['policy library', seedPolicies],
  ['courses and sessions', seedCourses],
  ['research projects and findings', seedResearch],
  ['search synonyms', seedSearch],
  ['settlement routes and points rules', seedSettlement],
  ['standards drafting', seedStandards],
  ['credit schemes and roles', seedCreditSchemes],
  ['rated demo companies: active, suspended, on public notice', seedCreditRatings],
  // after the rated demo companies: it files its complaint against one of them
  ['an open credit complaint', seedCreditComplaints],
];

export async function seed(db: Db, log: (line: string) => void = () => {}) {
  for (const [name, run] of steps) {
    await run(db);
    log(`seeded ${name}`);
  }
}
