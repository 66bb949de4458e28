/** A real migrated database with one verified industry body and its people, for standards tests. */
import { memberships, organizations, users } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { testDb } from './helpers/db';

export const DRAFT_MD = `# 跨境电商卖家信用等级评价规范 Cross-border seller credit grading

## 1 范围 Scope

本文件规定了跨境电商卖家信用等级评价的指标与等级。

## 2 规范性引用文件 Normative references

GB/T 22117 信用 基本术语。

## 4 评价指标 Indicators

### 4.1 履约 Fulfilment

On-time delivery rate is measured over 12 months.

### 4.2 信用等级 Credit grades

| 等级 Grade | 分数 Score | 说明 Meaning |
|---|---|---|
| AAA | ≥ 90 | 信用优秀 Excellent |
| AA | 80–89 | 信用良好 Good |
| A | 70–79 | 信用较好 Fair |

## 附录A 评分方法 Scoring method

### A.1 权重 Weights

Fulfilment weighs 40 percent.
`;

let shared: ReturnType<typeof testDb> | undefined;

let serial = 0;

/**
 * A fresh industry body with its people in the file's one database.
 */
export function standardsFixture(voters = 4) {
  shared ??= testDb();
  const db = shared;
  const run = ++serial;
  const person = (name: string): SessionUser => ({ id: `${name}-${run}`, email: `${name}-${run}@t.test`, displayName: name, locale: 'en', roles: [] });
  const people = { owner: person('owner'), editor: person('editor'), outsider: person('outsider'), member: person('member') };
  const voterList = Array.from({ length: voters }, (_, i) => person(`voter${i + 1}`));
  for (const p of [...Object.values(people), ...voterList]) db.insert(users).values({ id: p.id, email: p.email, displayName: p.displayName, passwordHash: 'x' }).run();
  const org = db.insert(organizations).values({ slug: run === 1 ? 'body' : `body-${run}`, name: 'Body', nameZh: '协会', type: 'industry_body', code: run === 1 ? 'SCBEA' : `B${run}`, status: 'verified' }).returning().get();
  db.insert(memberships).values({ organizationId: org.id, userId: people.owner.id, role: 'owner', votingMember: true }).run();
  db.insert(memberships).values({ organizationId: org.id, userId: people.editor.id, role: 'editor', votingMember: true }).run();
  db.insert(memberships).values({ organizationId: org.id, userId: people.member.id, role: 'member', votingMember: false }).run();
  for (const v of voterList) db.insert(memberships).values({ organizationId: org.id, userId: v.id, role: 'member', votingMember: true }).run();
  return { db, org, slug: org.slug, ...people, voters: voterList, cleanup() {} };
}
