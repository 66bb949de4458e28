/**
 * Credit schemes: an industry body turns two clauses of one of its published standards into a
 * scheme (draft), confirms the parse and activates it, and later retires it. Writes here, reads
 * for the pages and the API below them. Drafts are the body's business (404 to others); active
 * and retired schemes are public.
 */
import { and, count, desc, eq, inArray, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { creditSchemes, organizations, standards, type SchemeState } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound } from '~/lib/errors';
import { isEditor, isMember } from '~/lib/organizations/policy';
import { getOrganizationBySlug } from '~/lib/organizations/service';
import { parseClauses } from '~/lib/standards/clauses';
import { latestVersion } from '~/lib/standards/service';
import { maxScore } from './grade';
import { parseScheme } from './parse';
import type { SchemeCreateInput, SchemeSettingsInput } from './scheme-schemas';

export type Scheme = typeof creditSchemes.$inferSelect;
type Organization = typeof organizations.$inferSelect;

/** The scheme lifecycle as data: each move, and what a refusal from any other state says. */
export const SCHEME_TRANSITIONS: readonly { from: SchemeState; to: SchemeState; refusal: string }[] = [
  { from: 'draft', to: 'active', refusal: 'Only a draft scheme can be activated.' },
  { from: 'active', to: 'retired', refusal: 'Only an active scheme can be retired.' },
];

export const nextSchemeStates = (from: SchemeState) => SCHEME_TRANSITIONS.filter((t) => t.from === from).map((t) => t.to);

/** Why a scheme in `from` may not move to `to`, or null. */
export function schemeRefusal(from: SchemeState, to: SchemeState): string | null {
  const rule = SCHEME_TRANSITIONS.find((t) => t.to === to);
  if (!rule) return `A scheme cannot move to ${to}.`;
  return rule.from === from ? null : `${rule.refusal} This one is ${from}.`;
}

/** A verified industry body's owners and editors run its schemes. */
export function mayManageSchemes(db: DbOrTx, user: SessionUser | null, body: Pick<Organization, 'id' | 'type' | 'status'>): boolean {
  return body.type === 'industry_body' && body.status === 'verified' && isEditor(db, user, body.id);
}

/** The body by its slug, if `user` may manage its schemes; 404 to outsiders, 403 to plain members. */
export function requireSchemeBody(db: DbOrTx, user: SessionUser | null, slug: string): Organization {
  const body = getOrganizationBySlug(db, slug);
  if (!body || body.type !== 'industry_body' || !isMember(db, user, body.id)) throw new NotFound('No organization has that address.');
  if (body.status !== 'verified') throw new Conflict('The industry body has not been verified yet.', 'not_verified');
  if (!mayManageSchemes(db, user, body)) throw new Forbidden('Only the industry body’s owners and editors manage its credit schemes.');
  return body;
}

/** Active and retired schemes are public; a draft only to the body's owners and editors. */
export function requireVisibleScheme(db: DbOrTx, user: SessionUser | null, id: number): Scheme {
  const scheme = db.select().from(creditSchemes).where(eq(creditSchemes.id, id)).get();
  if (!scheme) throw new NotFound('No credit scheme has that number.');
  if (scheme.state === 'draft' && !isEditor(db, user, scheme.organizationId)) throw new NotFound('No credit scheme has that number.');
  return scheme;
}

function requireManagedScheme(tx: DbOrTx, user: SessionUser, id: number): { scheme: Scheme; body: Organization } {
  const scheme = requireVisibleScheme(tx, user, id);
  const body = tx.select().from(organizations).where(eq(organizations.id, scheme.organizationId)).get()!;
  if (!mayManageSchemes(tx, user, body)) throw new Forbidden('Only the industry body’s owners and editors manage its credit schemes.');
  return { scheme, body };
}

const NOT_A_SOURCE = 'Choose one of the body’s published standards.';

/** The standard a scheme may be built on: published, with a text, of a body `user` manages schemes for. */
function requireSchemeSource(tx: DbOrTx, user: SessionUser, standardId: number) {
  const standard = tx.select().from(standards).where(eq(standards.id, standardId)).get();
  const body = standard && tx.select().from(organizations).where(eq(organizations.id, standard.organizationId)).get();
  if (!standard || !body || (!standard.everPublic && !isMember(tx, user, body.id))) throw new Invalid(NOT_A_SOURCE, { standardId: [NOT_A_SOURCE] });
  if (!mayManageSchemes(tx, user, body)) throw new Forbidden('Only the industry body’s owners and editors manage its credit schemes.');
  if (standard.state !== 'published' || !standard.number) throw new Conflict(`A scheme is built on a published standard; this one is ${standard.state}.`, 'standard_not_published', { standardId: [NOT_A_SOURCE] });
  const version = latestVersion(tx, standard.id);
  if (!version) throw new Invalid(NOT_A_SOURCE, { standardId: [NOT_A_SOURCE] });
  return { standard, version, body };
}

/**
 * Creates a draft scheme from a published standard and two of its clauses, for the standard's
 * body. A clause that does not parse is a 400 naming the clause (and row) on its field.
 */
export function createScheme(db: Db, user: SessionUser, input: SchemeCreateInput, now = new Date()) {
  return write(db, (tx) => {
    const { standard, version, body } = requireSchemeSource(tx, user, input.standardId);
    const parsed = parseScheme(version.bodyMd, input.indicatorClause, input.bandClause);
    if (!parsed.ok) throw new Invalid('The chosen clauses do not give a scheme.', parsed.problems as Record<string, string[]>);
    const scheme = tx
      .insert(creditSchemes)
      .values({
        organizationId: body.id,
        name: input.name,
        nameZh: input.nameZh ?? null,
        standardId: standard.id,
        standardNumber: standard.number!,
        standardVersion: version.number,
        indicatorClause: input.indicatorClause,
        bandClause: input.bandClause,
        indicators: parsed.value.indicators,
        bands: parsed.value.bands,
        validityMonths: input.validityMonths,
        surveillanceMonths: input.surveillanceMonths,
        noticeDays: input.noticeDays,
        complaintResponseDays: input.complaintResponseDays,
        complaintThreshold: input.complaintThreshold,
        complaintWindowMonths: input.complaintWindowMonths,
        commitmentText: input.commitmentText,
        commitmentTextZh: input.commitmentTextZh ?? null,
        state: 'draft',
        createdBy: user.id,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.scheme.create',
      subjectType: 'credit_scheme',
      subjectId: scheme.id,
      details: { organization: body.slug, standard: standard.number, version: version.number, indicatorClause: input.indicatorClause, bandClause: input.bandClause },
    });
    return scheme;
  });
}

/** draft → active (the owner or an editor confirmed the parse), active → retired. 409 with the reason otherwise. */
export function transitionScheme(db: Db, user: SessionUser, id: number, to: SchemeState, now = new Date()) {
  return write(db, (tx) => {
    const { scheme } = requireManagedScheme(tx, user, id);
    const refusal = schemeRefusal(scheme.state, to);
    if (refusal) throw new Conflict(refusal, 'transition_refused');
    if (to === 'active') {
      const standard = tx.select({ state: standards.state }).from(standards).where(eq(standards.id, scheme.standardId)).get();
      if (standard?.state !== 'published' && standard?.state !== 'under_review' && standard?.state !== 'confirmed') {
        throw new Conflict(`The scheme’s standard is no longer in force (it is ${standard?.state}); create a scheme on its current version.`, 'transition_refused');
      }
    }
    const updated = tx.update(creditSchemes).set({ state: to, updatedAt: now }).where(eq(creditSchemes.id, scheme.id)).returning().get();
    recordAudit(tx, { actorId: user.id, action: 'credit.scheme.transition', subjectType: 'credit_scheme', subjectId: scheme.id, details: { from: scheme.state, to } });
    return updated;
  });
}

/** Names, periods and commitment of a draft or active scheme; the parse stays as confirmed. */
export function updateSchemeSettings(db: Db, user: SessionUser, id: number, input: SchemeSettingsInput, now = new Date()) {
  return write(db, (tx) => {
    const { scheme } = requireManagedScheme(tx, user, id);
    if (scheme.state === 'retired') throw new Conflict('A retired scheme cannot be changed.', 'scheme_retired');
    const patch = { ...input, nameZh: input.nameZh ?? null, commitmentTextZh: input.commitmentTextZh ?? null };
    const changed = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== scheme[k as keyof Scheme]);
    const updated = tx.update(creditSchemes).set({ ...patch, updatedAt: now }).where(eq(creditSchemes.id, scheme.id)).returning().get();
    if (changed.length) recordAudit(tx, { actorId: user.id, action: 'credit.scheme.settings', subjectType: 'credit_scheme', subjectId: scheme.id, details: { fields: changed } });
    return updated;
  });
}

// ---- reads ----

type BodyRef = Pick<Organization, 'slug' | 'name' | 'nameZh' | 'code'>;

/** What the API and pages show of a scheme. */
export function schemeView(scheme: Scheme, body: BodyRef) {
  return {
    id: scheme.id,
    name: scheme.name,
    nameZh: scheme.nameZh,
    state: scheme.state,
    body: { slug: body.slug, name: body.name, nameZh: body.nameZh, code: body.code },
    standard: { id: scheme.standardId, number: scheme.standardNumber, version: scheme.standardVersion },
    indicatorClause: scheme.indicatorClause,
    bandClause: scheme.bandClause,
    indicators: scheme.indicators,
    bands: scheme.bands,
    maxScore: maxScore(scheme.indicators),
    validityMonths: scheme.validityMonths,
    surveillanceMonths: scheme.surveillanceMonths,
    noticeDays: scheme.noticeDays,
    complaintResponseDays: scheme.complaintResponseDays,
    complaintThreshold: scheme.complaintThreshold,
    complaintWindowMonths: scheme.complaintWindowMonths,
    commitmentText: scheme.commitmentText,
    commitmentTextZh: scheme.commitmentTextZh,
    transitionDeadline: scheme.transitionDeadline,
    createdAt: scheme.createdAt.toISOString(),
    updatedAt: scheme.updatedAt.toISOString(),
  };
}
export type SchemeView = ReturnType<typeof schemeView>;

const bodyColumns = { slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh, code: organizations.code };

/** Active and retired schemes, newest first, paged. */
export function listPublicSchemes(db: DbOrTx, query: { state?: 'active' | 'retired'; page: number; perPage: number }) {
  const where = query.state ? eq(creditSchemes.state, query.state) : inArray(creditSchemes.state, ['active', 'retired']);
  const rows = db
    .select({ scheme: creditSchemes, body: bodyColumns })
    .from(creditSchemes)
    .innerJoin(organizations, eq(organizations.id, creditSchemes.organizationId))
    .where(where)
    .orderBy(sql`${creditSchemes.state} = 'retired'`, desc(creditSchemes.id))
    .limit(query.perPage)
    .offset((query.page - 1) * query.perPage)
    .all();
  const total = db.select({ n: count() }).from(creditSchemes).where(where).get()!.n;
  return { items: rows.map((r) => schemeView(r.scheme, r.body)), total, page: query.page, perPage: query.perPage };
}

/** One scheme as `user` may see it, with what the page needs about its standard and who may act. */
export function schemeDetail(db: DbOrTx, user: SessionUser | null, id: number) {
  const scheme = requireVisibleScheme(db, user, id);
  const body = db.select().from(organizations).where(eq(organizations.id, scheme.organizationId)).get()!;
  const standard = db.select({ id: standards.id, title: standards.title, titleZh: standards.titleZh, state: standards.state }).from(standards).where(eq(standards.id, scheme.standardId)).get()!;
  const clauses = new Map(parseClauses(latestVersion(db, scheme.standardId)?.bodyMd ?? '').map((c) => [c.id, c.title]));
  return {
    view: schemeView(scheme, body),
    standard,
    clauseTitles: Object.fromEntries(clauses),
    canManage: mayManageSchemes(db, user, body),
    nextStates: nextSchemeStates(scheme.state),
  };
}
export type SchemeDetail = ReturnType<typeof schemeDetail>;

/** The body's schemes in every state, for its workspace. */
export function bodySchemes(db: DbOrTx, body: Organization) {
  return db
    .select()
    .from(creditSchemes)
    .where(eq(creditSchemes.organizationId, body.id))
    .orderBy(desc(creditSchemes.id))
    .all()
    .map((s) => schemeView(s, body));
}

/** The industry bodies whose schemes `user` manages (the workspace's choice of body). */
export function managedBodies(db: DbOrTx, user: SessionUser | null): Organization[] {
  if (!user) return [];
  return db
    .select()
    .from(organizations)
    .where(and(eq(organizations.type, 'industry_body'), eq(organizations.status, 'verified')))
    .all()
    .filter((o) => isEditor(db, user, o.id));
}

/** The body's published standards with their clauses (those with a table marked), for the create form's select lists. */
export function schemeSources(db: DbOrTx, body: Organization) {
  return db
    .select()
    .from(standards)
    .where(and(eq(standards.organizationId, body.id), eq(standards.state, 'published')))
    .orderBy(desc(standards.publishedAt))
    .all()
    .map((s) => {
      const version = latestVersion(db, s.id);
      const clauses = parseClauses(version?.bodyMd ?? '')
        .filter((c) => c.id !== '0')
        .map((c) => ({ id: c.id, title: c.title, tables: c.tables.length }));
      return { id: s.id, number: s.number!, title: s.title, titleZh: s.titleZh, version: version?.number ?? 0, clauses };
    });
}

/** Active schemes of a body, or of every body: for other parts (apply forms, directory filters). */
export function activeSchemes(db: DbOrTx, bodyId?: number): Scheme[] {
  const where = bodyId === undefined ? eq(creditSchemes.state, 'active') : and(eq(creditSchemes.state, 'active'), eq(creditSchemes.organizationId, bodyId));
  return db.select().from(creditSchemes).where(where).orderBy(creditSchemes.id).all();
}
