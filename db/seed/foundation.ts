/** Demo organizations of every type and one account per role. Idempotent. */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { memberships, organizations, userRoles, users, type MembershipRole, type OrganizationType } from '../schema';
import { hashPassword } from '../../src/lib/auth/password';
import { searchIndex } from '../../src/lib/search';
import { organizationSearchDocument } from '../../src/lib/organizations/search';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoRole } from './demo-accounts';

interface DemoOrg {
  slug: string;
  name: string;
  nameZh: string;
  type: OrganizationType;
  code?: string;
  website?: string;
  descriptionMd: string;
  members: [DemoRole, MembershipRole, boolean?][];
  /** Companies: their unified social credit code (GB 32100, valid check character). */
  creditCode?: string;
}

export const DEMO_ORGANIZATIONS: DemoOrg[] = [
  {
    slug: 'huangpu-university-of-commerce',
    name: 'Huangpu University of Commerce',
    nameZh: '黄浦商学院',
    type: 'university',
    website: 'https://example.edu.cn/hpuc',
    descriptionMd: '一所虚构的示范大学，开设**跨境电子商务**本科专业与创业课程。\n\nA fictional university teaching cross-border e-commerce and entrepreneurship.',
    members: [['provider', 'editor'], ['researcher', 'editor']],
  },
  {
    slug: 'shenjiang-cross-border-training-school',
    name: 'Shenjiang Cross-border Training School',
    nameZh: '申江跨境电商培训学校',
    type: 'training_agency',
    descriptionMd: '面向卖家和运营人员的职业培训机构（虚构）。\n\nVocational training for sellers and operators (fictional).',
    members: [['provider', 'owner']],
  },
  {
    slug: 'shanghai-cross-border-e-commerce-association',
    name: 'Shanghai Cross-border E-commerce Association',
    nameZh: '上海跨境电子商务行业协会',
    type: 'industry_body',
    code: 'SCBEA',
    descriptionMd: '示范行业协会（虚构），负责起草团体标准与信用评价规范。\n\nA fictional industry body that drafts group standards and credit grading criteria.',
    members: [['standards', 'owner', true], ['provider', 'member', true], ['researcher', 'member', true], ['assessor', 'member'], ['committee', 'member']],
  },
  {
    slug: 'pujiang-bridge-logistics',
    name: 'Pujiang Bridge Logistics Co., Ltd.',
    nameZh: '浦江桥跨境物流有限公司',
    type: 'company',
    creditCode: '91310115MA1K4B2C3J',
    descriptionMd: '虚构的跨境物流企业，与高校合作开设物流课程。\n\nA fictional logistics company that co-teaches logistics courses.',
    members: [['provider', 'editor']],
  },
  {
    slug: 'hongqiao-silk-road-trading',
    name: 'Hongqiao Silk Road Trading Co., Ltd.',
    nameZh: '虹桥丝路跨境贸易有限公司',
    type: 'company',
    creditCode: '91310112MA1GB7X199',
    descriptionMd: '虚构的跨境电商卖家，经营家居用品出口。\n\nA fictional cross-border seller exporting homeware.',
    members: [['seller', 'owner']],
  },
  {
    slug: 'lingang-digital-goods',
    name: 'Lingang Digital Goods Co., Ltd.',
    nameZh: '临港数码商品有限公司',
    type: 'company',
    creditCode: '91310000MA1FL3QW2P',
    descriptionMd: '虚构的跨境电商卖家，经营消费电子。\n\nA fictional cross-border seller of consumer electronics.',
    members: [['seller', 'owner']],
  },
  {
    slug: 'youth-venture-service-centre',
    name: 'Youth Venture Service Centre',
    nameZh: '青年创业服务中心',
    type: 'ngo',
    descriptionMd: '为青年创业者提供辅导的非营利组织（虚构）。\n\nA fictional non-profit mentoring young entrepreneurs.',
    members: [['provider', 'editor']],
  },
  {
    slug: 'institute-for-digital-trade',
    name: 'Institute for Digital Trade Research',
    nameZh: '数字贸易研究院',
    type: 'research_facility',
    descriptionMd: '研究跨境电商供应链与数字贸易规则的虚构研究机构。\n\nA fictional institute researching supply chains and digital trade rules.',
    members: [['researcher', 'owner']],
  },
  {
    slug: 'demo-commerce-service-office',
    name: 'Demo Municipal Commerce Service Office',
    nameZh: '示例市商务服务中心',
    type: 'government',
    descriptionMd: '演示用的政府服务机构（虚构）。\n\nA fictional government service office for the demo.',
    members: [],
  },
];

export async function seedFoundation(db: Db) {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const ids = {} as Record<DemoRole, string>;
  db.transaction((tx) => {
    for (const [role, account] of Object.entries(DEMO_ACCOUNTS) as [DemoRole, (typeof DEMO_ACCOUNTS)[DemoRole]][]) {
      const existing = tx.select().from(users).where(sql`lower(${users.email}) = ${account.email}`).get();
      const id = existing?.id ?? `demo-${role}`;
      if (!existing) {
        tx.insert(users).values({ id, email: account.email, displayName: account.displayName, passwordHash, locale: role === 'entrepreneur' ? 'en' : 'zh-cn', emailVerifiedAt: new Date() }).run();
      }
      for (const r of account.roles) tx.insert(userRoles).values({ userId: id, role: r }).onConflictDoNothing().run();
      ids[role] = id;
    }
    for (const o of DEMO_ORGANIZATIONS) {
      let org = tx.select().from(organizations).where(eq(organizations.slug, o.slug)).get();
      if (!org) {
        org = tx
          .insert(organizations)
          .values({ slug: o.slug, name: o.name, nameZh: o.nameZh, type: o.type, code: o.code ?? null, creditCode: o.creditCode ?? null, website: o.website ?? null, descriptionMd: o.descriptionMd, status: 'verified', verifiedAt: new Date() })
          .returning()
          .get();
        searchIndex.upsert(tx, organizationSearchDocument(org));
      }
      for (const [role, membershipRole, voting] of o.members) {
        const exists = tx.select().from(memberships).where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, ids[role]))).get();
        if (!exists) tx.insert(memberships).values({ organizationId: org.id, userId: ids[role], role: membershipRole, votingMember: voting ?? false }).run();
      }
    }
  });
  return ids;
}
