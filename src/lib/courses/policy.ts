/**
 * Who may do what to a course. Services and pages ask these, never the tables.
 *
 * Visibility is one SQL condition (`courseVisibleTo`), used by the catalog (page and API), the
 * single-course load behind every page, action and API route, and (for nobody signed in) by
 * search and the public calendars, so none of them can disagree.
 */
import { eq, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { coursePartners, courses, memberships } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { isAdmin, isEditor } from '~/lib/organizations/policy';

interface CourseRef {
  id: number;
  organizationId: number;
  status: string;
}

/** The lead organization first, then the partners. */
export function providerIds(db: DbOrTx, course: Pick<CourseRef, 'id' | 'organizationId'>): number[] {
  const partners = db.select({ id: coursePartners.organizationId }).from(coursePartners).where(eq(coursePartners.courseId, course.id)).all();
  return [course.organizationId, ...partners.map((p) => p.id)];
}

/** Editors of the lead or of any partner organization, and platform admins. */
export function canEditCourse(db: DbOrTx, user: SessionUser | null, course: CourseRef): boolean {
  if (!user) return false;
  if (isAdmin(user)) return true;
  return providerIds(db, course).some((orgId) => isEditor(db, user, orgId));
}

/**
 * The courses `user` may see: published ones, and drafts and unpublished courses of the
 * organizations (lead or partner) the user edits for; admins see all.
 */
export function courseVisibleTo(user: Pick<SessionUser, 'id' | 'roles'> | null): SQL {
  if (isAdmin(user)) return sql`1`;
  const published = sql`${courses.status} = 'published'`;
  if (!user) return published;
  // Two lookups by (organization, user), the memberships key, rather than a walk over all the
  // user's memberships per course: someone who edits for thousands of organizations (a platform
  // operator, a benchmark's owner) would otherwise pay for each of them on every course.
  return sql`(${published} OR EXISTS (SELECT 1 FROM ${memberships} m WHERE m.organization_id = ${courses.organizationId} AND m.user_id = ${user.id} AND m.role IN ('owner', 'editor'))
    OR EXISTS (SELECT 1 FROM ${coursePartners} cp JOIN ${memberships} m ON m.organization_id = cp.organization_id
      WHERE cp.course_id = ${courses.id} AND m.user_id = ${user.id} AND m.role IN ('owner', 'editor')))`;
}
