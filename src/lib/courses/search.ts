import { and, eq, exists, or } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { coursePartners, courses, organizations } from '@db/schema';
import { markdownToText } from '~/lib/markdown/render';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { courseVisibleTo } from './policy';

type Course = typeof courses.$inferSelect;

export function courseSearchDocument(db: DbOrTx, course: Course): SearchDocument {
  const lead = db.select().from(organizations).where(eq(organizations.id, course.organizationId)).get();
  const partners = db
    .select({ name: organizations.name, nameZh: organizations.nameZh })
    .from(coursePartners)
    .innerJoin(organizations, eq(organizations.id, coursePartners.organizationId))
    .where(eq(coursePartners.courseId, course.id))
    .all();
  const providerNames = [lead, ...partners].flatMap((o) => (o ? [o.name, o.nameZh ?? ''] : [])).filter(Boolean);
  return {
    kind: 'course',
    id: String(course.id),
    url: `/courses/${course.id}`,
    lang: course.titleZh ? 'mul' : course.languages.includes('en') ? 'en' : 'zh-cn',
    title: course.title,
    titleZh: course.titleZh,
    summary: [course.summary, course.summaryZh].filter(Boolean).join('\n'),
    body: [markdownToText(course.descriptionMd), course.prerequisites, providerNames.join(' ')].filter(Boolean).join('\n'),
    organizationName: lead?.name ?? null,
    organizationType: lead?.type ?? null,
    languages: course.languages,
    year: (course.nextStartsAt ?? course.publishedAt ?? course.createdAt).getFullYear(),
    tags: [course.category, course.mode, ...course.tags],
  };
}

/** What nobody signed in may see (`courseVisibleTo(null)`) is what search shows. */
export const courseSource: DocumentSource = {
  kind: 'course',
  all: (db) =>
    db
      .select()
      .from(courses)
      .where(courseVisibleTo(null))
      .all()
      .map((c) => courseSearchDocument(db, c)),
  ofOrganization: (db, organizationId) =>
    db
      .select()
      .from(courses)
      .where(
        and(
          courseVisibleTo(null),
          or(
            eq(courses.organizationId, organizationId),
            exists(db.select().from(coursePartners).where(and(eq(coursePartners.courseId, courses.id), eq(coursePartners.organizationId, organizationId)))),
          ),
        ),
      )
      .all()
      .map((c) => courseSearchDocument(db, c)),
};
