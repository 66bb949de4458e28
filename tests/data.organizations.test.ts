/**
 * Open data, organizations theme (issue 18): every figure of every dataset equals a count made
 * here, in JavaScript, from the organizations, courses, credit certificates, complaints and
 * appeals this test made through the services (and the credit test helpers, which issue
 * certificates as the grant does). Pending and rejected organizations count nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { courseInput } from '../src/lib/courses/schemas';
import { createCourse, publishCourse } from '../src/lib/courses/service';
import { decideAppeal, fileAppeal } from '../src/lib/credit/appeals';
import { fileComplaint, transitionComplaint } from '../src/lib/credit/complaints';
import { datasetById } from '../src/lib/data/registry';
import { organizationsDatasets } from '../src/lib/data/themes/organizations';
import type { Row } from '../src/lib/data/types';
import { createOrganization, rejectOrganization, verifyOrganization } from '../src/lib/organizations/service';
import { activeScheme, assessmentOnNotice, BODY_SLUG, nameCreditRole, publicCertificate } from './helpers/credit';
import { testDb } from './helpers/db';
import { expectRowsFit, expectWellFormed } from './helpers/dataset-shape';
import type { TestServer } from './helpers/server';

const db = testDb();
afterAll(() => db.cleanup());
/** The credit helpers arrange rows through `server.db` only; a migrated database of our own serves them. */
const server = { db } as unknown as TestServer;

function account(email: string, roles: string[] = []): SessionUser {
  const id = email.replace(/[^a-z0-9]+/g, '-');
  db.insert(users).values({ id, email, displayName: id, passwordHash: 'x', emailVerifiedAt: new Date() }).run();
  return { id, email, displayName: id, locale: 'en', roles: roles as SessionUser['roles'] };
}

type Status = 'verified' | 'pending' | 'rejected';
interface PlannedOrg {
  name: string;
  type: 'industry_body' | 'university' | 'training_agency' | 'company' | 'ngo' | 'research_facility';
  status: Status;
  owner: string;
  code?: string;
  slug?: string;
}
const ORGS: PlannedOrg[] = [
  { name: 'Shanghai Cross-border E-commerce Association', type: 'industry_body', status: 'verified', owner: 'body', code: 'SCBEA' },
  { name: 'Fudan Trade School', type: 'university', status: 'verified', owner: 'fudan' },
  { name: 'Tongji Logistics Institute', type: 'university', status: 'pending', owner: 'tongji' },
  { name: 'Pudong Training Centre', type: 'training_agency', status: 'verified', owner: 'pudong' },
  { name: 'Hongqiao Silk Road Trading', type: 'company', status: 'verified', owner: 'seller' },
  { name: 'Lingang Digital Goods', type: 'company', status: 'verified', owner: 'seller' },
  { name: 'Waigaoqiao Export Services', type: 'company', status: 'verified', owner: 'wgq' },
  { name: 'Minhang Parcel Company', type: 'company', status: 'pending', owner: 'minhang' },
  { name: 'Songjiang Sourcing', type: 'company', status: 'rejected', owner: 'songjiang' },
  { name: 'Green Trade Network', type: 'ngo', status: 'rejected', owner: 'green' },
  { name: 'Yangpu Research Lab', type: 'research_facility', status: 'verified', owner: 'yangpu' },
];
const org = (name: string) => ORGS.find((o) => o.name.startsWith(name))!;

/** Courses: who leads, who partners, whether published. Only verified organizations may publish. */
const COURSES = [
  { lead: 'Fudan', partners: [] as string[], published: true },
  { lead: 'Pudong', partners: ['Waigaoqiao'], published: true },
  { lead: 'Yangpu', partners: ['Fudan'], published: false },
];

type CertState = 'active' | 'suspended' | 'withdrawn' | 'expired' | 'superseded' | 'surrendered';
interface PlannedCertificate {
  entity: string;
  scheme: 1 | 2 | 3;
  scores: { i1: number; i2: number; i3: number };
  grade: string;
  state: CertState;
  id?: number;
}
/** Grades follow the helper scheme's bands (AAA ≥ 90, AA ≥ 80, A ≥ 70, B ≥ 60). */
const CERTIFICATES: PlannedCertificate[] = [
  { entity: 'Hongqiao', scheme: 1, scores: { i1: 40, i2: 35, i3: 20 }, grade: 'AAA', state: 'active' },
  { entity: 'Lingang', scheme: 1, scores: { i1: 30, i2: 30, i3: 20 }, grade: 'AA', state: 'suspended' },
  { entity: 'Waigaoqiao', scheme: 1, scores: { i1: 30, i2: 25, i3: 15 }, grade: 'A', state: 'withdrawn' },
  { entity: 'Waigaoqiao', scheme: 2, scores: { i1: 35, i2: 30, i3: 20 }, grade: 'AA', state: 'suspended' },
  { entity: 'Hongqiao', scheme: 2, scores: { i1: 30, i2: 20, i3: 15 }, grade: 'B', state: 'expired' },
  { entity: 'Lingang', scheme: 2, scores: { i1: 30, i2: 20, i3: 10 }, grade: 'B', state: 'active' },
  // Issued under the same scheme to the same company, it supersedes the one before.
  { entity: 'Lingang', scheme: 2, scores: { i1: 40, i2: 32, i3: 20 }, grade: 'AAA', state: 'active' },
  { entity: 'Hongqiao', scheme: 3, scores: { i1: 38, i2: 30, i3: 20 }, grade: 'AA', state: 'surrendered' },
];

type Stage = 'open' | 'answered' | 'replied' | 'resolved' | 'unresolved' | 'unanswered' | 'not_accepted';
const COMPLAINTS: { entity: string; stage: Stage }[] = [
  { entity: 'Hongqiao', stage: 'open' },
  { entity: 'Hongqiao', stage: 'answered' },
  { entity: 'Hongqiao', stage: 'replied' },
  { entity: 'Hongqiao', stage: 'resolved' },
  { entity: 'Hongqiao', stage: 'unresolved' },
  { entity: 'Hongqiao', stage: 'unanswered' },
  { entity: 'Hongqiao', stage: 'not_accepted' },
  { entity: 'Waigaoqiao', stage: 'open' },
];

type Subject = 'refusal' | 'suspension' | 'withdrawal';
const APPEALS: { subject: Subject; certificate?: number; decision: 'open' | 'upheld' | 'dismissed' }[] = [
  { subject: 'suspension', certificate: 1, decision: 'upheld' },
  { subject: 'suspension', certificate: 3, decision: 'dismissed' },
  { subject: 'withdrawal', certificate: 2, decision: 'open' },
  { subject: 'refusal', decision: 'dismissed' },
];

beforeAll(() => {
  const admin = account('admin@example.com', ['admin']);
  const owners = new Map(['body', 'fudan', 'tongji', 'pudong', 'seller', 'wgq', 'minhang', 'songjiang', 'green', 'yangpu'].map((n) => [n, account(`${n}@example.com`)]));
  for (const o of ORGS) {
    o.slug = createOrganization(db, owners.get(o.owner)!, { name: o.name, type: o.type, ...(o.code ? { code: o.code } : {}) }).slug;
    if (o.status === 'verified') verifyOrganization(db, admin, o.slug);
    if (o.status === 'rejected') rejectOrganization(db, admin, o.slug, 'Registration papers do not match the name.');
  }
  expect(org('Shanghai').slug).toBe(BODY_SLUG);

  for (const c of COURSES) {
    const lead = org(c.lead);
    const input = courseInput.parse({
      organizationSlug: lead.slug!,
      partnerSlugs: c.partners.map((p) => org(p).slug!),
      title: `A course by ${lead.name}`,
      summary: 'A course made for the open-data figures.',
      category: 'logistics',
      languages: ['zh-cn'],
      mode: 'online',
      priceCny: 0,
    });
    const course = createCourse(db, owners.get(lead.owner)!, input);
    if (c.published) publishCourse(db, owners.get(lead.owner)!, course.id);
  }

  // The credit helpers name these demo accounts as the body's assessor and committee member.
  account('assessor@demo.portal.test');
  account('seller@demo.portal.test');
  const committee = account('committee@demo.portal.test');
  const committee2 = account('committee2@demo.portal.test');
  const schemes = [activeScheme(server).schemeId, activeScheme(server).schemeId, activeScheme(server).schemeId];
  nameCreditRole(server, 'committee2@demo.portal.test', 'committee');

  for (const c of CERTIFICATES) {
    const issued = publicCertificate(server, { entitySlug: org(c.entity).slug!, schemeId: schemes[c.scheme - 1], scores: c.scores, ...(c.state === 'superseded' ? {} : { state: c.state }), reason: 'Recorded for the test' });
    expect(issued.grade, c.entity).toBe(c.grade);
    c.id = issued.id;
  }
  CERTIFICATES[5]!.state = 'superseded';

  const ownerOf = (entity: string) => owners.get(org(entity).owner)!;
  for (const a of APPEALS) {
    let appealId: number;
    if (a.certificate !== undefined) {
      const c = CERTIFICATES[a.certificate]!;
      appealId = fileAppeal(db, ownerOf(c.entity), { certificate: c.id!, grounds: 'The decision rests on a misread report.' }).id;
      if (a.decision === 'upheld') c.state = 'active';
    } else {
      const assessment = assessmentOnNotice(server, { schemeId: schemes[0]!, entitySlug: org('Hongqiao').slug!, state: 'refused', decidedAt: new Date() });
      appealId = fileAppeal(db, ownerOf('Hongqiao'), { assessment, grounds: 'The indicators were scored on last year’s figures.' }).id;
    }
    if (a.decision !== 'open') decideAppeal(db, committee2, appealId, { decision: a.decision, reason: 'Decided on the file.' });
  }

  const later = new Date(Date.now() + 30 * 86_400_000);
  COMPLAINTS.forEach((c, i) => {
    const complainant = account(`complainant${i}@example.com`);
    const id = fileComplaint(db, complainant, { entity: org(c.entity).slug!, category: 'delivery', text: 'The parcel arrived six weeks late and damaged.' }).id;
    const answer = () => transitionComplaint(db, ownerOf(c.entity), id, { to: 'answered', text: 'We refunded the order and changed carrier.' });
    const reply = () => transitionComplaint(db, complainant, id, { to: 'replied', text: 'The refund came, but only in part.' });
    const close = (outcome: 'resolved' | 'unresolved' | 'unanswered' | 'not_accepted', now?: Date) =>
      transitionComplaint(db, committee, id, { to: 'closed', outcome, reason: 'Closed on the exchanges above.' }, now);
    if (['answered', 'replied', 'resolved', 'unresolved'].includes(c.stage)) answer();
    if (['replied', 'unresolved'].includes(c.stage)) reply();
    if (c.stage === 'resolved' || c.stage === 'unresolved' || c.stage === 'not_accepted') close(c.stage);
    if (c.stage === 'unanswered') close('unanswered', later);
  });
});

const compute = (id: string): Row[] => datasetById(id)!.compute(db);
const CURRENT = ['active', 'suspended'];

describe('organizations datasets', () => {
  it('are well formed and registered, and their rows fit their columns', () => {
    expectWellFormed(organizationsDatasets, 'organizations');
    for (const d of organizationsDatasets) {
      expect(datasetById(d.id)).toBe(d);
      const rows = d.compute(db);
      expect(rows.length, d.id).toBeGreaterThan(0);
      expectRowsFit(d, rows);
    }
  });

  it('organizations by type count verified ones only, with those providing published courses and those holding a current credit certificate', () => {
    const rows = compute('organizations-by-type');
    expect(rows.map((r) => r.type)).toEqual(['university', 'training_agency', 'industry_body', 'company', 'ngo', 'research_facility', 'government']);
    const verified = ORGS.filter((o) => o.status === 'verified');
    for (const row of rows) {
      const ofType = verified.filter((o) => o.type === row.type);
      const providers = ofType.filter((o) => COURSES.some((c) => c.published && (o.name.startsWith(c.lead) || c.partners.some((p) => o.name.startsWith(p)))));
      const rated = ofType.filter((o) => CERTIFICATES.some((c) => o.name.startsWith(c.entity) && CURRENT.includes(c.state)));
      expect(row, String(row.type)).toEqual({ type: row.type, organizations: ofType.length, course_providers: providers.length, rated: rated.length });
    }
    // Pending Tongji, Minhang and rejected Songjiang, Green Trade count nowhere; Yangpu's draft course makes no provider.
    expect(rows.find((r) => r.type === 'company')).toEqual({ type: 'company', organizations: 3, course_providers: 1, rated: 3 });
    expect(rows.find((r) => r.type === 'ngo')).toEqual({ type: 'ngo', organizations: 0, course_providers: 0, rated: 0 });
    expect(rows.find((r) => r.type === 'research_facility')).toEqual({ type: 'research_facility', organizations: 1, course_providers: 0, rated: 0 });
  });

  it('credit grades count current certificates (active or suspended), every grade of the ladder listed best first', () => {
    const current = CERTIFICATES.filter((c) => CURRENT.includes(c.state));
    expect(compute('credit-grades')).toEqual(
      ['AAA', 'AA', 'A', 'B', 'C'].map((grade) => ({ grade, active: current.filter((c) => c.grade === grade && c.state === 'active').length, suspended: current.filter((c) => c.grade === grade && c.state === 'suspended').length })),
    );
    // The withdrawn A, the expired and the superseded B and the surrendered AA are not current.
    expect(compute('credit-grades').slice(0, 3)).toEqual([
      { grade: 'AAA', active: 2, suspended: 0 },
      { grade: 'AA', active: 1, suspended: 1 },
      { grade: 'A', active: 0, suspended: 0 },
    ]);
  });

  it('credit certificates by state, every state listed', () => {
    expect(compute('credit-certificate-states')).toEqual(
      ['active', 'suspended', 'withdrawn', 'expired', 'superseded', 'surrendered'].map((state) => ({ state, certificates: CERTIFICATES.filter((c) => c.state === state).length })),
    );
  });

  it('credit complaints by stage: open ones by state, closed ones by outcome, counts only', () => {
    const rows = compute('credit-complaints');
    expect(rows).toEqual(['open', 'answered', 'replied', 'resolved', 'unresolved', 'unanswered', 'not_accepted'].map((stage) => ({ stage, complaints: COMPLAINTS.filter((c) => c.stage === stage).length })));
    for (const row of rows) expect(Object.keys(row).sort()).toEqual(['complaints', 'stage']);
  });

  it('credit appeals by subject and outcome', () => {
    expect(compute('credit-appeals')).toEqual(
      (['refusal', 'suspension', 'withdrawal'] as const).map((subject) => {
        const of = APPEALS.filter((a) => a.subject === subject);
        return { subject, appeals: of.length, open: of.filter((a) => a.decision === 'open').length, upheld: of.filter((a) => a.decision === 'upheld').length, dismissed: of.filter((a) => a.decision === 'dismissed').length };
      }),
    );
  });
});
