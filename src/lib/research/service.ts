/** Research registry writes: projects, findings, versions, publishing and unpublishing. */
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { keptQuery, write, type Db, type Tx } from '@db/client';
import {
  memberships,
  organizations,
  researchFindings,
  researchFindingVersions,
  researchFunding,
  researchProjectOrganizations,
  researchProjectPeople,
  researchProjects,
  type ProjectOrganizationRole,
} from '@db/schema';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Conflict, Forbidden, Invalid, NotFound, type FieldErrors } from '~/lib/errors';
import { doiKey } from '~/lib/identifiers/doi';
import { both, notify } from '~/lib/notifications/notify';
import { verifiedAccountFor } from './people';
import { isAdmin, isEditor, keptViewer } from '~/lib/organizations/policy';
import { searchIndex } from '~/lib/search';
import { canEditProject, findingVisibleTo, leadIsVerified, projectVisibleTo } from './policy';
import type { FindingInput, FindingUpdate, ProjectInput, ProjectUpdate, VersionInput } from './schemas';
import { findingSearchDocument, projectSearchDocument } from './search';

type Project = typeof researchProjects.$inferSelect;
type Finding = typeof researchFindings.$inferSelect;

/** The project if `user` may see it (404 otherwise) and edit it (403 otherwise). */
function requireEditableProject(tx: Tx, user: SessionUser, projectId: number): Project {
  // kept queries: every change to a project or finding starts here
  const { key, viewer } = keptViewer(user);
  const project = keptQuery(tx, `project visible, ${key}`, (db) => db.select().from(researchProjects).where(and(eq(researchProjects.id, sql.placeholder('id')), projectVisibleTo(viewer))).prepare()).get({ id: projectId, viewer: user.id });
  if (!project) throw new NotFound('No research project has that number.');
  if (!canEditProject(tx, user, projectId)) throw new Forbidden('Only the project’s people and its organizations’ editors can change it.');
  return project;
}

function requireEditableFinding(tx: Tx, user: SessionUser, findingId: number): { finding: Finding; project: Project } {
  const { key, viewer } = keptViewer(user);
  const finding = keptQuery(tx, `finding visible, ${key}`, (db) => db.select().from(researchFindings).where(and(eq(researchFindings.id, sql.placeholder('id')), findingVisibleTo(viewer))).prepare()).get({ id: findingId, viewer: user.id });
  if (!finding) throw new NotFound('No finding has that number.');
  const project = requireEditableProject(tx, user, finding.projectId);
  return { finding, project };
}

/** User ids of the project's people with accounts, and of its organizations' owners and editors. */
function projectAudience(tx: Tx, projectId: number): string[] {
  const people = tx
    .select({ userId: researchProjectPeople.userId })
    .from(researchProjectPeople)
    .where(eq(researchProjectPeople.projectId, projectId))
    .all()
    .map((p) => p.userId)
    .filter((id): id is string => !!id);
  const orgIds = tx
    .select({ id: researchProjectOrganizations.organizationId })
    .from(researchProjectOrganizations)
    .where(eq(researchProjectOrganizations.projectId, projectId))
    .all()
    .map((o) => o.id);
  const editors = orgIds.length
    ? tx
        .select({ userId: memberships.userId })
        .from(memberships)
        .where(and(inArray(memberships.organizationId, orgIds), inArray(memberships.role, ['owner', 'editor'])))
        .all()
        .map((m) => m.userId)
    : [];
  return [...new Set([...people, ...editors])];
}

/** The project's document, and its published findings' (they carry the project's title and keywords). */
function reindexProject(tx: Tx, project: Project, withFindings = false) {
  if (!tx.select({ id: researchProjects.id }).from(researchProjects).where(and(eq(researchProjects.id, project.id), projectVisibleTo(null))).get()) {
    searchIndex.remove(tx, 'project', String(project.id));
    return;
  }
  searchIndex.upsert(tx, projectSearchDocument(tx, project));
  if (!withFindings) return;
  const published = tx
    .select()
    .from(researchFindings)
    .where(and(eq(researchFindings.projectId, project.id), findingVisibleTo(null)))
    .all();
  for (const f of published) searchIndex.upsert(tx, findingSearchDocument(tx, f));
}

/** Resolves partner slugs and people's emails; collects every problem under its field path. */
function resolveLists(tx: Tx, leadId: number, input: Pick<ProjectInput, 'partners' | 'people'>) {
  const fields: FieldErrors = {};
  const partners: { organizationId: number; role: Exclude<ProjectOrganizationRole, 'lead'>; name: string }[] = [];
  const seen = new Set<number>([leadId]);
  input.partners?.forEach((p, i) => {
    const org = tx.select().from(organizations).where(eq(organizations.slug, p.organizationSlug)).get();
    if (!org || org.status !== 'verified') {
      fields[`partners.${i}.organizationSlug`] = ['Choose a verified organization.'];
    } else if (seen.has(org.id)) {
      fields[`partners.${i}.organizationSlug`] = ['This organization is already on the project.'];
    } else {
      seen.add(org.id);
      partners.push({ organizationId: org.id, role: p.role, name: org.name });
    }
  });
  const people = (input.people ?? []).map((p, i) => {
    // The answer is the same whether or not the address has an account (it does not reveal who
    // has one); the person is linked now if a verified account uses it, else once one does.
    const email = p.email?.toLowerCase() ?? null;
    const userId = email ? (verifiedAccountFor(tx, email)?.id ?? null) : null;
    return { name: p.name, orcid: p.orcid ?? null, role: p.role, userId, email, position: i };
  });
  const orcids = people.map((p) => p.orcid).filter(Boolean);
  people.forEach((p, i) => {
    if (p.orcid && orcids.indexOf(p.orcid) !== orcids.lastIndexOf(p.orcid)) fields[`people.${i}.orcid`] = ['The same ORCID iD appears twice.'];
  });
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
  return { partners, people };
}

function replacePeople(tx: Tx, projectId: number, people: ReturnType<typeof resolveLists>['people']) {
  tx.delete(researchProjectPeople).where(eq(researchProjectPeople.projectId, projectId)).run();
  if (people.length) tx.insert(researchProjectPeople).values(people.map((p) => ({ ...p, projectId }))).run();
}

function replacePartners(tx: Tx, projectId: number, partners: ReturnType<typeof resolveLists>['partners']) {
  tx.delete(researchProjectOrganizations)
    .where(and(eq(researchProjectOrganizations.projectId, projectId), sql`${researchProjectOrganizations.role} <> 'lead'`))
    .run();
  if (partners.length) {
    tx.insert(researchProjectOrganizations)
      .values(partners.map((p, i) => ({ projectId, organizationId: p.organizationId, role: p.role, position: i + 1 })))
      .run();
  }
}

function replaceFunding(tx: Tx, projectId: number, funding: NonNullable<ProjectInput['funding']>) {
  tx.delete(researchFunding).where(eq(researchFunding.projectId, projectId)).run();
  if (funding.length) {
    tx.insert(researchFunding)
      .values(funding.map((f, i) => ({ projectId, funder: f.funder, awardNumber: f.awardNumber ?? null, amountMinor: f.amountMinor ?? null, currency: f.currency ?? null, position: i })))
      .run();
  }
}

function notifyNewPeople(tx: Tx, actor: SessionUser, project: Project, userIds: (string | null)[]) {
  for (const id of new Set(userIds)) {
    if (!id || id === actor.id) continue;
    notify(tx, id, { kind: 'research.person_added', params: { project: both(project.title, project.titleZh) }, url: `/research/projects/${project.id}` });
  }
}

function notifyNewPartners(tx: Tx, actor: SessionUser, project: Project, organizationIds: number[]) {
  if (!organizationIds.length) return;
  const owners = tx
    .select({ userId: memberships.userId, organizationId: memberships.organizationId })
    .from(memberships)
    .where(and(inArray(memberships.organizationId, organizationIds), eq(memberships.role, 'owner')))
    .all();
  for (const o of owners) {
    if (o.userId === actor.id) continue;
    notify(tx, o.userId, { kind: 'research.partner_added', params: { project: both(project.title, project.titleZh) }, url: `/research/projects/${project.id}` });
  }
}

/** Registers a project led by an organization the user edits. */
export function createProject(db: Db, user: SessionUser, input: ProjectInput): Project {
  return write(db, (tx) => {
    const lead = tx.select().from(organizations).where(eq(organizations.slug, input.organizationSlug)).get();
    if (!lead || !isEditor(tx, user, lead.id)) {
      throw new Forbidden('You can register projects only for an organization you edit.');
    }
    const { partners, people } = resolveLists(tx, lead.id, input);
    const project = tx
      .insert(researchProjects)
      .values({
        title: input.title,
        titleZh: input.titleZh ?? null,
        acronym: input.acronym ?? null,
        abstractMd: input.abstractMd,
        status: input.status,
        startDate: input.startDate,
        endDate: input.endDate ?? null,
        keywords: input.keywords ?? [],
        topics: [...new Set(input.topics ?? [])],
        corridors: input.corridors ?? [],
        createdBy: user.id,
      })
      .returning()
      .get();
    tx.insert(researchProjectOrganizations).values({ projectId: project.id, organizationId: lead.id, role: 'lead', position: 0 }).run();
    replacePartners(tx, project.id, partners);
    replacePeople(tx, project.id, people);
    replaceFunding(tx, project.id, input.funding ?? []);
    recordAudit(tx, {
      actorId: user.id,
      action: 'research.project_created',
      subjectType: 'research_project',
      subjectId: project.id,
      details: { title: project.title, lead: lead.slug, partners: partners.map((p) => p.organizationId) },
    });
    notifyNewPeople(tx, user, project, people.map((p) => p.userId));
    notifyNewPartners(tx, user, project, partners.map((p) => p.organizationId));
    reindexProject(tx, project);
    return project;
  });
}

export function updateProject(db: Db, user: SessionUser, projectId: number, input: ProjectUpdate): Project {
  return write(db, (tx) => {
    const before = requireEditableProject(tx, user, projectId);
    const start = input.startDate ?? before.startDate;
    const end = input.endDate === undefined ? before.endDate : input.endDate;
    if (end && end < start) throw new Invalid('The end date cannot be before the start date.', { endDate: ['The end date cannot be before the start date.'] });
    const leadId = tx
      .select({ id: researchProjectOrganizations.organizationId })
      .from(researchProjectOrganizations)
      .where(and(eq(researchProjectOrganizations.projectId, projectId), eq(researchProjectOrganizations.role, 'lead')))
      .get()!.id;
    const oldPeople = tx.select({ userId: researchProjectPeople.userId }).from(researchProjectPeople).where(eq(researchProjectPeople.projectId, projectId)).all();
    const oldPartners = tx
      .select({ id: researchProjectOrganizations.organizationId })
      .from(researchProjectOrganizations)
      .where(eq(researchProjectOrganizations.projectId, projectId))
      .all();
    const { partners, people } = resolveLists(tx, leadId, { partners: input.partners, people: input.people });
    const { partners: _p, people: _pe, funding, topics, ...scalars } = input;
    const changes = Object.fromEntries(Object.entries(scalars).filter(([, v]) => v !== undefined));
    const project = tx
      .update(researchProjects)
      .set({ ...changes, ...(topics ? { topics: [...new Set(topics)] } : {}), updatedAt: new Date() })
      .where(eq(researchProjects.id, projectId))
      .returning()
      .get();
    if (input.partners) replacePartners(tx, projectId, partners);
    if (input.people) replacePeople(tx, projectId, people);
    if (funding) replaceFunding(tx, projectId, funding);
    recordAudit(tx, {
      actorId: user.id,
      action: 'research.project_updated',
      subjectType: 'research_project',
      subjectId: projectId,
      details: { fields: Object.keys(input).filter((k) => input[k as keyof ProjectUpdate] !== undefined) },
    });
    if (input.people) {
      const had = new Set(oldPeople.map((p) => p.userId));
      notifyNewPeople(tx, user, project, people.map((p) => p.userId).filter((id) => !had.has(id)));
    }
    if (input.partners) {
      const had = new Set(oldPartners.map((p) => p.id));
      notifyNewPartners(tx, user, project, partners.map((p) => p.organizationId).filter((id) => !had.has(id)));
    }
    reindexProject(tx, project, true);
    return project;
  });
}

function ensureDoiFree(tx: Tx, doi: string | undefined, exceptFindingId?: number) {
  if (!doi) return;
  const other = tx.select({ id: researchFindings.id }).from(researchFindings).where(sql`lower(${researchFindings.doi}) = ${doiKey(doi)}`).get();
  if (other && other.id !== exceptFindingId) {
    throw new Conflict('Another finding already has this DOI.', 'doi_taken', { doi: ['Another finding already has this DOI.'] });
  }
}

export function createFinding(db: Db, user: SessionUser, projectId: number, input: FindingInput): Finding {
  return write(db, (tx) => {
    requireEditableProject(tx, user, projectId);
    ensureDoiFree(tx, input.doi);
    const finding = tx
      .insert(researchFindings)
      .values({
        projectId,
        type: input.type,
        title: input.title,
        titleZh: input.titleZh ?? null,
        licence: input.licence,
        access: input.access,
        embargoUntil: input.access === 'embargoed' ? input.embargoUntil! : null,
        doi: input.doi ?? null,
        createdBy: user.id,
      })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.finding_created', subjectType: 'research_finding', subjectId: finding.id, details: { projectId, title: finding.title, type: finding.type } });
    return finding;
  });
}

/** Metadata (not the body) may change after publication: a DOI arrives, an embargo is lifted. */
export function updateFinding(db: Db, user: SessionUser, findingId: number, input: FindingUpdate): Finding {
  return write(db, (tx) => {
    const { finding: before } = requireEditableFinding(tx, user, findingId);
    ensureDoiFree(tx, input.doi, findingId);
    const access = input.access ?? before.access;
    const embargoUntil = access === 'embargoed' ? (input.embargoUntil ?? before.embargoUntil) : null;
    if (access === 'embargoed' && !embargoUntil) throw new Invalid('Give the date the embargo ends.', { embargoUntil: ['Give the date the embargo ends.'] });
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    const finding = tx
      .update(researchFindings)
      .set({ ...changes, access, embargoUntil, updatedAt: new Date() })
      .where(eq(researchFindings.id, findingId))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.finding_updated', subjectType: 'research_finding', subjectId: findingId, details: { fields: Object.keys(changes) } });
    if (tx.select({ id: researchFindings.id }).from(researchFindings).where(and(eq(researchFindings.id, findingId), findingVisibleTo(null))).get()) {
      searchIndex.upsert(tx, findingSearchDocument(tx, finding));
    }
    return finding;
  });
}

/** The latest version's number and state, without its text (a body can be 50 KB; adding and publishing need neither). */
function latestVersion(tx: Tx, findingId: number) {
  return tx
    .select({ id: researchFindingVersions.id, number: researchFindingVersions.number, publishedAt: researchFindingVersions.publishedAt })
    .from(researchFindingVersions)
    .where(eq(researchFindingVersions.findingId, findingId))
    .orderBy(desc(researchFindingVersions.number))
    .get();
}

/** Adds a draft version. After the first, a changelog says what changed. */
export function addVersion(db: Db, user: SessionUser, findingId: number, input: VersionInput) {
  return write(db, (tx) => {
    requireEditableFinding(tx, user, findingId);
    const latest = latestVersion(tx, findingId);
    if (latest && !latest.publishedAt) {
      throw new Conflict(`Version ${latest.number} is still a draft: edit or publish it first.`, 'draft_exists');
    }
    const number = (latest?.number ?? 0) + 1;
    if (number > 1 && !input.changelog) {
      throw new Invalid('Say what changed in this version.', { changelog: ['Say what changed in this version.'] });
    }
    const version = tx
      .insert(researchFindingVersions)
      .values({ findingId, number, bodyMd: input.bodyMd, changelog: input.changelog ?? null, createdBy: user.id })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.version_created', subjectType: 'research_finding', subjectId: findingId, details: { number } });
    return version;
  });
}

/** Edits a draft version; a published one never changes. */
export function updateDraftVersion(db: Db, user: SessionUser, findingId: number, number: number, input: VersionInput) {
  return write(db, (tx) => {
    requireEditableFinding(tx, user, findingId);
    const version = tx
      .select()
      .from(researchFindingVersions)
      .where(and(eq(researchFindingVersions.findingId, findingId), eq(researchFindingVersions.number, number)))
      .get();
    if (!version) throw new NotFound('This finding has no version with that number.');
    if (version.publishedAt) throw new Conflict('A published version cannot be changed: add a new version instead.', 'version_published');
    if (number > 1 && !input.changelog) throw new Invalid('Say what changed in this version.', { changelog: ['Say what changed in this version.'] });
    const updated = tx
      .update(researchFindingVersions)
      .set({ bodyMd: input.bodyMd, changelog: input.changelog ?? null })
      .where(eq(researchFindingVersions.id, version.id))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.version_edited', subjectType: 'research_finding', subjectId: findingId, details: { number } });
    return updated;
  });
}

/** Publishes the latest (draft) version. The lead organization must be verified. */
export function publishFinding(db: Db, user: SessionUser, findingId: number, now = new Date()) {
  return write(db, (tx) => {
    const { finding, project } = requireEditableFinding(tx, user, findingId);
    if (finding.status === 'unpublished') {
      throw new Conflict('An admin unpublished this finding; only an admin can bring it back.', 'unpublished_by_admin');
    }
    if (!leadIsVerified(tx, project.id)) {
      throw new Conflict('The project’s lead organization must be verified before anything is published.', 'organization_not_verified');
    }
    const latest = latestVersion(tx, findingId);
    if (!latest) throw new Conflict('Add a version with the text before publishing.', 'no_version');
    if (latest.publishedAt) throw new Conflict(`Version ${latest.number} is already published: add a new version first.`, 'nothing_to_publish');
    tx.update(researchFindingVersions).set({ publishedAt: now }).where(eq(researchFindingVersions.id, latest.id)).run();
    const updated = tx
      .update(researchFindings)
      .set({ status: 'published', publishedAt: finding.publishedAt ?? now, updatedAt: now })
      .where(eq(researchFindings.id, findingId))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.version_published', subjectType: 'research_finding', subjectId: findingId, details: { number: latest.number } });
    for (const id of projectAudience(tx, project.id)) {
      if (id === user.id) continue;
      notify(tx, id, {
        kind: 'research.version_published',
        params: { number: latest.number, finding: both(finding.title, finding.titleZh) },
        url: `/research/findings/${findingId}?v=${latest.number}`,
      });
    }
    searchIndex.upsert(tx, findingSearchDocument(tx, updated, now));
    return { finding: updated, number: latest.number };
  });
}

/** An admin takes a finding out of public view (and search and feeds), with a reason for the audit log. */
export function unpublishFinding(db: Db, user: SessionUser, findingId: number, reason: string) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins can unpublish findings.');
  if (!reason.trim()) throw new Invalid('Give a reason.', { reason: ['Give a reason.'] });
  return write(db, (tx) => {
    const finding = tx.select().from(researchFindings).where(eq(researchFindings.id, findingId)).get();
    if (!finding) throw new NotFound('No finding has that number.');
    if (finding.status !== 'published') throw new Conflict('Only a published finding can be unpublished.', 'not_published');
    const updated = tx
      .update(researchFindings)
      .set({ status: 'unpublished', unpublishedAt: new Date(), unpublishReason: reason, updatedAt: new Date() })
      .where(eq(researchFindings.id, findingId))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'research.finding_unpublished', subjectType: 'research_finding', subjectId: findingId, details: { reason } });
    for (const id of projectAudience(tx, finding.projectId)) {
      notify(tx, id, { kind: 'research.finding_unpublished', params: { finding: both(finding.title, finding.titleZh) }, note: reason, url: `/research/findings/${findingId}`, email: true });
    }
    searchIndex.remove(tx, 'finding', String(findingId));
    return updated;
  });
}
