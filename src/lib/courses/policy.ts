/** Who may do what to a course. Services and pages ask these, never the tables. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { coursePartners } from '@db/schema';
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

/** Drafts and unpublished courses are seen only by the people who may edit them. */
export function canSeeCourse(db: DbOrTx, user: SessionUser | null, course: CourseRef): boolean {
  return course.status === 'published' || canEditCourse(db, user, course);
}
