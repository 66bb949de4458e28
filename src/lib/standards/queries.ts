/**
 * Reads for pages, the API and feeds. Every list is scoped to what the user may see: public
 * drafts, plus the pre-public drafts of bodies the user belongs to.
 */
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { alias, type SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db, DbOrTx } from '@db/client';
import {
  memberships,
  organizations,
  STANDARD_STATES,
  standardComments,
  standards,
  standardTransitions,
  standardVersions,
  users,
  type StandardState,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { NotFound } from '~/lib/errors';
import { isAdmin, isMember, isOwner } from '~/lib/organizations/policy';
import { parseClauses } from './clauses';
import { clauseFates, diffVersions, REMOVED, type ClauseFate } from './diff';
import { nextStates, type MoveKind } from './lifecycle';
import { canDraft, mayAct, standardVisibleTo } from './policy';
import type { ListQuery } from './schemas';
import { COMMENTS_PER_PAGE, currentBallot, requireVisibleStandard, transitionBlocker, type Blocker, type Standard } from './service';

export const PER_PAGE = 20;

export function standardSummary(s: Standard, org: { slug: string; name: string; nameZh: string | null; code: string | null }) {
  return {
    id: s.id,
    title: s.title,
    titleZh: s.titleZh,
    state: s.state,
    stageCode: s.stageCode,
    number: s.number,
    organization: { slug: org.slug, name: org.name, nameZh: org.nameZh, code: org.code },
    commentOpensAt: s.commentOpensAt?.toISOString() ?? null,
    commentClosesAt: s.commentClosesAt?.toISOString() ?? null,
    publishedAt: s.publishedAt?.toISOString() ?? null,
    effectiveDate: s.effectiveDate,
    revisionOf: s.revisionOf,
    updatedAt: s.updatedAt.toISOString(),
  };
}
export type StandardSummary = ReturnType<typeof standardSummary>;

export function listStandards(db: Db, user: SessionUser | null, query: Partial<ListQuery> = {}) {
  const where: (SQL | undefined)[] = [standardVisibleTo(user)];
  if (query.stage) {
    // a state name (`public_comment`) or an ISO stage code (`40.20`, `20.98`)
    where.push((STANDARD_STATES as readonly string[]).includes(query.stage) ? eq(standards.state, query.stage as StandardState) : eq(standards.stageCode, query.stage));
  }
  if (query.body) where.push(eq(organizations.slug, query.body));
  if (query.q) {
    const pattern = `%${query.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    const matches = (column: SQLiteColumn) => sql`${column} LIKE ${pattern} ESCAPE '\\'`;
    where.push(or(matches(standards.title), matches(standards.titleZh), matches(standards.number)));
  }
  const page = query.page ?? 1;
  const cond = and(...where.filter(Boolean));
  const rows = db
    .select({ s: standards, org: organizations })
    .from(standards)
    .innerJoin(organizations, eq(organizations.id, standards.organizationId))
    .where(cond)
    .orderBy(desc(standards.updatedAt), desc(standards.id))
    .limit(PER_PAGE)
    .offset((page - 1) * PER_PAGE)
    .all();
  const total = db.select({ n: count() }).from(standards).innerJoin(organizations, eq(organizations.id, standards.organizationId)).where(cond).get()!.n;
  return { items: rows.map((r) => standardSummary(r.s, r.org)), total, page, perPage: PER_PAGE };
}

/** Drafts open for public comment right now, newest first (for the Atom feeds). */
export function openForComment(db: Db, organizationSlug?: string) {
  return db
    .select({ s: standards, org: organizations })
    .from(standards)
    .innerJoin(organizations, eq(organizations.id, standards.organizationId))
    .where(and(standardVisibleTo(null), eq(standards.state, 'public_comment'), organizationSlug ? eq(organizations.slug, organizationSlug) : undefined))
    .orderBy(desc(standards.commentOpensAt))
    .limit(50)
    .all()
    .map((r) => ({ ...standardSummary(r.s, r.org), scopeMd: r.s.scopeMd }));
}

export function industryBodies(db: Db) {
  return db.select().from(organizations).where(and(eq(organizations.type, 'industry_body'), eq(organizations.status, 'verified'))).orderBy(asc(organizations.name)).all();
}

export function versionsOf(db: DbOrTx, standardId: number) {
  return db
    .select({ number: standardVersions.number, bodyMd: standardVersions.bodyMd, note: standardVersions.note, createdAt: standardVersions.createdAt, author: users.displayName, authorId: standardVersions.createdBy })
    .from(standardVersions)
    .leftJoin(users, eq(users.id, standardVersions.createdBy))
    .where(eq(standardVersions.standardId, standardId))
    .orderBy(asc(standardVersions.number))
    .all();
}

export function timelineOf(db: DbOrTx, standardId: number) {
  return db
    .select({ from: standardTransitions.fromState, to: standardTransitions.toState, at: standardTransitions.at, reason: standardTransitions.reason, actor: users.displayName })
    .from(standardTransitions)
    .leftJoin(users, eq(users.id, standardTransitions.actorId))
    .where(eq(standardTransitions.standardId, standardId))
    .orderBy(asc(standardTransitions.id))
    .all();
}

/** Where a comment's clause is in the latest version; `same` when the comment was made on it. */
export type CarriedForward = Omit<ClauseFate, 'status'> & { status: ClauseFate['status'] | 'same' };

/** Comments with their carry-forward status against the latest version. */
/** A standard's comments, oldest first; `slice` reads one page of them (serial numbers stay those of the whole table). */
export function commentsOf(db: DbOrTx, standardId: number, slice?: { offset: number; limit: number }) {
  const author = alias(users, 'author');
  const disposer = alias(users, 'disposer');
  const query = db
    .select({ c: standardComments, author: author.displayName, disposer: disposer.displayName })
    .from(standardComments)
    .leftJoin(author, eq(author.id, standardComments.authorId))
    .leftJoin(disposer, eq(disposer.id, standardComments.disposedBy))
    .where(eq(standardComments.standardId, standardId))
    .orderBy(asc(standardComments.id));
  const rows = slice ? query.limit(slice.limit).offset(slice.offset).all() : query.all();
  const first = slice?.offset ?? 0;
  const versions = versionsOf(db, standardId);
  const latest = versions.at(-1);
  // one clause-by-clause diff per older version, however many comments it has
  const fatesByVersion = new Map<number, Map<string, ClauseFate>>();
  const fateOf = (version: number, clause: string): ClauseFate => {
    let fates = fatesByVersion.get(version);
    if (!fates) {
      const from = versions.find((v) => v.number === version);
      fates = from && latest ? clauseFates(from.bodyMd, latest.bodyMd) : new Map();
      fatesByVersion.set(version, fates);
    }
    return fates.get(clause) ?? REMOVED;
  };
  return rows.map(({ c, author, disposer }, i) => {
    const carried: CarriedForward =
      latest && c.versionNumber !== latest.number ? fateOf(c.versionNumber, c.clause) : { status: 'same', clause: c.clause, moved: false, changed: false };
    return {
      serial: first + i + 1,
      id: c.id,
      version: c.versionNumber,
      clause: c.clause,
      originalText: c.originalText,
      type: c.type,
      text: c.text,
      proposedChange: c.proposedChange,
      author: author ?? '',
      madeDuring: c.madeDuring,
      createdAt: c.createdAt.toISOString(),
      decision: c.decision,
      reason: c.dispositionReason,
      resolvedInVersion: c.resolvedInVersion,
      disposedBy: disposer,
      disposedAt: c.disposedAt?.toISOString() ?? null,
      /** Against the latest version: `same` (made on it), `unchanged`, `changed`, `moved` or `removed`; `moved` and `changed` flag each on its own. */
      carriedForward: carried,
    };
  });
}
export type CommentView = ReturnType<typeof commentsOf>[number];

/** How many comments a standard has, and how many wait for a disposition: one query, for paged tables and the draft page. */
export function commentCounts(db: DbOrTx, standardId: number): { total: number; open: number } {
  const row = db
    .select({ total: count(), open: sql<number>`coalesce(sum(${standardComments.decision} is null), 0)` })
    .from(standardComments)
    .where(eq(standardComments.standardId, standardId))
    .get();
  return { total: row?.total ?? 0, open: Number(row?.open ?? 0) };
}

/** One page of a standard's comments with the totals (the comment table and GET …/comments). */
export function commentPage(db: DbOrTx, standardId: number, page: number, perPage: number) {
  const { total, open } = commentCounts(db, standardId);
  const pages = Math.max(1, Math.ceil(total / perPage));
  return { items: commentsOf(db, standardId, { offset: (page - 1) * perPage, limit: perPage }), total, open, page, perPage, pages };
}


export interface NextStep {
  to: StandardState;
  by: 'editor' | 'owner';
  kind: MoveKind;
  /** Why it cannot happen yet, or null when it can. */
  blocker: Blocker | null;
  /** Whether this user may make it. */
  allowed: boolean;
}

/** Everything the draft page and `GET /standards/{id}` show. */
export function standardDetail(db: Db, user: SessionUser | null, id: number, now = new Date()) {
  const s = requireVisibleStandard(db, user, id);
  const org = db.select().from(organizations).where(eq(organizations.id, s.organizationId)).get()!;
  const versions = versionsOf(db, s.id);
  const latest = versions.at(-1);
  const ballot = s.state === 'review_ballot' || s.ballotRound > 0 ? currentBallot(db, s) : null;
  const member = isMember(db, user, s.organizationId);
  const editor = canDraft(db, user, s);
  const next: NextStep[] = nextStates(s.state).map((t) => ({
    to: t.to,
    by: t.by,
    kind: t.kind,
    blocker: transitionBlocker(db, s, t.to, now, { reason: 'given', commentPeriodDays: s.commentPeriodDays ?? undefined }),
    allowed: mayAct(db, user, s, t.by),
  }));
  const myVote = ballot && user ? ballot.votes.find((v) => v.userId === user.id) ?? null : null;
  const commentOpen =
    (s.state === 'public_comment' && !!user && (!s.commentClosesAt || now < s.commentClosesAt)) ||
    (s.state === 'member_consultation' && member);
  const revisionOf = s.revisionOf ? db.select({ id: standards.id, number: standards.number, title: standards.title, titleZh: standards.titleZh }).from(standards).where(eq(standards.id, s.revisionOf)).get() ?? null : null;
  const revisions = db.select({ id: standards.id, state: standards.state }).from(standards).where(eq(standards.revisionOf, s.id)).all();
  const dispose = editor && ['drafting', 'member_consultation', 'public_comment', 'comment_resolution'].includes(s.state);
  const totals = commentCounts(db, s.id);
  return {
    standard: s,
    summary: standardSummary(s, org),
    organization: org,
    versions: versions.map((v) => ({ number: v.number, note: v.note, createdAt: v.createdAt.toISOString(), author: v.author })),
    latest: latest ? { number: latest.number, bodyMd: latest.bodyMd, clauses: parseClauses(latest.bodyMd) } : null,
    timeline: timelineOf(db, s.id),
    // Those who dispose get every comment, each with its form; readers the latest READER_COMMENTS
    // and how many sit under each clause (issue 17: not 500 rows read and decoded for every view).
    comments: dispose ? commentsOf(db, s.id) : commentsOf(db, s.id, { offset: Math.max(0, totals.total - READER_COMMENTS), limit: READER_COMMENTS }),
    commentTotals: totals,
    commentsPerClause: commentsPerClause(db, s.id),
    next,
    ballot: ballot
      ? {
          open: s.state === 'review_ballot',
          round: s.ballotRound,
          eligible: ballot.eligible,
          approve: ballot.approve,
          disapprove: ballot.disapprove,
          abstain: ballot.abstain,
          turnout: ballot.turnout,
          cast: ballot.cast,
          quorumNeeded: ballot.quorumNeeded,
          approvalsNeeded: ballot.approvalsNeeded,
          quorumMet: ballot.quorumMet,
          thresholdMet: ballot.thresholdMet,
          passes: ballot.passes,
          rules: ballot.rules,
          myPosition: myVote?.position ?? null,
          myReason: myVote?.reason ?? null,
          canVote: !!user && s.state === 'review_ballot' && ballot.eligibleIds.includes(user.id),
        }
      : null,
    revisionOf,
    revisions,
    can: {
      edit: editor,
      setRules: isOwner(db, user, s.organizationId),
      addVersion: editor && ['project_approved', 'drafting', 'comment_resolution'].includes(s.state),
      comment: commentOpen,
      dispose,
    },
  };
}

/** How many comments the draft page shows readers, newest (at most three under a clause). */
export const READER_COMMENTS = 20;

/**
 * How many comments sit under each clause of the latest version, by where their text went
 * (`removed:<clause>` for those whose clause is gone): one grouped query, with the cached fates.
 */
export function commentsPerClause(db: DbOrTx, standardId: number): Map<string, number> {
  const groups = db
    .select({ version: standardComments.versionNumber, clause: standardComments.clause, n: count() })
    .from(standardComments)
    .where(eq(standardComments.standardId, standardId))
    .groupBy(standardComments.versionNumber, standardComments.clause)
    .all();
  const counts = new Map<string, number>();
  if (groups.length === 0) return counts;
  const versions = versionsOf(db, standardId);
  const latest = versions.at(-1);
  for (const g of groups) {
    let key = g.clause;
    if (latest && g.version !== latest.number) {
      const from = versions.find((v) => v.number === g.version);
      const fate = from ? (clauseFates(from.bodyMd, latest.bodyMd).get(g.clause) ?? REMOVED) : REMOVED;
      key = fate.clause ?? `removed:${g.clause}`;
    }
    counts.set(key, (counts.get(key) ?? 0) + g.n);
  }
  return counts;
}
export type StandardDetail = ReturnType<typeof standardDetail>;

/** The JSON shape of `GET /api/v1/standards/{id}`. */
export function standardApiView(d: StandardDetail) {
  return {
    ...d.summary,
    scopeMd: d.standard.scopeMd,
    commentPeriodDays: d.standard.commentPeriodDays,
    versions: d.versions,
    latestVersion: d.latest ? { number: d.latest.number, bodyMd: d.latest.bodyMd, clauses: d.latest.clauses.map((c) => ({ id: c.id, title: c.title, tables: c.tables.length })) } : null,
    timeline: d.timeline.map((t) => ({ ...t, at: t.at.toISOString() })),
    nextSteps: d.next.map((n) => ({ to: n.to, by: n.by, ready: n.blocker === null, blocker: n.blocker?.message ?? null })),
    comments: d.commentTotals.total,
    undisposedComments: d.commentTotals.open,
    ballot: d.ballot && { open: d.ballot.open, round: d.ballot.round, eligible: d.ballot.eligible, approve: d.ballot.approve, disapprove: d.ballot.disapprove, abstain: d.ballot.abstain, quorumNeeded: d.ballot.quorumNeeded, quorumMet: d.ballot.quorumMet, thresholdMet: d.ballot.thresholdMet, passes: d.ballot.passes },
    revisionOf: d.standard.revisionOf,
    revisions: d.revisions.map((r) => r.id),
  };
}

export function versionDiff(db: Db, user: SessionUser | null, id: number, from: number, to: number) {
  const s = requireVisibleStandard(db, user, id);
  const versions = versionsOf(db, s.id);
  const a = versions.find((v) => v.number === from);
  const b = versions.find((v) => v.number === to);
  if (!a || !b) throw new NotFound('No such version.');
  return { standard: s, from, to, clauses: diffVersions(a.bodyMd, b.bodyMd), versions: versions.map((v) => v.number) };
}

const CARRIED_LABELS: Record<CarriedForward['status'], (clause?: string) => string> = {
  same: () => '',
  unchanged: () => '未变 unchanged',
  changed: (c) => `已修改 changed (${c})`,
  moved: (c) => `已移至 moved to ${c}`,
  removed: () => '已删除 removed',
};
/** The dictionary key that says what became of a carried-forward comment's clause (both flags when it moved and changed). */
export const carriedKey = (f: CarriedForward) => (f.moved && f.changed ? 'std.carried.movedChanged' : `std.carried.${f.status}`);

const carriedLabel = (f: CarriedForward) =>
  f.moved && f.changed ? `已移至 ${f.clause} 并修改 moved to ${f.clause} and changed` : CARRIED_LABELS[f.status](f.clause);

export const DECISION_LABELS_ZH: Record<string, string> = { accepted: '采纳', partially_accepted: '部分采纳', not_accepted: '不采纳', noted: '备注' };

/** 征求意见汇总处理表 as CSV with a UTF-8 BOM (so Excel opens the Chinese correctly). */
export function resolutionCsv(comments: CommentView[]): string {
  const cell = (v: unknown) => {
    const t = String(v ?? '');
    return /[",\r\n]/.test(t) || /^[=+\-@\t]/.test(t) ? `"${(/^[=+\-@\t]/.test(t) ? `'${t}` : t).replace(/"/g, '""')}"` : t;
  };
  const header = ['序号 No.', '章条 Clause', '版本 Version', '类型 Type', '原文 Original text', '意见 Comment', '修改建议 Proposed change', '处理意见 Disposition', '理由 Reason', '解决版本 Resolved in', '提出人 Commenter', '章条现状 Clause in the latest version'];
  const lines = [header.map(cell).join(',')];
  for (const c of comments) {
    lines.push(
      [c.serial, c.clause, c.version, c.type, c.originalText, c.text, c.proposedChange ?? '', c.decision ? `${DECISION_LABELS_ZH[c.decision]} ${c.decision}` : '', c.reason ?? '', c.resolvedInVersion ?? '', c.author, carriedLabel(c.carriedForward)]
        .map(cell)
        .join(','),
    );
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}


/** Industry bodies in which the user may propose standards. */
export function draftableBodies(db: Db, user: SessionUser | null) {
  if (!user) return [];
  return db
    .select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .innerJoin(memberships, and(eq(memberships.organizationId, organizations.id), eq(memberships.userId, user.id)))
    .where(and(eq(organizations.type, 'industry_body'), eq(organizations.status, 'verified'), inArray(memberships.role, ['owner', 'editor'])))
    .all();
}
