/** The scheme service, credit roles and conflicts of interest on a real migrated database with the demo seed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, sql } from 'drizzle-orm';
import { auditLog, creditConflicts, creditRoles, creditSchemes, organizations, standards, users } from '../db/schema';
import { seed } from '../db/seed';
import { seededScheme } from '../db/seed/credit';
import type { SessionUser } from '../src/lib/auth/sessions';
import { conflicted, isAssessor, isCommittee } from '../src/lib/credit/policy';
import { declareConflict, grantCreditRole, revokeCreditRole } from '../src/lib/credit/roles';
import { createScheme, schemeDetail, transitionScheme } from '../src/lib/credit/schemes';
import { ratableEntityProblem } from '../src/lib/credit/entities';
import { Conflict, Forbidden, Invalid, NotFound } from '../src/lib/errors';
import { transitionStandard } from '../src/lib/standards/service';
import { testDb } from './helpers/db';

const db = testDb();
const BODY = 'shanghai-cross-border-e-commerce-association';
const who = (email: string): SessionUser => {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${email}`).get()!;
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: [] };
};
let owner: SessionUser;
let bodyId: number;
let standardId: number;

const settings = { name: 'Trial grading', validityMonths: 36, surveillanceMonths: 12, noticeDays: 7, complaintResponseDays: 14, complaintThreshold: 5, complaintWindowMonths: 12, commitmentText: 'We declare that everything we provide is true.' };

beforeAll(async () => {
  await seed(db);
  owner = who('standards@demo.portal.test');
  bodyId = db.select().from(organizations).where(eq(organizations.slug, BODY)).get()!.id;
  standardId = seededScheme(db)!.standardId;
});
afterAll(() => db.cleanup());

describe('the seeded scheme', () => {
  it('is active on a published SCBEA standard, parsed from A.1 and 5.1, with the credit roles named, and seeding again adds nothing', async () => {
    const scheme = seededScheme(db)!;
    expect(scheme).toMatchObject({ state: 'active', indicatorClause: 'A.1', bandClause: '5.1', standardVersion: 1, validityMonths: 36, noticeDays: 7 });
    expect(scheme.standardNumber).toMatch(/^T\/SCBEA 001—\d{4}$/);
    expect(scheme.indicators.map((i) => [i.key, i.maxPoints, i.clause])).toEqual([['i1', 40, '4.1'], ['i2', 35, '4.2'], ['i3', 25, '4.3']]);
    expect(scheme.bands.map((b) => `${b.grade}≥${b.minScore}`)).toEqual(['AAA≥90', 'AA≥80', 'A≥70', 'B≥60', 'C≥0']);
    const standard = db.select().from(standards).where(eq(standards.id, scheme.standardId)).get()!;
    expect(standard.state).toBe('published');
    // the drafting demo's copy is still in public comment
    expect(db.select().from(standards).where(and(eq(standards.organizationId, bodyId), eq(standards.state, 'public_comment'))).all()).toHaveLength(1);
    expect(isAssessor(db, who('assessor@demo.portal.test'), bodyId)).toBe(true);
    expect(isCommittee(db, who('committee@demo.portal.test'), bodyId)).toBe(true);
    expect(isCommittee(db, owner, bodyId)).toBe(true);
    expect(isAssessor(db, who('committee@demo.portal.test'), bodyId)).toBe(false);
    const counts = () => [creditSchemes, standards, creditRoles].map((t) => db.select({ n: sql<number>`count(*)` }).from(t).get()!.n);
    const before = counts();
    await seed(db);
    expect(counts()).toEqual(before);
  });
});

describe('creating and moving schemes', () => {
  it('creates a draft only from a published standard, by the body’s owners and editors, and hides the draft from others', () => {
    expect(() => createScheme(db, who('assessor@demo.portal.test'), { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings })).toThrow(Forbidden);
    const commentDraft = db.select().from(standards).where(and(eq(standards.organizationId, bodyId), eq(standards.state, 'public_comment'))).get()!;
    expect(() => createScheme(db, owner, { standardId: commentDraft.id, indicatorClause: 'A.1', bandClause: '5.1', ...settings })).toThrow(Conflict);
    const bad = (() => {
      try {
        createScheme(db, owner, { standardId, indicatorClause: '4.1', bandClause: '5.1', ...settings });
      } catch (err) {
        return err as Invalid;
      }
    })();
    expect(bad).toBeInstanceOf(Invalid);
    expect(bad!.fields).toEqual({ indicatorClause: ['Clause 4.1 has no table of indicators (indicator, maximum points or weight).'] });
    const draft = createScheme(db, owner, { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings });
    expect(draft).toMatchObject({ state: 'draft', standardNumber: seededScheme(db)!.standardNumber, createdBy: owner.id });
    expect(() => schemeDetail(db, who('assessor@demo.portal.test'), draft.id)).toThrow(NotFound);
    expect(() => schemeDetail(db, null, draft.id)).toThrow(NotFound);
    expect(schemeDetail(db, owner, draft.id).nextStates).toEqual(['active']);
  });

  it('activates a draft and retires an active scheme; every other move is a 409 with the reason', () => {
    const draft = createScheme(db, owner, { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings });
    expect(() => transitionScheme(db, owner, draft.id, 'retired')).toThrow(/Only an active scheme can be retired\. This one is draft\./);
    expect(() => transitionScheme(db, who('assessor@demo.portal.test'), draft.id, 'active')).toThrow(NotFound);
    expect(transitionScheme(db, owner, draft.id, 'active').state).toBe('active');
    expect(() => transitionScheme(db, owner, draft.id, 'active')).toThrow(/Only a draft scheme can be activated\. This one is active\./);
    expect(transitionScheme(db, owner, draft.id, 'retired').state).toBe('retired');
    expect(() => transitionScheme(db, owner, draft.id, 'active')).toThrow(Conflict);
    expect(schemeDetail(db, null, draft.id).view.state).toBe('retired');
    const actions = db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.subjectType, 'credit_scheme'), eq(auditLog.subjectId, String(draft.id)))).all().map((a) => a.action);
    expect(actions).toEqual(['credit.scheme.create', 'credit.scheme.transition', 'credit.scheme.transition']);
  });

  it('gives the active schemes a transition deadline 12 months after their standard is withdrawn', () => {
    const active = createScheme(db, owner, { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings });
    transitionScheme(db, owner, active.id, 'active');
    const draft = createScheme(db, owner, { standardId, indicatorClause: 'A.1', bandClause: '5.1', ...settings });
    const now = new Date('2027-03-10T02:00:00Z');
    transitionStandard(db, owner, standardId, { to: 'under_review' }, now);
    expect(db.select().from(creditSchemes).where(eq(creditSchemes.id, active.id)).get()!.transitionDeadline).toBeNull();
    transitionStandard(db, owner, standardId, { to: 'withdrawn', reason: 'Superseded by a national standard' }, now);
    const deadline = (id: number) => db.select().from(creditSchemes).where(eq(creditSchemes.id, id)).get()!.transitionDeadline;
    expect(deadline(active.id)).toBe('2028-03-10');
    expect(deadline(seededScheme(db)!.id)).toBe('2028-03-10');
    expect(deadline(draft.id)).toBeNull();
    // a withdrawn standard carries no new scheme into force
    expect(() => transitionScheme(db, owner, draft.id, 'active')).toThrow(/no longer in force/);
  });
});

describe('credit roles and conflicts of interest', () => {
  it('are named by the body’s owner among its members, and removed by them', () => {
    const researcher = who('researcher@demo.portal.test');
    expect(() => grantCreditRole(db, who('assessor@demo.portal.test'), BODY, { email: 'researcher@demo.portal.test', role: 'assessor' })).toThrow(Forbidden);
    expect(() => grantCreditRole(db, owner, BODY, { email: 'seller@demo.portal.test', role: 'assessor' })).toThrow(/Only members of the industry body can be named/);
    expect(() => grantCreditRole(db, who('seller@demo.portal.test'), BODY, { email: 'researcher@demo.portal.test', role: 'assessor' })).toThrow(NotFound);
    expect(grantCreditRole(db, owner, BODY, { email: 'Researcher@demo.portal.test', role: 'assessor' })).toMatchObject({ role: 'assessor', added: true });
    expect(grantCreditRole(db, owner, BODY, { email: 'researcher@demo.portal.test', role: 'assessor' }).added).toBe(false);
    expect(isAssessor(db, researcher, bodyId)).toBe(true);
    revokeCreditRole(db, owner, BODY, { userId: researcher.id, role: 'assessor' });
    expect(isAssessor(db, researcher, bodyId)).toBe(false);
    expect(() => revokeCreditRole(db, owner, BODY, { userId: researcher.id, role: 'assessor' })).toThrow(NotFound);
  });

  it('are declared by assessors and committee members on a company, which they then may not take', () => {
    const assessor = who('assessor@demo.portal.test');
    const company = db.select().from(organizations).where(eq(organizations.slug, 'lingang-digital-goods')).get()!;
    expect(conflicted(db, assessor, company.id)).toBe(false);
    expect(() => declareConflict(db, who('seller@demo.portal.test'), { entitySlug: company.slug, reason: 'Friend of the founder' })).toThrow(Forbidden);
    expect(() => declareConflict(db, assessor, { entitySlug: BODY, reason: 'Not a company' })).toThrow(Invalid);
    declareConflict(db, assessor, { entitySlug: company.slug, reason: 'My brother works there' });
    declareConflict(db, assessor, { entitySlug: company.slug, reason: 'My brother is its finance director' });
    expect(db.select().from(creditConflicts).where(eq(creditConflicts.userId, assessor.id)).all().map((c) => c.reason)).toEqual(['My brother is its finance director']);
    expect(conflicted(db, assessor, company.id)).toBe(true);
  });
});

describe('who can be rated', () => {
  it('is a verified company with a valid credit code', () => {
    const company = db.select().from(organizations).where(eq(organizations.slug, 'hongqiao-silk-road-trading')).get()!;
    expect(ratableEntityProblem(company)).toBeNull();
    expect(ratableEntityProblem({ ...company, creditCode: null })).toBe('no_credit_code');
    expect(ratableEntityProblem({ ...company, creditCode: '91350100M000100Y44' })).toBe('bad_credit_code');
    expect(ratableEntityProblem({ ...company, status: 'pending' })).toBe('not_verified');
    expect(ratableEntityProblem(db.select().from(organizations).where(eq(organizations.slug, BODY)).get()!)).toBe('not_company');
  });
});
