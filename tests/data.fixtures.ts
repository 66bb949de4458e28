/**
 * Settlement cases seeded through the settlement services (create, answer, upload, submit, then
 * the officers' and approver's moves) for the open-data tests, with what the test itself knows
 * about each one, so every published figure can be counted again independently.
 *
 * The entrepreneur-talent route gets enough cases that its closing states each pass 10 (and its
 * rates are published); the overseas-returnee route stays small, so its cells are withheld.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { settlementApplications, userRoles, users } from '../db/schema';
import { seedSettlement } from '../db/seed/settlement';
import type { SessionUser } from '../src/lib/auth/sessions';
import { createApplication, lapseOverdue, recordDocument, saveAnswers, submitApplication, transition } from '../src/lib/settlement/service';

export const BIG = 'entrepreneur-talent';
export const SMALL = 'overseas-returnee-entrepreneur';

const ROUTES = {
  [BIG]: {
    answers: {
      personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
      criteria: { is_founder: 'yes', investment_cny: '3000000', business_summary: 'Cross-border logistics software' },
      company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 12 },
      declaration: { agreed: true, signedName: 'Amir Rahman' },
    },
    documents: ['identity', 'degree', 'business_licence', 'investment_proof'],
  },
  [SMALL]: {
    answers: {
      personal: { fullName: 'Lena Vogel', nationality: 'Germany', idType: 'passport', idNumber: 'C01X00T47', dateOfBirth: '1992-08-15', phone: '+86 21 5555 0202' },
      criteria: { overseas_degree: 'yes', returned_within_years: '2' },
      company: { name: 'Jing’an Parcel Data Ltd.', creditCode: '91310106MA1FL5678Q', role: 'Founder', employees: 5 },
      declaration: { agreed: true, signedName: 'Lena Vogel' },
    },
    documents: ['identity', 'overseas_degree_certificate', 'degree_verification', 'business_licence'],
  },
} as const;

export type Route = keyof typeof ROUTES;
/** Where a seeded case ends; `approved_asked` is approved after a request for information. */
export type Ending = 'submitted' | 'accepted' | 'in_review' | 'information_requested' | 'recommended_approve' | 'approved' | 'approved_asked' | 'refused' | 'withdrawn' | 'lapsed';

export interface Seeded {
  id: number;
  route: Route;
  ending: Ending;
  asked: boolean;
}

const DAY = 86_400_000;

function person(db: Db, id: string, roles: string[]): SessionUser {
  db.insert(users).values({ id, email: `${id}@example.com`, displayName: id, passwordHash: 'x' }).onConflictDoNothing().run();
  for (const role of roles) db.insert(userRoles).values({ userId: id, role: role as never }).onConflictDoNothing().run();
  return { id, email: `${id}@example.com`, displayName: id, locale: 'en', roles } as unknown as SessionUser;
}

export function settlementPeople(db: Db) {
  seedSettlement(db);
  return {
    applicant: person(db, 'data-applicant', []),
    officer: person(db, 'data-officer', ['settlement_officer']),
    approver: person(db, 'data-approver', ['settlement_approver']),
  };
}

const future = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

/** One case taken through the services to `ending`; a decision is dated `decisionDays` after submission. */
export function seedCase(db: Db, people: ReturnType<typeof settlementPeople>, route: Route, ending: Ending, decisionDays = 10): Seeded {
  const { applicant, officer, approver } = people;
  const spec = ROUTES[route];
  const { id } = createApplication(db, applicant, route);
  saveAnswers(db, applicant, id, spec.answers);
  for (const item of spec.documents) recordDocument(db, applicant, id, item, { storedName: `data-${id}-${item}`, originalName: `${item}.pdf`, size: 64, sha256: '0'.repeat(64), type: 'pdf' });
  submitApplication(db, applicant, id);
  const seeded: Seeded = { id, route, ending, asked: false };
  if (ending === 'submitted') return seeded;
  if (ending === 'withdrawn') {
    transition(db, applicant, id, { to: 'withdrawn', text: 'Changed my plans.' });
    return seeded;
  }
  transition(db, officer, id, { to: 'accepted' });
  if (ending === 'accepted') return seeded;
  transition(db, officer, id, { to: 'in_review' });
  if (ending === 'in_review') return seeded;
  if (ending === 'information_requested' || ending === 'lapsed' || ending === 'approved_asked') {
    transition(db, officer, id, { to: 'information_requested', items: ['identity'], dueDate: future(14), text: 'Please send a clearer scan.' });
    seeded.asked = true;
    if (ending === 'information_requested') return seeded;
    if (ending === 'lapsed') {
      lapseOverdue(db, new Date(Date.now() + 30 * DAY), id);
      return seeded;
    }
    transition(db, applicant, id, { to: 'in_review', text: 'Sent again.' });
  }
  const approve = ending !== 'refused';
  transition(db, officer, id, { to: approve ? 'recommended_approve' : 'recommended_refuse', reasons: [approve ? 'criteria_met' : 'criteria_not_met'], text: 'Reasons written out in full.' });
  if (ending === 'recommended_approve') return seeded;
  const submittedAt = db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!.submittedAt!;
  transition(db, approver, id, { to: approve ? 'approved' : 'refused', reasons: [approve ? 'criteria_met' : 'criteria_not_met'], text: 'Decision reasons in full.' }, new Date(submittedAt.getTime() + decisionDays * DAY));
  return seeded;
}

/** The cases the open-data tests publish figures about. */
export function seedSettlementCases(db: Db): Seeded[] {
  const people = settlementPeople(db);
  const plan: [Route, Ending, number][] = [
    ...Array.from({ length: 10 }, (_, i): [Route, Ending, number] => [BIG, 'approved', 5 + i]),
    ...Array.from({ length: 2 }, (_, i): [Route, Ending, number] => [BIG, 'approved_asked', 30 + i]),
    ...Array.from({ length: 10 }, (_, i): [Route, Ending, number] => [BIG, 'refused', 8 + 2 * i]),
    ...Array.from({ length: 10 }, (): [Route, Ending, number] => [BIG, 'withdrawn', 0]),
    ...Array.from({ length: 10 }, (): [Route, Ending, number] => [BIG, 'lapsed', 0]),
    ...Array.from({ length: 11 }, (): [Route, Ending, number] => [BIG, 'submitted', 0]),
    ...Array.from({ length: 3 }, (): [Route, Ending, number] => [BIG, 'recommended_approve', 0]),
    [BIG, 'information_requested', 0],
    ...Array.from({ length: 3 }, (_, i): [Route, Ending, number] => [SMALL, 'approved', 3 + i]),
    ...Array.from({ length: 2 }, (): [Route, Ending, number] => [SMALL, 'refused', 4]),
    [SMALL, 'submitted', 0],
  ];
  return plan.map(([route, ending, days]) => seedCase(db, people, route, ending, days));
}
