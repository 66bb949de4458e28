/**
 * Credit certification demo: SCBEA's grading standard published through the standards lifecycle
 * (a second copy of the seed text: the first stays in public comment for the drafting demo), an
 * active scheme built from its clauses A.1 (weights) and 5.1 (grade bands), and SCBEA's credit
 * roles. The standard went through the lifecycle about a year ago, so it carries last year's
 * T/ number. Idempotent: each piece is made only when missing.
 */
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { creditSchemes, organizations, standards, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { grantCreditRole } from '../../src/lib/credit/roles';
import { createScheme, transitionScheme } from '../../src/lib/credit/schemes';
import { eligibleVoterIds } from '../../src/lib/standards/policy';
import { addVersion, castVote, proposeStandard, transitionStandard } from '../../src/lib/standards/service';
import { DEMO_ACCOUNTS } from './demo-accounts';
import { SEED_STANDARD_MD, SEED_STANDARD_TITLE } from './standards';

const BODY_SLUG = 'shanghai-cross-border-e-commerce-association';
const DAY = 86_400_000;

export const SEED_SCHEME = {
  name: 'SCBEA seller credit grading',
  nameZh: 'SCBEA 卖家信用等级评价',
  commitmentText: 'We declare that the information and evidence we provide are true and complete, that we will report any serious violation during the validity of the grade, and that we accept the body’s surveillance and the withdrawal of the grade if this commitment is broken.',
  commitmentTextZh: '本企业承诺：所提供的信息和证明材料真实、完整；在等级有效期内发生重大违规的，主动报告；接受评价机构的监督，违反承诺的，接受撤销信用等级的处理。',
};

function sessionUser(db: Db, email: string): SessionUser {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${email}`).get();
  if (!u) throw new Error(`seed: ${email} is missing; run the foundation seed first`);
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: [] };
}

/** The published SCBEA grading standard, taken through every stage of its lifecycle by the body's people. */
function publishGradingStandard(db: Db, bodyId: number, owner: SessionUser) {
  const existing = db
    .select()
    .from(standards)
    .where(and(eq(standards.organizationId, bodyId), eq(standards.title, SEED_STANDARD_TITLE), isNotNull(standards.number)))
    .get();
  if (existing) return existing;
  // Published more than a year ago, so its number is last year's and this year's sequence is untouched.
  const start = Date.now() - 430 * DAY;
  const at = (days: number) => new Date(start + days * DAY);
  const s = proposeStandard(db, owner, { organizationSlug: BODY_SLUG, title: SEED_STANDARD_TITLE, titleZh: '跨境电子商务卖家信用等级评价规范', scopeMd: '上海跨境电商卖家信用等级的评价方法。\n\nThe method for grading the credit of Shanghai cross-border sellers.' }, at(0));
  transitionStandard(db, owner, s.id, { to: 'project_approved', reason: '2025 年团体标准立项 2025 batch of projects' }, at(1));
  transitionStandard(db, owner, s.id, { to: 'drafting' }, at(2));
  addVersion(db, owner, s.id, { bodyMd: SEED_STANDARD_MD, note: '征求意见稿 Draft for comment' }, at(3));
  transitionStandard(db, owner, s.id, { to: 'public_comment', commentPeriodDays: 30 }, at(4));
  transitionStandard(db, owner, s.id, { to: 'comment_resolution' }, at(35));
  transitionStandard(db, owner, s.id, { to: 'review_ballot' }, at(36));
  for (const voterId of eligibleVoterIds(db, s)) {
    const voter = db.select().from(users).where(eq(users.id, voterId)).get()!;
    castVote(db, { id: voter.id, email: voter.email, displayName: voter.displayName, locale: voter.locale, roles: [] }, s.id, { position: 'approve' }, at(37));
  }
  transitionStandard(db, owner, s.id, { to: 'approved' }, at(40));
  return transitionStandard(db, owner, s.id, { to: 'published' }, at(41)).standard;
}

export function seedCreditSchemes(db: Db) {
  const body = db.select().from(organizations).where(eq(organizations.slug, BODY_SLUG)).get();
  if (!body) return;
  const owner = sessionUser(db, DEMO_ACCOUNTS.standards.email);
  const standard = publishGradingStandard(db, body.id, owner);
  if (!db.select({ id: creditSchemes.id }).from(creditSchemes).where(eq(creditSchemes.standardId, standard.id)).get()) {
    // built soon after the standard was published, so the demo's year-old certificates come after it
    const since = new Date((standard.publishedAt ?? new Date()).getTime() + DAY);
    const scheme = createScheme(db, owner, { standardId: standard.id, indicatorClause: 'A.1', bandClause: '5.1', validityMonths: 36, surveillanceMonths: 12, noticeDays: 7, complaintResponseDays: 14, complaintThreshold: 5, complaintWindowMonths: 12, ...SEED_SCHEME }, since);
    transitionScheme(db, owner, scheme.id, 'active', since);
  }
  for (const [who, role] of [['assessor', 'assessor'], ['committee', 'committee'], ['standards', 'committee']] as const) {
    grantCreditRole(db, owner, BODY_SLUG, { email: DEMO_ACCOUNTS[who].email, role });
  }
}

/** The demo's active SCBEA scheme (for other seed parts), or undefined before `seedCreditSchemes` ran. */
export function seededScheme(db: Db) {
  const body = db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, BODY_SLUG)).get();
  if (!body) return undefined;
  return db
    .select()
    .from(creditSchemes)
    .where(and(eq(creditSchemes.organizationId, body.id), eq(creditSchemes.name, SEED_SCHEME.name), eq(creditSchemes.state, 'active')))
    .get();
}
