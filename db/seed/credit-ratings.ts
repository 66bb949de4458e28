/**
 * Rated demo companies, made through the credit services by the demo people, on dates that make
 * each state true today (the services take `now`):
 * - hongqiao-silk-road-trading (seller@): granted AAA a year and a few days ago, its annual
 *   surveillance recorded ten days ago, so its certificate is active;
 * - pujiang-bridge-logistics (provider@, editor): granted AA a year ago, suspended three weeks ago by
 *   the committee with a reason (within the six months a suspension may last);
 * - lingang-digital-goods (seller@): decided two days ago and on public notice now, with one
 *   objection by the demo researcher waiting for the committee's disposition.
 * assessor@ screens and scores every case; committee@ decides and grants (four eyes). Both
 * certificates are numbered in last year's sequence, so this year's numbering starts at 00001.
 * No evidence files: the evidence service records a file already received by the upload path
 * (`receiveUpload`, into the server's DATA_DIR), which a seed run from another process cannot share.
 * Idempotent: a company with any assessment under the scheme is left as it is.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { creditAssessments, organizations, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { createAssessment, saveAnswers, transitionAssessment, type Scheme } from '../../src/lib/credit/assessments';
import { recordSurveillance, transitionCertificate } from '../../src/lib/credit/certificates';
import { shanghaiDay } from '../../src/i18n';
import { fileObjection } from '../../src/lib/credit/objections';
import { DEMO_ACCOUNTS, type DemoRole } from './demo-accounts';
import { seededScheme } from './credit';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

function person(db: Db, who: DemoRole): SessionUser {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${DEMO_ACCOUNTS[who].email}`).get();
  if (!u) throw new Error(`seed: ${DEMO_ACCOUNTS[who].email} is missing; run the foundation seed first`);
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: [] };
}

interface Rating {
  slug: string;
  applicant: DemoRole;
  /** Share of each indicator's maximum the assessor gives (and the applicant claims). */
  share: number;
  /** Days ago the application was opened; the later steps follow it. */
  appliedDaysAgo: number;
  statements: [en: string, zh: string];
}

/** Applies, answers, signs, submits, screens, scores and decides: the case ends on public notice at `decidedAt`. */
function decide(db: Db, scheme: Scheme, r: Rating): { id: number; noticeOpens: Date } {
  const applicant = person(db, r.applicant);
  const assessor = person(db, 'assessor');
  const committee = person(db, 'committee');
  const start = r.appliedDaysAgo;
  const { id } = createAssessment(db, applicant, { scheme: scheme.id, entity: r.slug }, ago(start));
  const points = (max: number) => Math.min(max, Math.round(max * r.share));
  const answers = Object.fromEntries(scheme.indicators.map((i) => [i.key, { points: points(i.maxPoints), statement: `${r.statements[1]}（${i.labelZh ?? i.label}） ${r.statements[0]} (${i.label})` }]));
  saveAnswers(db, applicant, id, { answers, commitment: true }, ago(start - 1));
  transitionAssessment(db, applicant, id, { to: 'submitted' }, ago(start - 1));
  transitionAssessment(db, assessor, id, { to: 'screening' }, ago(start - 2));
  transitionAssessment(db, assessor, id, { to: 'scoring' }, ago(start - 3));
  const scores = Object.fromEntries(
    scheme.indicators.map((i) => [i.key, { points: points(i.maxPoints), rationale: `核验了申报材料与平台数据（条款 ${i.clause}）。 Checked the filings and platform data against clause ${i.clause}.` }]),
  );
  transitionAssessment(db, assessor, id, { to: 'decision', scores }, ago(start - 5));
  const noticeOpens = ago(start - 7);
  transitionAssessment(db, committee, id, { to: 'public_notice' }, noticeOpens);
  return { id, noticeOpens };
}

/** Decides, then grants once the notice has closed; returns the certificate number. */
function grant(db: Db, scheme: Scheme, r: Rating): string {
  const { id } = decide(db, scheme, r);
  const grantedDaysAgo = r.appliedDaysAgo - 7 - scheme.noticeDays - 1;
  const granted = transitionAssessment(db, person(db, 'committee'), id, { to: 'granted' }, ago(grantedDaysAgo));
  return granted.certificate!;
}

export function seedCreditRatings(db: Db) {
  const scheme = seededScheme(db);
  if (!scheme) return;
  const rated = (slug: string) =>
    !!db
      .select({ id: creditAssessments.id })
      .from(creditAssessments)
      .innerJoin(organizations, eq(organizations.id, creditAssessments.entityId))
      .where(and(eq(creditAssessments.schemeId, scheme.id), eq(organizations.slug, slug)))
      .get();

  if (!rated('hongqiao-silk-road-trading')) {
    const number = grant(db, scheme, {
      slug: 'hongqiao-silk-road-trading',
      applicant: 'seller',
      share: 0.95,
      appliedDaysAgo: 385,
      statements: ['Licences, customs filings and platform records attached for the last 24 months.', '附近 24 个月的许可、海关备案和平台记录。'],
    });
    recordSurveillance(
      db,
      person(db, 'assessor'),
      number,
      { outcome: 'conforming', note: '年度监督：抽查 30 笔订单，履约与售后记录完整。 Annual surveillance: 30 orders sampled; fulfilment and after-sales records complete.', date: shanghaiDay(ago(10)) },
      ago(10),
    );
  }

  if (!rated('pujiang-bridge-logistics')) {
    const number = grant(db, scheme, {
      slug: 'pujiang-bridge-logistics',
      applicant: 'provider',
      share: 0.85,
      appliedDaysAgo: 380,
      statements: ['Warehouse licences, carrier contracts and delivery statistics attached.', '附仓储许可、承运合同和妥投统计。'],
    });
    transitionCertificate(
      db,
      person(db, 'committee'),
      number,
      {
        to: 'suspended',
        reason: '海关对其保税仓库存差异立案调查，结案前暂停信用等级。 Customs opened an investigation into stock discrepancies at its bonded warehouse; the grade is suspended until the case is closed.',
      },
      ago(20),
    );
  }

  if (!rated('lingang-digital-goods')) {
    const { id } = decide(db, scheme, {
      slug: 'lingang-digital-goods',
      applicant: 'seller',
      share: 0.82,
      appliedDaysAgo: 9,
      statements: ['Business licence, platform store ratings and after-sales policy attached.', '附营业执照、平台店铺评分和售后政策。'],
    });
    fileObjection(
      db,
      person(db, 'researcher'),
      { assessment: id, text: '该企业 2026 年第三季度在平台上有多起虚假宣传投诉，请核实“合规经营”得分。 The company had several misleading-advertising complaints on its platform in Q3 2026; please check the compliance score.' },
      ago(1),
    );
  }
}
