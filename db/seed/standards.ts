/**
 * A bilingual cross-border seller credit grading standard by SCBEA, open for public comment with
 * two comments on its clauses. Idempotent: skipped when the standard already exists.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { organizations, standards, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { addComment, addVersion, proposeStandard, transitionStandard } from '../../src/lib/standards/service';
import { DEMO_ACCOUNTS } from './demo-accounts';

export const SEED_STANDARD_TITLE = 'Credit grading of cross-border e-commerce sellers';

export const SEED_STANDARD_MD = `# 跨境电子商务卖家信用等级评价规范
# Credit grading of cross-border e-commerce sellers

## 1 范围 Scope

本文件规定了跨境电子商务卖家信用等级评价的评价指标、评价方法和等级划分。本文件适用于在上海注册的跨境电子商务经营主体的信用评价。

This document specifies the indicators, method and grades for assessing the credit of cross-border e-commerce sellers registered in Shanghai.

## 2 规范性引用文件 Normative references

GB/T 22117 信用 基本术语 (Credit — Basic terms)

GB/T 23794 企业信用评价指标 (Indicators for enterprise credit evaluation)

## 3 术语和定义 Terms and definitions

### 3.1 卖家信用等级 Seller credit grade

依据本文件对卖家履约能力和履约意愿作出的分级评价。

A grade expressing a seller's ability and willingness to honour commitments, assessed according to this document.

## 4 评价指标 Indicators

### 4.1 合规经营 Compliance

海关、税务、外汇申报无重大违规记录；近 24 个月无行政处罚。

No serious customs, tax or foreign-exchange filing violations; no administrative penalty in the last 24 months.

### 4.2 履约表现 Fulfilment

按时发货率、订单缺陷率和退货处理时效，按近 12 个月数据计算。

On-time dispatch rate, order defect rate and return-handling time, measured over the last 12 months.

### 4.3 消费者权益保护 Consumer protection

投诉处理率和纠纷解决时效。

Complaint handling rate and dispute resolution time.

## 5 信用等级 Credit grades

### 5.1 等级划分 Grades

| 等级 Grade | 综合得分 Score | 含义 Meaning |
|---|---|---|
| AAA | ≥ 90 | 信用优秀 Excellent credit |
| AA | 80–89 | 信用良好 Good credit |
| A | 70–79 | 信用较好 Fair credit |
| B | 60–69 | 信用一般 Basic credit |
| C | < 60 | 信用较差 Poor credit |

### 5.2 等级有效期 Validity

信用等级有效期为 2 年，期间出现重大违规的，应重新评价。

A grade is valid for 2 years; a serious violation within that time triggers a new assessment.

## 附录A 评分方法 Scoring method

### A.1 权重 Weights

| 指标 Indicator | 权重 Weight |
|---|---|
| 合规经营 Compliance | 40% |
| 履约表现 Fulfilment | 35% |
| 消费者权益保护 Consumer protection | 25% |

### A.2 计分 Calculation

综合得分 = Σ（指标得分 × 权重）。

Score = Σ (indicator score × weight).
`;

function sessionUser(db: Db, email: string): SessionUser {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${email}`).get();
  if (!u) throw new Error(`seed: ${email} is missing; run the foundation seed first`);
  return { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: [] };
}

export function seedStandards(db: Db) {
  const body = db.select().from(organizations).where(eq(organizations.slug, 'shanghai-cross-border-e-commerce-association')).get();
  if (!body) return;
  const exists = db.select({ id: standards.id }).from(standards).where(and(eq(standards.organizationId, body.id), eq(standards.title, SEED_STANDARD_TITLE))).get();
  if (exists) return;
  const owner = sessionUser(db, DEMO_ACCOUNTS.standards.email);
  const now = new Date();
  const s = proposeStandard(
    db,
    owner,
    {
      organizationSlug: body.slug,
      title: SEED_STANDARD_TITLE,
      titleZh: '跨境电子商务卖家信用等级评价规范',
      scopeMd: '为上海跨境电商卖家建立统一的信用等级评价方法，服务行业自律与信用认证。\n\nA common method to grade the credit of Shanghai cross-border sellers, for self-regulation and credit certification.',
    },
    now,
  );
  transitionStandard(db, owner, s.id, { to: 'project_approved', reason: '2026 年第一批团体标准立项 First 2026 batch of projects' }, now);
  transitionStandard(db, owner, s.id, { to: 'drafting' }, now);
  addVersion(db, owner, s.id, { bodyMd: SEED_STANDARD_MD, note: '征求意见稿 Draft for comment' }, now);
  transitionStandard(db, owner, s.id, { to: 'public_comment', commentPeriodDays: 30 }, now);
  const student = sessionUser(db, DEMO_ACCOUNTS.student.email);
  const researcher = sessionUser(db, DEMO_ACCOUNTS.researcher.email);
  addComment(db, researcher, s.id, {
    clause: '5.1',
    type: 'technical',
    text: 'AAA 门槛偏低，与主要平台的优秀卖家标准相比区分度不足。 The AAA threshold is low compared with platforms’ top-seller criteria.',
    proposedChange: '将 AAA 调整为 ≥ 92 分。 Raise AAA to a score of 92 or more.',
  }, now);
  addComment(db, student, s.id, {
    clause: '4.2',
    type: 'editorial',
    text: '“订单缺陷率”需要在第 3 章给出定义。 “Order defect rate” should be defined in clause 3.',
    proposedChange: '在 3 中增加“订单缺陷率”的定义。 Add a definition of order defect rate to clause 3.',
  }, now);
}
