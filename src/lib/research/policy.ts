/**
 * Who may do what in the research registry. A project is edited by its people who have a linked
 * account and by the owners and editors of its organizations; a project is public once its lead
 * organization is verified. Existence of what you may not see is never revealed (404); what you
 * may see but not change answers 403.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { organizations, researchProjectOrganizations, researchProjectPeople } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { isAdmin, isEditor } from '~/lib/organizations/policy';

export function projectOrganizations(db: DbOrTx, projectId: number) {
  return db
    .select({ id: organizations.id, status: organizations.status, role: researchProjectOrganizations.role })
    .from(researchProjectOrganizations)
    .innerJoin(organizations, eq(organizations.id, researchProjectOrganizations.organizationId))
    .where(eq(researchProjectOrganizations.projectId, projectId))
    .all();
}

export function isProjectPerson(db: DbOrTx, user: SessionUser | null, projectId: number): boolean {
  if (!user) return false;
  return !!db
    .select({ id: researchProjectPeople.id })
    .from(researchProjectPeople)
    .where(and(eq(researchProjectPeople.projectId, projectId), eq(researchProjectPeople.userId, user.id)))
    .get();
}

export function canEditProject(db: DbOrTx, user: SessionUser | null, projectId: number): boolean {
  if (!user) return false;
  return isProjectPerson(db, user, projectId) || projectOrganizations(db, projectId).some((o) => isEditor(db, user, o.id));
}

/** The lead organization is verified: the project may publish and is public. */
export function leadIsVerified(db: DbOrTx, projectId: number): boolean {
  return projectOrganizations(db, projectId).some((o) => o.role === 'lead' && o.status === 'verified');
}

export function canSeeProject(db: DbOrTx, user: SessionUser | null, projectId: number): boolean {
  return leadIsVerified(db, projectId) || isAdmin(user) || canEditProject(db, user, projectId);
}

/** Drafts and findings an admin unpublished are seen by the project's editors and admins only. */
export function canSeeFinding(db: DbOrTx, user: SessionUser | null, finding: { projectId: number; status: string }): boolean {
  if (finding.status === 'published' && leadIsVerified(db, finding.projectId)) return true;
  return isAdmin(user) || canEditProject(db, user, finding.projectId);
}

/** The moment an embargo ends: 00:00 Shanghai time on the embargo date. */
export const embargoEnds = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** Whether the body is public: open, or embargoed and the date has come. */
export function bodyIsPublic(finding: { access: string; embargoUntil: string | null }, now = new Date()): boolean {
  if (finding.access === 'open') return true;
  if (finding.access === 'embargoed') return !!finding.embargoUntil && embargoEnds(finding.embargoUntil) <= now;
  return false;
}

/** The project's people (and its editors) read the body whatever the access; others only when it is public. */
export function canReadBody(
  db: DbOrTx,
  user: SessionUser | null,
  finding: { projectId: number; access: string; embargoUntil: string | null },
  now = new Date(),
): boolean {
  return bodyIsPublic(finding, now) || canEditProject(db, user, finding.projectId);
}
