/** How projects and published findings look to the search index. */
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { organizations, researchFindings, researchFindingVersions, researchProjectOrganizations, researchProjects } from '@db/schema';
import { markdownToText } from '~/lib/markdown/render';
import type { DocumentSource, SearchDocument } from '~/lib/search/types';
import { bodyIsPublic, findingVisibleTo, projectVisibleTo } from './policy';

const HAN = /\p{Script=Han}/u;
const LATIN = /\p{Script=Latin}/u;

function contentLang(...texts: (string | null | undefined)[]): SearchDocument['lang'] {
  const all = texts.filter(Boolean).join(' ');
  const zh = HAN.test(all);
  const en = LATIN.test(all);
  return zh && en ? 'mul' : zh ? 'zh-cn' : 'en';
}

function leadOrganization(db: DbOrTx, projectId: number) {
  return db
    .select({ name: organizations.name, nameZh: organizations.nameZh, type: organizations.type })
    .from(researchProjectOrganizations)
    .innerJoin(organizations, eq(organizations.id, researchProjectOrganizations.organizationId))
    .where(and(eq(researchProjectOrganizations.projectId, projectId), eq(researchProjectOrganizations.role, 'lead')))
    .get();
}

export function projectSearchDocument(db: DbOrTx, project: typeof researchProjects.$inferSelect): SearchDocument {
  const lead = leadOrganization(db, project.id);
  const abstract = markdownToText(project.abstractMd);
  return {
    kind: 'project',
    id: String(project.id),
    url: `/research/projects/${project.id}`,
    lang: contentLang(project.title, project.titleZh, abstract),
    title: project.acronym ? `${project.title} (${project.acronym})` : project.title,
    titleZh: project.titleZh,
    summary: project.keywords.join(', '),
    body: abstract,
    organizationName: lead?.name ?? null,
    organizationType: lead?.type ?? null,
    year: Number(project.startDate.slice(0, 4)),
    tags: [...project.keywords, ...project.topics],
  };
}

/** A published finding: its metadata always, its latest published body only when the body is public. */
export function findingSearchDocument(db: DbOrTx, finding: typeof researchFindings.$inferSelect, now = new Date()): SearchDocument {
  const project = db.select().from(researchProjects).where(eq(researchProjects.id, finding.projectId)).get()!;
  const lead = leadOrganization(db, finding.projectId);
  const latest = db
    .select({ bodyMd: researchFindingVersions.bodyMd })
    .from(researchFindingVersions)
    .where(and(eq(researchFindingVersions.findingId, finding.id), isNotNull(researchFindingVersions.publishedAt)))
    .orderBy(desc(researchFindingVersions.number))
    .get();
  const body = latest && bodyIsPublic(finding, now) ? markdownToText(latest.bodyMd) : '';
  return {
    kind: 'finding',
    id: String(finding.id),
    url: `/research/findings/${finding.id}`,
    lang: contentLang(finding.title, finding.titleZh, body),
    title: finding.title,
    titleZh: finding.titleZh,
    summary: [project.title, project.titleZh].filter(Boolean).join(' · '),
    body,
    organizationName: lead?.name ?? null,
    organizationType: lead?.type ?? null,
    year: finding.publishedAt?.getFullYear() ?? null,
    tags: [finding.type, ...project.keywords],
  };
}

export const projectSource: DocumentSource = {
  kind: 'project',
  all: (db) =>
    db
      .select()
      .from(researchProjects)
      .where(projectVisibleTo(null))
      .all()
      .map((p) => projectSearchDocument(db, p)),
  ofOrganization: (db, organizationId) =>
    ledBy(db, organizationId).map((p) => projectSearchDocument(db, p)),
};

/** The public projects an organization leads: their documents carry its name. */
function ledBy(db: DbOrTx, organizationId: number) {
  return db
    .select({ project: researchProjects })
    .from(researchProjects)
    .innerJoin(researchProjectOrganizations, eq(researchProjectOrganizations.projectId, researchProjects.id))
    .where(and(eq(researchProjectOrganizations.organizationId, organizationId), eq(researchProjectOrganizations.role, 'lead'), projectVisibleTo(null)))
    .all()
    .map((r) => r.project);
}

export const findingSource: DocumentSource = {
  kind: 'finding',
  all: (db) =>
    db
      .select()
      .from(researchFindings)
      .where(findingVisibleTo(null))
      .all()
      .map((f) => findingSearchDocument(db, f)),
  ofOrganization: (db, organizationId) =>
    ledBy(db, organizationId)
      .flatMap((p) => db.select().from(researchFindings).where(and(eq(researchFindings.projectId, p.id), findingVisibleTo(null))).all())
      .map((f) => findingSearchDocument(db, f)),
};
