/**
 * Who may do what in the research registry. A project is edited by its people who have a linked
 * account and by the owners and editors of its organizations; a project is public once its lead
 * organization is verified. Existence of what you may not see is never revealed (404); what you
 * may see but not change answers 403.
 *
 * Visibility is one SQL condition per record (`projectVisibleTo`, `findingVisibleTo`, and
 * `findingBodyVisibleTo` for an embargoed text), used by lists, single loads behind every page,
 * action and API route, and (for nobody signed in) by search and the feed, so none can disagree.
 */
import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { DbOrTx } from '@db/client';
import { memberships, organizations, researchFindings, researchProjectOrganizations, researchProjectPeople, researchProjects } from '@db/schema';
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

type Viewer = Pick<SessionUser, 'id' | 'roles'> | null;

/** SQL: the project's lead organization is verified, so the project is public. */
const leadVerified = (projectId: SQLiteColumn) => sql`EXISTS (SELECT 1 FROM ${researchProjectOrganizations} rpo JOIN ${organizations} o ON o.id = rpo.organization_id
  WHERE rpo.project_id = ${projectId} AND rpo.role = 'lead' AND o.status = 'verified')`;

/** SQL: the user edits the project, as `canEditProject` says: one of its people, or an editor of one of its organizations. */
const editsProject = (user: Pick<SessionUser, 'id'>, projectId: SQLiteColumn) => sql`(EXISTS (SELECT 1 FROM ${researchProjectPeople} rpp WHERE rpp.project_id = ${projectId} AND rpp.user_id = ${user.id})
  OR EXISTS (SELECT 1 FROM ${researchProjectOrganizations} rpo JOIN ${memberships} m ON m.organization_id = rpo.organization_id
    WHERE rpo.project_id = ${projectId} AND m.user_id = ${user.id} AND m.role IN ('owner', 'editor')))`;

/** The projects `user` may see: public ones (verified lead), the ones they edit; admins see all. */
export function projectVisibleTo(user: Viewer): SQL {
  if (isAdmin(user)) return sql`1`;
  const isPublic = leadVerified(researchProjects.id);
  return user ? sql`(${isPublic} OR ${editsProject(user, researchProjects.id)})` : isPublic;
}

/** The findings `user` may see: published ones of public projects; drafts and unpublished ones only by the project's editors and admins. */
export function findingVisibleTo(user: Viewer): SQL {
  if (isAdmin(user)) return sql`1`;
  const isPublic = sql`(${researchFindings.status} = 'published' AND ${leadVerified(researchFindings.projectId)})`;
  return user ? sql`(${isPublic} OR ${editsProject(user, researchFindings.projectId)})` : isPublic;
}

/** Shanghai's calendar day at `now`, as the `YYYY-MM-DD` that embargo dates are written in. */
const shanghaiDay = (now: Date) => new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Whether `user` may read a visible finding's text: open access, or an embargo whose date has come
 * (00:00 Shanghai time, as `embargoEnds`), or the project's own editors whatever the access.
 */
export function findingBodyVisibleTo(user: Viewer, now = new Date()): SQL {
  const isPublic = sql`(${researchFindings.access} = 'open' OR (${researchFindings.access} = 'embargoed' AND ${researchFindings.embargoUntil} <= ${shanghaiDay(now)}))`;
  return user ? sql`(${isPublic} OR ${editsProject(user, researchFindings.projectId)})` : isPublic;
}

/** The moment an embargo ends: 00:00 Shanghai time on the embargo date. */
export const embargoEnds = (date: string) => new Date(`${date}T00:00:00+08:00`);

/** Whether the body is public: open, or embargoed and the date has come. */
export function bodyIsPublic(finding: { access: string; embargoUntil: string | null }, now = new Date()): boolean {
  if (finding.access === 'open') return true;
  if (finding.access === 'embargoed') return !!finding.embargoUntil && embargoEnds(finding.embargoUntil) <= now;
  return false;
}
