/** Research registry reads, scoped to what the asking user may see. */
import { and, asc, count, desc, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import {
  organizations,
  researchFindings,
  researchFindingVersions,
  researchFunding,
  researchProjectOrganizations,
  researchProjectPeople,
  researchProjects,
  users,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { NotFound } from '~/lib/errors';
import { minorUnitDigits } from './codes';
import { canEditProject, findingBodyVisibleTo, findingVisibleTo, projectVisibleTo } from './policy';
import type { ProjectListQuery } from './schemas';

/** The projects the user may see (the public ones, for most), filtered as the browse page and the API allow. */
export function listProjects(db: DbOrTx, user: SessionUser | null, q: ProjectListQuery, { organizationByName = false } = {}) {
  const where: SQL[] = [projectVisibleTo(user)];
  if (q.status) where.push(eq(researchProjects.status, q.status));
  if (q.topic) where.push(sql`exists (select 1 from json_each(${researchProjects.topics}) where value = ${q.topic})`);
  if (q.organization) {
    // the browse page's search box: a slug (links from an organization's page) or part of a name in either language
    const like = `%${q.organization.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const match = organizationByName
      ? sql`(o.slug = ${q.organization} or o.name like ${like} escape '\\' or o.name_zh like ${like} escape '\\')`
      : sql`o.slug = ${q.organization}`;
    where.push(sql`exists (select 1 from ${researchProjectOrganizations} rpo join ${organizations} o on o.id = rpo.organization_id
      where rpo.project_id = ${researchProjects.id} and ${match})`);
  }
  if (q.corridor) {
    const [origin, destination] = q.corridor.split('-');
    where.push(
      destination
        ? sql`exists (select 1 from json_each(${researchProjects.corridors}) c where json_extract(c.value, '$.origin') = ${origin} and json_extract(c.value, '$.destination') = ${destination})`
        : sql`exists (select 1 from json_each(${researchProjects.corridors}) c where json_extract(c.value, '$.origin') = ${origin} or json_extract(c.value, '$.destination') = ${origin})`,
    );
  }
  if (q.year) {
    // Projects running at some point in that year.
    where.push(sql`${researchProjects.startDate} <= ${`${q.year}-12-31`} and (${researchProjects.endDate} is null or ${researchProjects.endDate} >= ${`${q.year}-01-01`})`);
  }
  const page = q.page ?? 1;
  const perPage = q.perPage ?? 20;
  const rows = db
    .select()
    .from(researchProjects)
    .where(and(...where))
    .orderBy(desc(researchProjects.startDate), desc(researchProjects.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  const total = db.select({ n: count() }).from(researchProjects).where(and(...where)).get()!.n;
  const leads = new Map(
    rows.length
      ? db
          .select({ projectId: researchProjectOrganizations.projectId, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
          .from(researchProjectOrganizations)
          .innerJoin(organizations, eq(organizations.id, researchProjectOrganizations.organizationId))
          .where(and(inArray(researchProjectOrganizations.projectId, rows.map((r) => r.id)), eq(researchProjectOrganizations.role, 'lead')))
          .all()
          .map(({ projectId, ...lead }) => [projectId, lead])
      : [],
  );
  return { items: rows.map((p) => projectSummary(p, leads.get(p.id))), total, page, perPage };
}

function projectSummary(p: typeof researchProjects.$inferSelect, lead: { slug: string; name: string; nameZh: string | null } | undefined) {
  return {
    id: p.id,
    title: p.title,
    titleZh: p.titleZh,
    acronym: p.acronym,
    status: p.status,
    startDate: p.startDate,
    endDate: p.endDate,
    keywords: p.keywords,
    topics: p.topics,
    corridors: p.corridors,
    lead: lead ?? null,
  };
}

function projectOrganizationList(db: DbOrTx, projectId: number) {
  return db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      name: organizations.name,
      nameZh: organizations.nameZh,
      type: organizations.type,
      rorId: organizations.rorId,
      status: organizations.status,
      role: researchProjectOrganizations.role,
    })
    .from(researchProjectOrganizations)
    .innerJoin(organizations, eq(organizations.id, researchProjectOrganizations.organizationId))
    .where(eq(researchProjectOrganizations.projectId, projectId))
    .orderBy(asc(researchProjectOrganizations.position))
    .all()
    .map((o) => ({ ...o, verified: o.status === 'verified' }));
}

export function projectPeople(db: DbOrTx, projectId: number) {
  return db
    .select()
    .from(researchProjectPeople)
    .where(eq(researchProjectPeople.projectId, projectId))
    .orderBy(asc(researchProjectPeople.position))
    .all();
}

/** A project with everything its page shows; 404 when the user may not see it. */
export function getProject(db: DbOrTx, user: SessionUser | null, projectId: number) {
  const project = db.select().from(researchProjects).where(and(eq(researchProjects.id, projectId), projectVisibleTo(user))).get();
  if (!project) throw new NotFound('No research project has that number.');
  const canEdit = canEditProject(db, user, projectId);
  const findings = db
    .select()
    .from(researchFindings)
    .where(and(eq(researchFindings.projectId, projectId), findingVisibleTo(user)))
    .orderBy(desc(researchFindings.publishedAt), desc(researchFindings.id))
    .all();
  const people = projectPeople(db, projectId);
  return {
    project,
    canEdit,
    organizations: projectOrganizationList(db, projectId),
    people,
    funding: db.select().from(researchFunding).where(eq(researchFunding.projectId, projectId)).orderBy(asc(researchFunding.position)).all(),
    findings,
  };
}

/** The JSON the API returns for a project. Linked accounts' emails are not exposed. */
export function projectView(view: ReturnType<typeof getProject>) {
  const p = view.project;
  return {
    id: p.id,
    title: p.title,
    titleZh: p.titleZh,
    acronym: p.acronym,
    abstractMd: p.abstractMd,
    status: p.status,
    startDate: p.startDate,
    endDate: p.endDate,
    keywords: p.keywords,
    topics: p.topics,
    corridors: p.corridors,
    organizations: view.organizations.map((o) => ({ slug: o.slug, name: o.name, nameZh: o.nameZh, role: o.role, verified: o.verified, rorId: o.rorId })),
    people: view.people.map((x) => ({ name: x.name, orcid: x.orcid, role: x.role })),
    funding: view.funding.map((f) => ({ funder: f.funder, awardNumber: f.awardNumber, amountMinor: f.amountMinor, currency: f.currency })),
    findings: view.findings.map((f) => ({ id: f.id, type: f.type, title: f.title, titleZh: f.titleZh, status: f.status })),
  };
}

/**
 * A finding with the versions the user may see (published ones; drafts too for the project's
 * editors) and whether the body may be shown; 404 when the user may not see the finding.
 */
export function getFinding(db: DbOrTx, user: SessionUser | null, findingId: number, now = new Date()) {
  const found = db
    .select({ finding: researchFindings, bodyVisible: sql<number>`${findingBodyVisibleTo(user, now)}`, bodyPublic: sql<number>`${findingBodyVisibleTo(null, now)}` })
    .from(researchFindings)
    .where(and(eq(researchFindings.id, findingId), findingVisibleTo(user)))
    .get();
  if (!found) throw new NotFound('No finding has that number.');
  const { finding } = found;
  const project = getProject(db, user, finding.projectId);
  const versions = db
    .select()
    .from(researchFindingVersions)
    .where(and(eq(researchFindingVersions.findingId, findingId), project.canEdit ? undefined : isNotNull(researchFindingVersions.publishedAt)))
    .orderBy(asc(researchFindingVersions.number))
    .all();
  return { finding, project, versions, bodyVisible: !!found.bodyVisible, bodyPublic: !!found.bodyPublic };
}

export type FindingView = ReturnType<typeof getFinding>;

export function findingView(view: FindingView) {
  const f = view.finding;
  return {
    id: f.id,
    projectId: f.projectId,
    type: f.type,
    title: f.title,
    titleZh: f.titleZh,
    licence: f.licence,
    access: f.access,
    embargoUntil: f.embargoUntil,
    doi: f.doi,
    status: f.status,
    publishedAt: f.publishedAt?.toISOString() ?? null,
    bodyVisible: view.bodyVisible,
    versions: view.versions.map((v) => ({
      number: v.number,
      changelog: v.changelog,
      publishedAt: v.publishedAt?.toISOString() ?? null,
      bodyMd: view.bodyVisible ? v.bodyMd : null,
    })),
  };
}

/** One version of a finding the user may see; 404 otherwise. */
export function getVersion(view: FindingView, number: number) {
  const version = view.versions.find((v) => v.number === number);
  if (!version) throw new NotFound('This finding has no version with that number.');
  return version;
}

/** Newest published findings of public projects, for the Atom feed. */
export function listRecentFindings(db: DbOrTx, limit = 50) {
  const rows = db
    .select({ finding: researchFindings, projectTitle: researchProjects.title, projectTitleZh: researchProjects.titleZh })
    .from(researchFindings)
    .innerJoin(researchProjects, eq(researchProjects.id, researchFindings.projectId))
    .where(findingVisibleTo(null))
    .orderBy(desc(researchFindings.publishedAt), desc(researchFindings.id))
    .limit(limit)
    .all();
  return rows.map((r) => {
    const latest = db
      .select({ number: researchFindingVersions.number, publishedAt: researchFindingVersions.publishedAt })
      .from(researchFindingVersions)
      .where(and(eq(researchFindingVersions.findingId, r.finding.id), isNotNull(researchFindingVersions.publishedAt)))
      .orderBy(desc(researchFindingVersions.number))
      .get();
    return { ...r, latest };
  });
}

/** Organizations the user edits, for the lead-organization choice on the project form. */
export function organizationsUserEdits(db: DbOrTx, user: SessionUser) {
  return db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh, status: organizations.status })
    .from(organizations)
    .where(sql`exists (select 1 from memberships m where m.organization_id = ${organizations.id} and m.user_id = ${user.id} and m.role in ('owner','editor'))`)
    .orderBy(asc(organizations.name))
    .all();
}

/** Verified organizations, for the partner choices. */
export function verifiedOrganizations(db: DbOrTx) {
  return db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .where(eq(organizations.status, 'verified'))
    .orderBy(asc(organizations.name))
    .all();
}

/**
 * What the edit form starts from. Linked people carry their account's email so that saving the
 * form keeps them linked; only the project's editors reach this.
 */
export function projectFormValues(db: DbOrTx, view: ReturnType<typeof getProject>) {
  const p = view.project;
  const emails = new Map(
    db
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(inArray(users.id, view.people.map((x) => x.userId).filter((id): id is string => !!id)))
      .all()
      .map((u) => [u.id, u.email]),
  );
  return {
    title: p.title,
    titleZh: p.titleZh ?? '',
    acronym: p.acronym ?? '',
    abstractMd: p.abstractMd,
    status: p.status,
    startDate: p.startDate,
    endDate: p.endDate ?? '',
    keywords: p.keywords.join(', '),
    topics: p.topics as string[],
    people: view.people.map((x) => ({ name: x.name, role: x.role as string, orcid: x.orcid ?? '', email: x.email ?? (x.userId ? (emails.get(x.userId) ?? '') : '') })),
    partners: view.organizations.filter((o) => o.role !== 'lead').map((o) => ({ organizationSlug: o.slug, role: o.role as string })),
    funding: view.funding.map((f) => ({
      funder: f.funder,
      awardNumber: f.awardNumber ?? '',
      amount: f.amountMinor !== null && f.currency ? (f.amountMinor / 10 ** minorUnitDigits(f.currency)).toFixed(minorUnitDigits(f.currency)) : '',
      currency: f.currency ?? '',
    })),
    corridors: p.corridors.map((c) => ({ origin: c.origin, destination: c.destination })),
  };
}
export type ProjectFormValues = ReturnType<typeof projectFormValues>;
