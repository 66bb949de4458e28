/**
 * Settlement routes and the points scheme's rule rows. Idempotent: routes are added by slug and
 * rules only into an empty table, so an admin's later edits are never overwritten.
 *
 * The figures are modelled on Shanghai's published residence-permit points scheme (120-point
 * standard) as commonly summarized; they have NOT been checked against the official text here,
 * so every row is marked illustrative and points at the municipal portal rather than a made-up
 * citation. An admin who checks a row against the official text edits it and clears the flag.
 */
import { count } from 'drizzle-orm';
import type { Db } from '../client';
import { settlementPointRules, settlementRoutes, type ChecklistItem, type RouteCriterion } from '../schema';

const AS_OF = '2026-11-26';
const SOURCE_URL = 'https://www.shanghai.gov.cn/';
const SOURCE_LABEL = '上海市居住证积分指标体系（示意，待核对官方文本）/ Shanghai residence-permit points scheme (illustrative; verify against the official text)';

type RuleSeed = Omit<typeof settlementPointRules.$inferInsert, 'asOf' | 'sourceUrl' | 'sourceLabel'>;

const ageRules: RuleSeed[] = [
  { indicator: 'age', input: 'age', kind: 'range', min: 16, max: 43, points: 30, label: 'Age 43 or under', labelZh: '43 周岁及以下' },
  ...Array.from({ length: 12 }, (_, i) => {
    const age = 44 + i; // 44 → 29 points … 55 → 7 points: 2 more per year younger than 56
    return { indicator: 'age', input: 'age', kind: 'range' as const, min: age, max: age, points: 5 + 2 * (56 - age), label: `Age ${age}`, labelZh: `${age} 周岁` };
  }),
  { indicator: 'age', input: 'age', kind: 'range', min: 56, max: 60, points: 5, label: 'Age 56 to 60', labelZh: '56–60 周岁' },
];

const educationRules: RuleSeed[] = [
  ['college', 50, 'College diploma (dazhuan)', '大专（高职）学历'],
  ['bachelor_no_degree', 60, 'Bachelor-level study without degree', '大学本科学历（无学位）'],
  ['bachelor', 90, "Bachelor's degree", '大学本科学历及学士学位'],
  ['master', 100, "Master's degree", '硕士研究生学历及学位'],
  ['doctorate', 110, 'Doctorate', '博士研究生学历及学位'],
].map(([match, points, label, labelZh]) => ({ indicator: 'education', input: 'education', kind: 'match' as const, match: String(match), points: Number(points), label: String(label), labelZh: String(labelZh) }));

const titleRules: RuleSeed[] = [
  ['level4', 15, 'Vocational qualification level 4 (intermediate skill)', '国家职业资格四级（中级技能）'],
  ['level3', 60, 'Vocational qualification level 3 (senior skill)', '国家职业资格三级（高级技能）'],
  ['intermediate', 100, 'Intermediate professional title or level 2 (technician)', '中级专业技术职称或二级（技师）'],
  ['senior', 140, 'Senior professional title or level 1 (senior technician)', '高级专业技术职称或一级（高级技师）'],
].map(([match, points, label, labelZh]) => ({ indicator: 'title', input: 'title', kind: 'match' as const, match: String(match), points: Number(points), label: String(label), labelZh: String(labelZh) }));

const insuranceRules: RuleSeed[] = [
  { indicator: 'social_insurance_years', input: 'socialInsuranceYears', kind: 'per_unit', unit: 1, min: 1, points: 3, label: '3 points per full year of Shanghai social insurance', labelZh: '在本市缴纳职工社会保险每满 1 年积 3 分' },
  { indicator: 'social_insurance_base', input: 'socialInsuranceBase', kind: 'range', min: 2, max: 2.9999, points: 100, requiresInput: 'socialInsuranceYears', requiresMin: 3, label: 'Contribution base at least 2× the city average wage for 3 years', labelZh: '近年累计 36 个月社保缴费基数达到上年度社平工资 2 倍' },
  { indicator: 'social_insurance_base', input: 'socialInsuranceBase', kind: 'range', min: 3, max: null, points: 120, requiresInput: 'socialInsuranceYears', requiresMin: 3, label: 'Contribution base at least 3× the city average wage for 3 years', labelZh: '近年累计 36 个月社保缴费基数达到上年度社平工资 3 倍' },
];

const entrepreneurshipRules: RuleSeed[] = [
  { indicator: 'entrepreneurship', input: 'annualTax', kind: 'per_unit', unit: 10, min: 10, cap: 100, points: 10, label: '10 points per CNY 100,000 of average annual tax paid by your company (3 years), up to 100', labelZh: '创业企业近 3 年平均每年纳税每 10 万元积 10 分，最高 100 分' },
  { indicator: 'entrepreneurship', input: 'localEmployees', kind: 'per_unit', unit: 10, min: 10, cap: 100, points: 10, label: '10 points per 10 Shanghai-registered employees on average (3 years), up to 100', labelZh: '近 3 年平均每年聘用本市户籍人员每 10 人积 10 分，最高 100 分' },
];

export const POINT_RULES: RuleSeed[] = [...ageRules, ...educationRules, ...titleRules, ...insuranceRules, ...entrepreneurshipRules].map((r, i) => ({ ...r, sort: (i + 1) * 10 }));

const PDF_OR_IMAGE = ['pdf', 'png', 'jpeg'] as ChecklistItem['accept'];
const PDF = ['pdf'] as ChecklistItem['accept'];

const passport: ChecklistItem = { key: 'identity', label: 'Passport or identity card', labelZh: '护照或身份证', required: true, accept: PDF_OR_IMAGE };
const degree: ChecklistItem = { key: 'degree', label: 'Degree certificate and verification report', labelZh: '学历学位证书及认证报告', required: true, accept: PDF };
const contract: ChecklistItem = { key: 'employment_contract', label: 'Employment contract or proof of position', labelZh: '劳动合同或任职证明', required: true, accept: PDF };
const businessLicence: ChecklistItem = { key: 'business_licence', label: 'Business licence of your company', labelZh: '企业营业执照', required: true, accept: PDF_OR_IMAGE };
const taxRecords: ChecklistItem = { key: 'tax_records', label: 'Company tax records for the last 3 years', labelZh: '企业近 3 年纳税证明', required: false, accept: PDF, hint: 'Strengthens entrepreneurship points.', hintZh: '可增加创业相关积分。' };

interface RouteSeed {
  slug: string;
  name: string;
  nameZh: string;
  summary: string;
  summaryZh: string;
  usesPoints: boolean;
  criteria: RouteCriterion[];
  checklist: ChecklistItem[];
  sort: number;
}

export const SETTLEMENT_ROUTES: RouteSeed[] = [
  {
    slug: 'residence-permit-points',
    name: 'Talent residence permit by points',
    nameZh: '居住证积分',
    summary: 'Reach the 120-point standard through education, title, social insurance and entrepreneurship.',
    summaryZh: '通过学历、职称、社保和创业等指标达到 120 分标准值。',
    usesPoints: true,
    criteria: [
      { key: 'holds_residence_permit', label: 'I hold a valid Shanghai residence permit', labelZh: '持有有效的上海市居住证', kind: 'yes_no', required: true },
      { key: 'estimated_points', label: 'Points from the estimator', labelZh: '积分估算结果', kind: 'number', required: true, hint: 'Use the estimator; the officer recomputes it.', hintZh: '请使用积分估算工具；经办人员会重新核算。' },
    ],
    checklist: [passport, degree, contract, { key: 'social_insurance', label: 'Social insurance payment record', labelZh: '社会保险缴费记录', required: true, accept: PDF }, taxRecords],
    sort: 10,
  },
  {
    slug: 'entrepreneur-talent',
    name: 'Entrepreneur talent introduction',
    nameZh: '创业人才引进',
    summary: 'For founders whose Shanghai company has raised investment or pays significant tax.',
    summaryZh: '适用于其在沪企业获得投资或纳税达到一定规模的创业者。',
    usesPoints: false,
    criteria: [
      { key: 'is_founder', label: 'I am a founder or major shareholder of the company', labelZh: '本人为企业创始人或主要股东', kind: 'yes_no', required: true },
      { key: 'investment_cny', label: 'Investment raised (CNY)', labelZh: '获得投资额（元）', kind: 'number', required: true },
      { key: 'business_summary', label: 'What the company does', labelZh: '企业主营业务', kind: 'text', required: true },
    ],
    checklist: [passport, degree, businessLicence, { key: 'investment_proof', label: 'Proof of investment received', labelZh: '获得投资的证明', required: true, accept: PDF }, taxRecords],
    sort: 20,
  },
  {
    slug: 'overseas-returnee-entrepreneur',
    name: 'Overseas returnee entrepreneur',
    nameZh: '留学回国人员创业',
    summary: 'For graduates of overseas universities who found a company in Shanghai.',
    summaryZh: '适用于海外高校毕业后回国在沪创办企业的留学人员。',
    usesPoints: false,
    criteria: [
      { key: 'overseas_degree', label: 'I hold a degree from an overseas university', labelZh: '持有海外高校学位', kind: 'yes_no', required: true },
      { key: 'returned_within_years', label: 'Years since returning to China', labelZh: '回国年限（年）', kind: 'number', required: true },
    ],
    checklist: [
      passport,
      { key: 'overseas_degree_certificate', label: 'Overseas degree certificate', labelZh: '海外学位证书', required: true, accept: PDF_OR_IMAGE },
      { key: 'degree_verification', label: 'Degree verification by the Chinese Service Center for Scholarly Exchange', labelZh: '教育部留学服务中心学历学位认证书', required: true, accept: PDF },
      businessLicence,
      taxRecords,
    ],
    sort: 30,
  },
];

export function seedSettlement(db: Db) {
  db.transaction(
    (tx) => {
      for (const route of SETTLEMENT_ROUTES) tx.insert(settlementRoutes).values(route).onConflictDoNothing().run();
      const existing = tx.select({ n: count() }).from(settlementPointRules).get()!.n;
      if (existing === 0) {
        for (const rule of POINT_RULES) {
          tx.insert(settlementPointRules).values({ ...rule, asOf: AS_OF, sourceUrl: SOURCE_URL, sourceLabel: SOURCE_LABEL, illustrative: true }).run();
        }
      }
    },
    { behavior: 'immediate' },
  );
}
