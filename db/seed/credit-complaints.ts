/**
 * Demo data for complaints: one open complaint by the demo student against the first company with
 * an active certificate, filed through the service (so it is notified and audited like any other).
 * Runs after the rated demo companies are seeded; does nothing while no company is rated, or once a
 * complaint exists.
 */
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../client';
import { creditCertificates, creditComplaints, organizations, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { fileComplaint } from '../../src/lib/credit/complaints';
import { DEMO_ACCOUNTS } from './demo-accounts';

export function seedCreditComplaints(db: Db) {
  if (db.select({ id: creditComplaints.id }).from(creditComplaints).limit(1).get()) return;
  const rated = db
    .select({ slug: organizations.slug, schemeId: creditCertificates.schemeId })
    .from(creditCertificates)
    .innerJoin(organizations, eq(organizations.id, creditCertificates.entityId))
    .where(eq(creditCertificates.state, 'active'))
    .orderBy(asc(creditCertificates.id))
    .get();
  if (!rated) return;
  const student = db.select({ id: users.id, email: users.email, displayName: users.displayName, locale: users.locale }).from(users).where(eq(users.email, DEMO_ACCOUNTS.student.email)).get();
  if (!student) return;
  const complainant: SessionUser = { ...student, roles: [] };
  fileComplaint(db, complainant, {
    entity: rated.slug,
    scheme: rated.schemeId,
    category: 'delivery',
    text: '2026年11月3日下单的商品到货时外包装破损，两次联系客服均未得到回复。 The parcel ordered on 3 November 2026 arrived damaged; two messages to customer service went unanswered.',
  });
}
