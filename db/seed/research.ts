/**
 * A bilingual demo project led by the demo university with the logistics company as industry
 * partner and a funding award, and a working paper with two published versions. Written through
 * the research services, so audit, search and notifications are exactly what a user would cause.
 * Idempotent: nothing is added when the project exists.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { researchFindings, researchProjects, userRoles, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { findingInput, projectInput } from '../../src/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding } from '../../src/lib/research/service';
import { DEMO_ACCOUNTS } from './demo-accounts';

export const DEMO_PROJECT_TITLE = 'Supply chain finance for small cross-border sellers in Shanghai';

const VERSION_1 = `## 摘要

本文基于对上海 120 家中小跨境电商卖家的问卷调查，分析**供应链金融**（库存融资、应收账款融资）对卖家现金周转的影响。

## Summary

Based on a survey of 120 small cross-border sellers in Shanghai, we find that inventory financing shortens the cash conversion cycle by about 18 days.

| 指标 Indicator | 数值 Value |
|---|---|
| 样本量 Sample | 120 |
| 现金周转缩短 Cycle reduction | 18 天 days |
`;

const VERSION_2 = `## 摘要

本文基于对上海 146 家中小跨境电商卖家的问卷调查，分析**供应链金融**（库存融资、应收账款融资、海外仓质押）对卖家现金周转的影响。

## Summary

Based on a survey of 146 small cross-border sellers in Shanghai, we find that inventory financing shortens the cash conversion cycle by about 21 days; overseas-warehouse pledges add a further 4 days.

| 指标 Indicator | 数值 Value |
|---|---|
| 样本量 Sample | 146 |
| 现金周转缩短 Cycle reduction | 21 天 days |
`;

function sessionUser(db: Db, email: string): SessionUser {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${email}`).get();
  if (!u) throw new Error(`seed: ${email} is missing; run the foundation step first`);
  const roles = db.select({ role: userRoles.role }).from(userRoles).where(eq(userRoles.userId, u.id)).all().map((r) => r.role);
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles };
}

export function seedResearch(db: Db) {
  if (db.select({ id: researchProjects.id }).from(researchProjects).where(eq(researchProjects.title, DEMO_PROJECT_TITLE)).get()) return;
  const researcher = sessionUser(db, DEMO_ACCOUNTS.researcher.email);
  const project = createProject(
    db,
    researcher,
    projectInput.parse({
      organizationSlug: 'huangpu-university-of-commerce',
      title: DEMO_PROJECT_TITLE,
      titleZh: '上海中小跨境电商卖家的供应链金融研究',
      acronym: 'SCF-SH',
      abstractMd:
        '研究库存融资、应收账款融资等**供应链金融**工具如何缓解中小跨境卖家的资金压力，并与物流企业合作获取真实的仓储与运输数据。\n\nHow supply chain finance (inventory and receivables financing) eases the cash constraints of small cross-border sellers, using warehouse and shipping data from an industry partner.',
      status: 'active',
      startDate: '2026-01-01',
      endDate: '2027-12-31',
      keywords: ['供应链金融', 'supply chain finance', '跨境电商', 'SME sellers'],
      topics: ['payments_finance', 'logistics'],
      corridors: [
        { origin: 'CN', destination: 'DE' },
        { origin: 'CN', destination: 'US' },
      ],
      people: [
        { name: '孙悦 Sun Yue', role: 'pi', orcid: '0000-0002-1825-0097', email: DEMO_ACCOUNTS.researcher.email },
        { name: '刘洋 Liu Yang', role: 'co_investigator', email: DEMO_ACCOUNTS.provider.email },
      ],
      partners: [{ organizationSlug: 'pujiang-bridge-logistics', role: 'industry_partner' }],
      funding: [{ funder: '上海市哲学社会科学规划办公室 Shanghai Planning Office of Philosophy and Social Science', awardNumber: '2026BJB011', amountMinor: 20_000_000, currency: 'CNY' }],
    }),
  );
  const finding = createFinding(
    db,
    researcher,
    project.id,
    findingInput.parse({
      type: 'working_paper',
      title: 'Inventory financing and cash cycles of small cross-border sellers',
      titleZh: '库存融资与中小跨境卖家的现金周转',
      licence: 'CC-BY-4.0',
      access: 'open',
    }),
  );
  addVersion(db, researcher, finding.id, { bodyMd: VERSION_1, changelog: undefined });
  publishFinding(db, researcher, finding.id, new Date('2026-03-02T02:00:00Z'));
  addVersion(db, researcher, finding.id, { bodyMd: VERSION_2, changelog: '样本扩大到 146 家卖家，并加入海外仓质押。 Sample extended to 146 sellers; overseas-warehouse pledges added.' });
  publishFinding(db, researcher, finding.id, new Date('2026-06-15T02:00:00Z'));
  return db.select().from(researchFindings).where(and(eq(researchFindings.id, finding.id))).get();
}
