/**
 * Demo courses: a bilingual course co-offered by the university and the logistics company with two
 * sessions, and a few more from other providers. Idempotent: a course whose title exists is skipped.
 * Created through the services, so audit entries and the search index are filled as in real use.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { courses, organizations, users } from '../schema';
import type { SessionUser } from '../../src/lib/auth/sessions';
import { courseInput, sessionInput } from '../../src/lib/courses/schemas';
import { createCourse, createSession, publishCourse } from '../../src/lib/courses/service';
import { DEMO_ACCOUNTS } from './demo-accounts';

const DAY = 86_400_000;

/** 09:00 Shanghai time, `days` from today. */
function shanghaiMorning(days: number, hour = 9): string {
  const d = new Date(Date.now() + days * DAY);
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(d);
  return `${ymd}T${String(hour).padStart(2, '0')}:00:00+08:00`;
}

interface DemoCourse {
  lead: string;
  partners: string[];
  course: Record<string, unknown>;
  sessions: Record<string, unknown>[];
}

export const DEMO_COURSE_TITLE = 'Cross-border E-commerce Logistics: from Bonded Warehouse to Doorstep';

const DEMO_COURSES: DemoCourse[] = [
  {
    lead: 'huangpu-university-of-commerce',
    partners: ['pujiang-bridge-logistics'],
    course: {
      title: DEMO_COURSE_TITLE,
      titleZh: '跨境电商物流实务：从保税仓到消费者家门口',
      summary: 'A practical course on bonded warehousing, customs clearance and last-mile delivery, taught jointly by faculty and logistics practitioners.',
      summaryZh: '由高校教师与物流企业一线专家联合授课，讲解保税仓储、通关与末端配送的实务操作。',
      descriptionMd:
        '## 课程内容 Course content\n\n1. 跨境电商进出口模式（9610、9710、9810、1210）\n2. 保税仓储与清关流程\n3. 海外仓与末端配送\n\nThe second half of each day is held at a bonded warehouse in Waigaoqiao. 每天下午在外高桥保税仓现场教学。',
      category: 'logistics',
      languages: ['zh-cn', 'en'],
      mode: 'blended',
      level: 'intermediate',
      prerequisites: 'Basic knowledge of international trade. 具备国际贸易基础知识。',
      priceCny: 0,
      tags: ['bonded warehouse', '保税仓', 'customs', '通关'],
    },
    sessions: [
      { startsAt: shanghaiMorning(21), endsAt: shanghaiMorning(21, 17), timezone: 'Asia/Shanghai', location: '黄浦商学院 3 号楼 201 室 / Building 3, Room 201', capacity: 30, waitlistLimit: 10 },
      { startsAt: shanghaiMorning(60), endsAt: shanghaiMorning(60, 17), timezone: 'Asia/Shanghai', location: '浦江桥物流外高桥仓 / Pujiang Bridge Waigaoqiao warehouse', capacity: 20, waitlistLimit: 5 },
    ],
  },
  {
    lead: 'youth-venture-service-centre',
    partners: ['shenjiang-cross-border-training-school'],
    course: {
      title: 'Starting a Cross-border Store: an Entrepreneurship Bootcamp',
      titleZh: '跨境开店创业训练营',
      summary: 'Six evenings on choosing a market, setting up a store, pricing and payments, with mentors from the venture centre.',
      summaryZh: '六个晚上，从选品、开店、定价到收款，由创业导师全程陪伴。',
      descriptionMd: '面向在校学生和青年创业者。For students and young entrepreneurs.',
      category: 'entrepreneurship',
      languages: ['zh-cn'],
      mode: 'online',
      level: 'beginner',
      priceCny: 0,
      tags: ['创业', 'startup'],
    },
    sessions: [{ startsAt: shanghaiMorning(10, 19), endsAt: shanghaiMorning(10, 21), timezone: 'Asia/Shanghai', onlineUrl: 'https://meeting.example.com/bootcamp', capacity: 100, waitlistLimit: 50 }],
  },
  {
    lead: 'shenjiang-cross-border-training-school',
    partners: [],
    course: {
      title: 'Cross-border Payments, FX and Tax Refunds',
      titleZh: '跨境支付、结汇与出口退税',
      summary: 'How payment institutions, foreign exchange settlement and export tax refunds work for cross-border sellers.',
      summaryZh: '面向卖家讲解支付机构、结汇和出口退税的实际流程。',
      category: 'payments_finance',
      languages: ['zh-cn', 'en'],
      mode: 'in_person',
      level: 'intermediate',
      priceCny: 1200,
      tags: ['支付', 'FX', '退税'],
    },
    sessions: [{ startsAt: shanghaiMorning(35), endsAt: shanghaiMorning(36, 17), timezone: 'Asia/Shanghai', location: '申江培训学校 / Shenjiang school, Hongkou', capacity: 40, waitlistLimit: 10 }],
  },
  {
    lead: 'huangpu-university-of-commerce',
    partners: ['youth-venture-service-centre'],
    course: {
      title: 'Data-driven Marketing for Overseas Markets',
      titleZh: '面向海外市场的数据化营销',
      summary: 'Reading marketplace data, running ads and measuring what works, in English with Chinese support.',
      summaryZh: '解读平台数据、投放广告、衡量效果；英文授课，配中文辅导。',
      category: 'marketing',
      languages: ['en'],
      mode: 'online',
      level: 'advanced',
      priceCny: 300,
      tags: ['marketing', '营销', 'data'],
    },
    sessions: [{ startsAt: shanghaiMorning(5, 14), endsAt: shanghaiMorning(5, 16), timezone: 'Asia/Shanghai', onlineUrl: 'https://meeting.example.com/marketing', capacity: 2, waitlistLimit: 2 }],
  },
];

function providerUser(db: Db): SessionUser | null {
  const u = db.select().from(users).where(sql`lower(${users.email}) = ${DEMO_ACCOUNTS.provider.email}`).get();
  return u ? { id: u.id, email: u.email, displayName: u.displayName, locale: u.locale, roles: [] } : null;
}

export function seedCourses(db: Db) {
  const provider = providerUser(db);
  if (!provider) return;
  for (const demo of DEMO_COURSES) {
    const lead = db.select().from(organizations).where(eq(organizations.slug, demo.lead)).get();
    if (!lead) continue;
    const exists = db.select({ id: courses.id }).from(courses).where(and(eq(courses.organizationId, lead.id), eq(courses.title, demo.course.title as string))).get();
    if (exists) continue;
    const course = createCourse(db, provider, courseInput.parse({ ...demo.course, organizationSlug: demo.lead, partnerSlugs: demo.partners }));
    for (const s of demo.sessions) createSession(db, provider, course.id, sessionInput.parse(s));
    publishCourse(db, provider, course.id);
  }
}
