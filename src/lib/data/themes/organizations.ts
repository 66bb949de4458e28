/**
 * Open data (issue 18): the organizations theme's datasets.
 *
 * Public here means: organizations the platform has verified (the directory lists `verified` ones
 * only; pending and rejected applications are the applicant's and the admins' business); credit
 * certificates in every state, as the public certificate directory and verification page show
 * them; complaints and appeals as counts only (the public sees complaint counts on a rated
 * company's profile, never who complained or what about), never naming a party.
 */
import { count, eq, sql } from 'drizzle-orm';
import type { Db } from '@db/client';
import {
  APPEAL_STATES,
  APPEAL_SUBJECTS,
  CERTIFICATE_STATES,
  COMPLAINT_OUTCOMES,
  COMPLAINT_STATES,
  coursePartners,
  courses,
  creditAppeals,
  creditCertificates,
  creditComplaints,
  DEFAULT_GRADES,
  ORGANIZATION_TYPES,
  organizations,
} from '@db/schema';
import type { Dataset, Localized, Row } from '../types';

// Display names copied from src/i18n/dict/organizations.ts and credit-*.ts: a dataset carries its own dictionary.
const TYPE_CODES: Record<string, Localized> = {
  university: { 'zh-cn': '高等院校', en: 'University' },
  training_agency: { 'zh-cn': '培训机构', en: 'Training agency' },
  industry_body: { 'zh-cn': '行业组织', en: 'Industry body' },
  company: { 'zh-cn': '企业', en: 'Company' },
  ngo: { 'zh-cn': '社会组织', en: 'NGO' },
  research_facility: { 'zh-cn': '研究机构', en: 'Research facility' },
  government: { 'zh-cn': '政府部门', en: 'Government' },
};
const CERTIFICATE_STATE_CODES: Record<string, Localized> = {
  active: { 'zh-cn': '有效', en: 'Active' },
  suspended: { 'zh-cn': '暂停', en: 'Suspended' },
  withdrawn: { 'zh-cn': '撤销', en: 'Withdrawn' },
  expired: { 'zh-cn': '过期', en: 'Expired' },
  superseded: { 'zh-cn': '已被替代', en: 'Superseded' },
  surrendered: { 'zh-cn': '已注销', en: 'Surrendered' },
};
/** Where a complaint stands: its state while open, its outcome once closed. */
const COMPLAINT_STAGE_CODES: Record<string, Localized> = {
  open: { 'zh-cn': '待企业答复', en: 'Awaiting the company’s answer' },
  answered: { 'zh-cn': '企业已答复', en: 'Answered by the company' },
  replied: { 'zh-cn': '投诉人已回复', en: 'Complainant replied' },
  resolved: { 'zh-cn': '已结案：已解决', en: 'Closed: resolved' },
  unresolved: { 'zh-cn': '已结案：未解决', en: 'Closed: unresolved' },
  unanswered: { 'zh-cn': '已结案：企业未答复', en: 'Closed: unanswered' },
  not_accepted: { 'zh-cn': '已结案：不予受理', en: 'Closed: not accepted' },
};
const COMPLAINT_STAGES = [...COMPLAINT_STATES.filter((s) => s !== 'closed'), ...COMPLAINT_OUTCOMES];
const APPEAL_SUBJECT_CODES: Record<string, Localized> = {
  refusal: { 'zh-cn': '不予评定', en: 'Refusal' },
  suspension: { 'zh-cn': '证书暂停', en: 'Suspension' },
  withdrawal: { 'zh-cn': '证书撤销', en: 'Withdrawal' },
};

const VERIFIED = sql`${organizations.status} = 'verified'`;

const organizationsByType: Dataset = {
  id: 'organizations-by-type',
  theme: 'organizations',
  title: { 'zh-cn': '按类型统计的机构', en: 'Organizations by type' },
  description: {
    'zh-cn': '平台已认证的机构按类型统计，以及其中开设已发布课程的机构和持有有效或暂停信用证书的机构。待审核和未通过审核的机构不计入。',
    en: 'Organizations the portal has verified, by type, with how many of them provide published courses and how many hold a current (active or suspended) credit certificate. Pending and rejected applications are not counted.',
  },
  columns: [
    { key: 'type', type: 'string', label: { 'zh-cn': '机构类型', en: 'Type' }, meaning: { 'zh-cn': '机构类型代码。', en: 'The organization type code.' }, codes: TYPE_CODES },
    {
      key: 'organizations',
      type: 'integer',
      label: { 'zh-cn': '已认证机构', en: 'Verified organizations' },
      meaning: { 'zh-cn': '经平台认证的该类型机构数。', en: 'Organizations of this type the portal has verified.' },
    },
    {
      key: 'course_providers',
      type: 'integer',
      label: { 'zh-cn': '开课机构', en: 'Course providers' },
      meaning: { 'zh-cn': '其中作为主办或合作方开设至少一门已发布课程的机构数。', en: 'Of these, organizations leading or partnering at least one published course.' },
    },
    {
      key: 'rated',
      type: 'integer',
      label: { 'zh-cn': '持有信用证书', en: 'Holding a credit certificate' },
      meaning: { 'zh-cn': '其中持有有效或暂停状态信用证书的机构数。', en: 'Of these, organizations holding a credit certificate that is active or suspended.' },
    },
  ],
  chart: { kind: 'bar', x: 'type', y: ['organizations'] },
  compute(db) {
    // uncorrelated IN lists, each built once for the query: a correlated EXISTS per organization
    // walked every published course for each of them (4 s at 5,000 organizations and 10,000 courses)
    const provides = sql`${organizations.id} IN (SELECT c.organization_id FROM ${courses} c WHERE c.status = 'published'
      UNION SELECT cp.organization_id FROM ${coursePartners} cp JOIN ${courses} c ON c.id = cp.course_id WHERE c.status = 'published')`;
    const rated = sql`${organizations.id} IN (SELECT cc.entity_id FROM ${creditCertificates} cc WHERE cc.state IN ('active', 'suspended'))`;
    const found = db
      .select({ type: organizations.type, organizations: count(), providers: sql<number>`sum(${provides})`, rated: sql<number>`sum(${rated})` })
      .from(organizations)
      .where(VERIFIED)
      .groupBy(organizations.type)
      .all();
    return ORGANIZATION_TYPES.map((type) => {
      const r = found.find((f) => f.type === type);
      return { type, organizations: r?.organizations ?? 0, course_providers: r?.providers ?? 0, rated: r?.rated ?? 0 };
    });
  },
};

const creditGrades: Dataset = {
  id: 'credit-grades',
  theme: 'organizations',
  title: { 'zh-cn': '信用等级分布', en: 'Credit grades' },
  description: {
    'zh-cn': '现行信用证书（有效或暂停）按信用等级统计，与公开的信用证书目录一致。始终列出 AAA 至 C 各级，评价方案自定的其他等级列于其后。',
    en: 'Current credit certificates (active or suspended) by grade, as the public certificate directory lists them. Grades AAA to C are always listed; grades of a scheme’s own follow.',
  },
  columns: [
    { key: 'grade', type: 'string', label: { 'zh-cn': '信用等级', en: 'Grade' }, meaning: { 'zh-cn': '证书上的信用等级，如 AAA。', en: 'The grade the certificate states, such as AAA.' } },
    { key: 'active', type: 'integer', label: { 'zh-cn': '有效', en: 'Active' }, meaning: { 'zh-cn': '该等级的有效证书数。', en: 'Active certificates of this grade.' } },
    { key: 'suspended', type: 'integer', label: { 'zh-cn': '暂停', en: 'Suspended' }, meaning: { 'zh-cn': '该等级被暂停的证书数。', en: 'Suspended certificates of this grade.' } },
  ],
  chart: { kind: 'bar', x: 'grade', y: ['active', 'suspended'] },
  compute(db) {
    const rows = db
      .select({ grade: creditCertificates.grade, active: sql<number>`sum(${creditCertificates.state} = 'active')`, suspended: sql<number>`sum(${creditCertificates.state} = 'suspended')` })
      .from(creditCertificates)
      .where(sql`${creditCertificates.state} IN ('active', 'suspended')`)
      .groupBy(creditCertificates.grade)
      .all();
    // The default ladder always, best first (a stable table), then any scheme's own grades by name.
    const ladder: readonly string[] = DEFAULT_GRADES;
    const others = rows.map((r) => r.grade).filter((g) => !ladder.includes(g)).sort();
    return [...ladder, ...others].map((grade) => {
      const r = rows.find((f) => f.grade === grade);
      return { grade, active: r?.active ?? 0, suspended: r?.suspended ?? 0 };
    });
  },
};

const creditCertificateStates: Dataset = {
  id: 'credit-certificate-states',
  theme: 'organizations',
  title: { 'zh-cn': '信用证书状态', en: 'Credit certificates by state' },
  description: {
    'zh-cn': '已颁发的信用证书按当前状态统计（有效、暂停、撤销、过期、已被替代、已注销）。',
    en: 'Credit certificates ever issued, by their state now (active, suspended, withdrawn, expired, superseded, surrendered).',
  },
  columns: [
    { key: 'state', type: 'string', label: { 'zh-cn': '证书状态', en: 'State' }, meaning: { 'zh-cn': '证书状态代码。', en: 'The certificate state code.' }, codes: CERTIFICATE_STATE_CODES },
    { key: 'certificates', type: 'integer', label: { 'zh-cn': '证书数', en: 'Certificates' }, meaning: { 'zh-cn': '处于该状态的信用证书数。', en: 'Credit certificates in this state.' } },
  ],
  chart: { kind: 'bar', x: 'state', y: ['certificates'] },
  compute(db) {
    const found = db.select({ state: creditCertificates.state, n: count() }).from(creditCertificates).groupBy(creditCertificates.state).all();
    return CERTIFICATE_STATES.map((state) => ({ state, certificates: found.find((r) => r.state === state)?.n ?? 0 }));
  },
};

const creditComplaintsByStage: Dataset = {
  id: 'credit-complaints',
  theme: 'organizations',
  title: { 'zh-cn': '信用投诉处理情况', en: 'Credit complaints by stage' },
  description: {
    'zh-cn': '针对受评企业的投诉按处理阶段统计：未结案的按状态，已结案的按结果。只公布数量，不涉及投诉人、企业或投诉内容。',
    en: 'Complaints against rated companies by where they stand: open ones by state, closed ones by outcome. Counts only: no complainant, company or complaint text.',
  },
  columns: [
    {
      key: 'stage',
      type: 'string',
      label: { 'zh-cn': '处理阶段', en: 'Stage' },
      meaning: { 'zh-cn': '未结案投诉的状态，或已结案投诉的结果。', en: 'The state of a complaint still open, or the outcome of a closed one.' },
      codes: COMPLAINT_STAGE_CODES,
    },
    { key: 'complaints', type: 'integer', label: { 'zh-cn': '投诉数', en: 'Complaints' }, meaning: { 'zh-cn': '处于该阶段的投诉数。', en: 'Complaints at this stage.' } },
  ],
  chart: { kind: 'bar', x: 'stage', y: ['complaints'] },
  compute(db) {
    const stage = sql<string>`coalesce(${creditComplaints.outcome}, ${creditComplaints.state})`;
    const found = db.select({ stage, n: count() }).from(creditComplaints).groupBy(stage).all();
    return COMPLAINT_STAGES.map((s) => ({ stage: s, complaints: found.find((r) => r.stage === s)?.n ?? 0 }));
  },
};

const creditAppealsBySubject: Dataset = {
  id: 'credit-appeals',
  theme: 'organizations',
  title: { 'zh-cn': '信用申诉及结果', en: 'Credit appeals and their outcomes' },
  description: {
    'zh-cn': '企业对不予评定、证书暂停或撤销提出的申诉，按申诉事项统计待决定、成立和驳回的数量。只公布数量，不涉及企业或申诉理由。',
    en: 'Appeals by companies against a refusal, a suspension or a withdrawal, by subject: open, upheld and dismissed. Counts only: no company, no grounds.',
  },
  columns: [
    { key: 'subject', type: 'string', label: { 'zh-cn': '申诉事项', en: 'Subject' }, meaning: { 'zh-cn': '申诉所针对的决定。', en: 'The decision appealed.' }, codes: APPEAL_SUBJECT_CODES },
    { key: 'appeals', type: 'integer', label: { 'zh-cn': '申诉数', en: 'Appeals' }, meaning: { 'zh-cn': '提出的申诉总数。', en: 'Appeals filed, in all.' } },
    { key: 'open', type: 'integer', label: { 'zh-cn': '待决定', en: 'Open' }, meaning: { 'zh-cn': '尚未作出决定的申诉数。', en: 'Appeals not yet decided.' } },
    { key: 'upheld', type: 'integer', label: { 'zh-cn': '申诉成立', en: 'Upheld' }, meaning: { 'zh-cn': '决定申诉成立的数量。', en: 'Appeals upheld.' } },
    { key: 'dismissed', type: 'integer', label: { 'zh-cn': '申诉驳回', en: 'Dismissed' }, meaning: { 'zh-cn': '决定驳回的申诉数。', en: 'Appeals dismissed.' } },
  ],
  chart: { kind: 'bar', x: 'subject', y: ['upheld', 'dismissed', 'open'] },
  compute(db) {
    const byState = (state: (typeof APPEAL_STATES)[number]) => sql<number>`sum(${creditAppeals.state} = ${state})`;
    const found = db
      .select({ subject: creditAppeals.subject, appeals: count(), open: byState('open'), upheld: byState('upheld'), dismissed: byState('dismissed') })
      .from(creditAppeals)
      .groupBy(creditAppeals.subject)
      .all();
    return APPEAL_SUBJECTS.map((subject): Row => {
      const r = found.find((f) => f.subject === subject);
      return { subject, appeals: r?.appeals ?? 0, open: r?.open ?? 0, upheld: r?.upheld ?? 0, dismissed: r?.dismissed ?? 0 };
    });
  },
};

export const organizationsDatasets: Dataset[] = [organizationsByType, creditGrades, creditCertificateStates, creditComplaintsByStage, creditAppealsBySubject];
