/**
 * Reads of certificates: the public verification view (`certificateView`), the change feed banks
 * and regulators follow (`certificateFeed`), and the body's workspace (`bodyCertificates`,
 * `manageCertificateView`). Every read of one certificate applies its due deadlines first.
 */
import { aliasedTable, and, count, desc, eq, gt, inArray, lte, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '@db/client';
import {
  creditAssessments,
  creditCertificateEvents,
  creditCertificates,
  creditRoles,
  creditSchemes,
  organizations,
  users,
  type CertificateEventKind,
  type CertificateState,
} from '@db/schema';
import { shanghaiDay } from '~/i18n';
import type { SessionUser } from '~/lib/auth/sessions';
import { clauseAnchor } from '~/lib/standards/clauses';
import { allowedMoves, SURVEILLED_STATES, type CertificateMove } from './certificate-lifecycle';
import { applyCertificateDeadlines, certificateEvents, findCertificate, refreshCertificate, rolesOn, surveillanceOverdue, type Certificate, type DeadlineRule } from './certificates';
import { addDays } from './dates';

const entity = aliasedTable(organizations, 'entity');
const body = aliasedTable(organizations, 'body');

export interface IndicatorLine {
  key: string;
  label: string;
  labelZh: string | null;
  /** The clause of the standard the indicator rests on, and its address on the standard's page. */
  clause: string;
  clauseUrl: string;
  points: number;
  maxPoints: number;
}

export interface PublicEvent {
  kind: CertificateEventKind;
  at: Date;
  /** The reason given for a suspension, reinstatement, withdrawal or surrender; the new number for a supersession. */
  reason: string | null;
  /** For a surveillance: its outcome and the day it was carried out. */
  outcome: string | null;
  date: string | null;
  /** Set when the scheduled check made the change. */
  rule: DeadlineRule | null;
}

/** What a verification page shows of a certificate (no person's identity). */
export interface CertificateView {
  number: string;
  state: CertificateState;
  /** Why it is suspended or how it ended: a person's words, or the rule's sentence in English (see `stateRule`). */
  stateReason: string | null;
  /** When the scheduled check made the current state: which deadline passed, on `stateRuleDate`, for a sentence in the reader's language. */
  stateRule: DeadlineRule | null;
  stateRuleDate: string | null;
  grade: string;
  score: number;
  maxScore: number;
  /** The committee decided a grade other than the computed one. */
  adjusted: boolean;
  /** Shanghai calendar days (YYYY-MM-DD); `validUntil` is the last valid day. */
  validFrom: string;
  validUntil: string;
  nextSurveillance: string;
  suspendedAt: Date | null;
  endedAt: Date | null;
  /** The certificate that replaced this one after a reassessment. */
  supersededBy: string | null;
  scheme: { id: number; name: string; nameZh: string | null };
  body: { slug: string; name: string; nameZh: string | null; code: string | null };
  entity: { slug: string; name: string; nameZh: string | null; creditCode: string | null };
  standard: { id: number; number: string; version: number; url: string };
  indicators: IndicatorLine[];
  /** Oldest first, without who acted; internal flags left out. */
  history: PublicEvent[];
  updatedAt: Date;
}

const PRIVATE_EVENTS: readonly CertificateEventKind[] = ['flagged'];

function loadJoined(db: DbOrTx, number: string) {
  return db
    .select({
      cert: creditCertificates,
      scheme: { id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh, standardId: creditSchemes.standardId, indicators: creditSchemes.indicators },
      body: { slug: body.slug, name: body.name, nameZh: body.nameZh, code: body.code },
      entity: { slug: entity.slug, name: entity.name, nameZh: entity.nameZh, creditCode: entity.creditCode },
      scores: creditAssessments.scores,
    })
    .from(creditCertificates)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditCertificates.schemeId))
    .innerJoin(body, eq(body.id, creditCertificates.organizationId))
    .innerJoin(entity, eq(entity.id, creditCertificates.entityId))
    .innerJoin(creditAssessments, eq(creditAssessments.id, creditCertificates.assessmentId))
    .where(eq(creditCertificates.number, number))
    .get();
}

/**
 * Everything a verification page (and GET /api/v1/credit/certificates/{number}) shows of a
 * certificate, after applying its due deadlines at `now`; null for a number nobody was given.
 */
export function certificateView(db: Db, number: string, now: Date = new Date()): CertificateView | null {
  refreshCertificate(db, number, now);
  const row = loadJoined(db, number);
  if (!row) return null;
  const { cert } = row;
  const events = certificateEvents(db, cert.id);
  const current = [...events].reverse().find((e) => e.kind !== 'surveillance' && e.kind !== 'flagged');
  const rule = cert.state !== 'active' && current?.details?.rule ? current.details.rule : null;
  const supersededBy = cert.supersededBy ? db.select({ number: creditCertificates.number }).from(creditCertificates).where(eq(creditCertificates.id, cert.supersededBy)).get()?.number ?? null : null;
  const standardUrl = `/standards/${row.scheme.standardId}`;
  return {
    number: cert.number,
    state: cert.state,
    stateReason: cert.state === 'active' ? null : cert.stateReason,
    stateRule: rule,
    stateRuleDate: rule ? (current?.details?.date ?? null) : null,
    grade: cert.grade,
    score: cert.score,
    maxScore: cert.maxScore,
    adjusted: cert.adjusted,
    validFrom: cert.validFrom,
    validUntil: cert.validUntil,
    nextSurveillance: cert.nextSurveillance,
    suspendedAt: cert.state === 'suspended' ? cert.suspendedAt : null,
    endedAt: cert.endedAt,
    supersededBy,
    scheme: { id: row.scheme.id, name: row.scheme.name, nameZh: row.scheme.nameZh },
    body: row.body,
    entity: row.entity,
    standard: { id: row.scheme.standardId, number: cert.standardNumber, version: cert.standardVersion, url: standardUrl },
    indicators: row.scheme.indicators.map((i) => ({
      key: i.key,
      label: i.label,
      labelZh: i.labelZh ?? null,
      clause: i.clause,
      clauseUrl: `${standardUrl}#${clauseAnchor(i.clause)}`,
      points: row.scores?.[i.key]?.points ?? 0,
      maxPoints: i.maxPoints,
    })),
    history: events
      .filter((e) => !PRIVATE_EVENTS.includes(e.kind))
      .map((e) => ({
        kind: e.kind,
        at: e.at,
        // a surveillance's note is the body's working record; the public sees its outcome
        reason: e.kind === 'surveillance' ? null : e.reason,
        outcome: e.details?.outcome ?? null,
        date: e.details?.date ?? null,
        rule: e.details?.rule ?? null,
      })),
    updatedAt: cert.updatedAt,
  };
}

// ------------------------------------------------------------------ the change feed

export interface FeedFilter {
  grade?: string;
  status?: CertificateState;
  scheme?: number;
  updatedSince?: Date;
  cursor?: string;
  limit?: number;
}

/** A position in the feed: the last item's (updatedAt, id), opaque to readers. */
export const encodeCursor = (at: Date, id: number) => Buffer.from(`${at.getTime()}.${id}`).toString('base64url');
export function decodeCursor(cursor: string): { at: number; id: number } | null {
  const m = /^(\d{1,15})\.(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  return m ? { at: Number(m[1]), id: Number(m[2]) } : null;
}

/**
 * Certificates in the order they last changed, (updatedAt, id) ascending: a reader keeps the
 * `nextCursor` (or the last `updatedAt` as `updatedSince`) and later asks for what changed since.
 * Deadlines due are applied first, so an expiry shows up in the feed although the timer has not run.
 */
export function certificateFeed(db: Db, filter: FeedFilter, now: Date = new Date()) {
  applyCertificateDeadlines(db, now);
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where: (SQL | undefined)[] = [];
  if (filter.grade) where.push(eq(creditCertificates.grade, filter.grade));
  if (filter.status) where.push(eq(creditCertificates.state, filter.status));
  if (filter.scheme) where.push(eq(creditCertificates.schemeId, filter.scheme));
  if (filter.updatedSince) where.push(gt(creditCertificates.updatedAt, filter.updatedSince));
  const after = filter.cursor ? decodeCursor(filter.cursor) : null;
  if (after) {
    const at = new Date(after.at);
    where.push(or(gt(creditCertificates.updatedAt, at), and(eq(creditCertificates.updatedAt, at), gt(creditCertificates.id, after.id))));
  }
  const rows = db
    .select({
      id: creditCertificates.id,
      number: creditCertificates.number,
      state: creditCertificates.state,
      stateReason: creditCertificates.stateReason,
      grade: creditCertificates.grade,
      score: creditCertificates.score,
      maxScore: creditCertificates.maxScore,
      validFrom: creditCertificates.validFrom,
      validUntil: creditCertificates.validUntil,
      nextSurveillance: creditCertificates.nextSurveillance,
      updatedAt: creditCertificates.updatedAt,
      scheme: { id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh },
      body: { slug: body.slug, name: body.name, nameZh: body.nameZh },
      entity: { slug: entity.slug, name: entity.name, nameZh: entity.nameZh, creditCode: entity.creditCode },
    })
    .from(creditCertificates)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditCertificates.schemeId))
    .innerJoin(body, eq(body.id, creditCertificates.organizationId))
    .innerJoin(entity, eq(entity.id, creditCertificates.entityId))
    .where(and(...where))
    .orderBy(creditCertificates.updatedAt, creditCertificates.id)
    .limit(limit + 1)
    .all();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(({ id: _id, stateReason, ...r }) => ({ ...r, stateReason: r.state === 'active' ? null : stateReason })),
    nextCursor: rows.length > limit && last ? encodeCursor(last.updatedAt, last.id) : null,
  };
}

// ------------------------------------------------------------------ the body's workspace

/** The bodies in which the user is an assessor or committee member. */
export function creditBodiesOf(db: DbOrTx, user: SessionUser | null): number[] {
  if (!user) return [];
  return [...new Set(db.select({ id: creditRoles.organizationId }).from(creditRoles).where(eq(creditRoles.userId, user.id)).all().map((r) => r.id))];
}

/** A surveillance falls due within this many days: the body's list shows it as due. */
export const DUE_WITHIN_DAYS = 30;

export interface BodyFilter {
  state?: CertificateState;
  flagged?: boolean;
  due?: boolean;
  page?: number;
}

/** The certificates of the bodies the user assesses or decides for, filtered and paged. */
export function bodyCertificates(db: Db, user: SessionUser, filter: BodyFilter, now: Date = new Date()) {
  const bodies = creditBodiesOf(db, user);
  const perPage = 25;
  const page = Math.max(1, filter.page ?? 1);
  if (!bodies.length) return { items: [], total: 0, page, perPage };
  applyCertificateDeadlines(db, now);
  const dueBy = addDays(shanghaiDay(now), DUE_WITHIN_DAYS);
  const where = and(
    inArray(creditCertificates.organizationId, bodies),
    filter.state ? eq(creditCertificates.state, filter.state) : undefined,
    filter.flagged ? eq(creditCertificates.earlySurveillance, true) : undefined,
    filter.due ? and(inArray(creditCertificates.state, [...SURVEILLED_STATES]), lte(creditCertificates.nextSurveillance, dueBy)) : undefined,
  );
  const items = db
    .select({
      number: creditCertificates.number,
      state: creditCertificates.state,
      grade: creditCertificates.grade,
      validUntil: creditCertificates.validUntil,
      nextSurveillance: creditCertificates.nextSurveillance,
      earlySurveillance: creditCertificates.earlySurveillance,
      updatedAt: creditCertificates.updatedAt,
      entity: { slug: entity.slug, name: entity.name, nameZh: entity.nameZh },
    })
    .from(creditCertificates)
    .innerJoin(entity, eq(entity.id, creditCertificates.entityId))
    .where(where)
    .orderBy(desc(creditCertificates.earlySurveillance), creditCertificates.nextSurveillance, creditCertificates.id)
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all()
    .map((c) => ({ ...c, surveillanceDue: SURVEILLED_STATES.includes(c.state) && c.nextSurveillance <= dueBy }));
  const total = db.select({ n: count() }).from(creditCertificates).where(where).get()!.n;
  return { items, total, page, perPage };
}

export interface ManageView {
  view: CertificateView;
  earlySurveillance: boolean;
  surveillanceOverdue: boolean;
  /** The body's history: who acted, and a surveillance's note. Empty for the company's people. */
  history: { kind: CertificateEventKind; at: Date; actor: string | null; reason: string | null; outcome: string | null; date: string | null }[];
  moves: CertificateMove[];
  /** May record a surveillance (an assessor or committee member of the body, before it ended). */
  maySurveil: boolean;
  /** The viewer is of the body (else of the company). */
  ofBody: boolean;
}

/**
 * The certificate as the body's assessors and committee and the company's owners and editors see
 * it, with the moves each may make; null for anyone else (the page answers 404).
 */
export function manageCertificateView(db: Db, user: SessionUser, number: string, now: Date = new Date()): ManageView | null {
  const view = certificateView(db, number, now);
  if (!view) return null;
  const cert = findCertificate(db, number)!;
  const roles = rolesOn(db, user, cert);
  const ofBody = roles.committee || roles.assessor;
  if (!ofBody && !roles.entity) return null;
  const overdue = SURVEILLED_STATES.includes(cert.state) && surveillanceOverdue(cert, now);
  const history = ofBody
    ? db
        .select({ event: creditCertificateEvents, actor: users.displayName })
        .from(creditCertificateEvents)
        .leftJoin(users, eq(users.id, creditCertificateEvents.actorId))
        .where(eq(creditCertificateEvents.certificateId, cert.id))
        .orderBy(creditCertificateEvents.at, creditCertificateEvents.id)
        .all()
        .map(({ event: e, actor }) => ({ kind: e.kind, at: e.at, actor, reason: e.reason, outcome: e.details?.outcome ?? null, date: e.details?.date ?? null }))
    : [];
  return {
    view,
    earlySurveillance: cert.earlySurveillance,
    surveillanceOverdue: overdue,
    history,
    moves: allowedMoves(roles, { state: cert.state, surveillanceOverdue: overdue }),
    maySurveil: ofBody && SURVEILLED_STATES.includes(cert.state),
    ofBody,
  };
}

/** What a move or a recorded surveillance answers: the certificate's standing after it. */
export function certificateSummary(cert: Certificate) {
  return {
    number: cert.number,
    state: cert.state,
    stateReason: cert.stateReason,
    nextSurveillance: cert.nextSurveillance,
    earlySurveillance: cert.earlySurveillance,
    suspendedAt: cert.suspendedAt?.toISOString() ?? null,
    endedAt: cert.endedAt?.toISOString() ?? null,
    updatedAt: cert.updatedAt.toISOString(),
  };
}
