/**
 * Writes to standards: propose, add versions, move through the lifecycle, comment, dispose,
 * vote. Every function takes `now` so tests can move the clock; every change is audited in the
 * transaction that makes it, and public drafts are re-indexed in that same transaction.
 */
import { and, count, desc, eq, isNull, max, sql } from 'drizzle-orm';
import { keptQuery, prepared, write, type Db, type DbOrTx, type Tx } from '@db/client';
import {
  organizations,
  standardBodySettings,
  standardComments,
  standardNumberCounters,
  standards,
  standardTransitions,
  standardVersions,
  standardVotes,
  type StandardState,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound } from '~/lib/errors';
import { both, lowerEnglish, notify, termInBoth } from '~/lib/notifications/notify';
import { isMember, isOwner, keptViewer } from '~/lib/organizations/policy';
import { getOrganizationBySlug } from '~/lib/organizations/service';
import { markSchemesOnChangedStandard } from '~/lib/credit/standard-changes';
import { searchIndex } from '~/lib/search';
import { ballotOutcome, DEFAULT_RULES, type BallotRules } from './ballot';
import { clauseAnchor, parseClauses } from './clauses';
import { abandonedStageCode, DAY_MS, EDITABLE_STATES, findTransition, MIN_COMMENT_DAYS, nextStates, STAGE_CODES } from './lifecycle';
import { bodyEditorIds, canDraft, eligibleVoterIds, mayAct, standardVisibleTo } from './policy';
import type { BallotRulesInput, CommentInput, DispositionInput, ProposeInput, TransitionInput, VoteInput } from './schemas';
import { standardSearchDocument } from './search';

export type Standard = typeof standards.$inferSelect;
type Comment = typeof standardComments.$inferSelect;

/** The standard if `user` may see it; otherwise 404. */
export function requireVisibleStandard(db: Db | Tx, user: SessionUser | null, id: number): Standard {
  // a kept query: every comment, vote and change starts here
  const { key, viewer } = keptViewer(user);
  const s = keptQuery(db, `standard visible, ${key}`, (d) => d.select().from(standards).where(and(eq(standards.id, sql.placeholder('id')), standardVisibleTo(viewer))).prepare()).get({ id, viewer: user?.id });
  if (!s) throw new NotFound('No standard has that number.');
  return s;
}

function requireDrafter(tx: Tx, user: SessionUser, s: Standard) {
  if (!canDraft(tx, user, s)) throw new Forbidden('Only editors of the industry body may do that.');
}

export function ballotRules(db: Db | Tx, organizationId: number): BallotRules {
  const row = db.select().from(standardBodySettings).where(eq(standardBodySettings.organizationId, organizationId)).get();
  return row ?? DEFAULT_RULES;
}

export function latestVersion(db: Db | Tx, standardId: number) {
  return db.select().from(standardVersions).where(eq(standardVersions.standardId, standardId)).orderBy(desc(standardVersions.number)).limit(1).get();
}

/** Keeps the search index in step: what nobody signed in may see is indexed, nothing else. */
function syncSearch(tx: Tx, s: Standard) {
  const isPublic = !!tx.select({ id: standards.id }).from(standards).where(and(eq(standards.id, s.id), standardVisibleTo(null))).get();
  if (isPublic) searchIndex.upsert(tx, standardSearchDocument(tx, s));
  else searchIndex.remove(tx, 'standard', String(s.id));
}

export function proposeStandard(db: Db, user: SessionUser, input: ProposeInput, now = new Date()) {
  return write(db, (tx) => {
    const org = getOrganizationBySlug(tx, input.organizationSlug);
    if (!org || (org.status !== 'verified' && !isMember(tx, user, org.id))) throw new NotFound('No organization has that address.');
    if (org.type !== 'industry_body') throw new Invalid('Only industry bodies draft group standards.', { organizationSlug: ['Choose an industry body.'] });
    if (org.status !== 'verified') throw new Conflict('The industry body has not been verified yet.', 'not_verified');
    if (!canDraft(tx, user, { organizationId: org.id })) throw new Forbidden('Only editors of the industry body may propose standards.');
    const s = tx
      .insert(standards)
      .values({ organizationId: org.id, title: input.title, titleZh: input.titleZh ?? null, scopeMd: input.scopeMd ?? '', state: 'proposed', stageCode: STAGE_CODES.proposed, createdBy: user.id, createdAt: now, updatedAt: now })
      .returning()
      .get();
    tx.insert(standardTransitions).values({ standardId: s.id, fromState: null, toState: 'proposed', actorId: user.id, at: now }).run();
    recordAudit(tx, { actorId: user.id, action: 'standard.propose', subjectType: 'standard', subjectId: s.id, details: { title: s.title, organization: org.slug } });
    return s;
  });
}

export function addVersion(db: Db, user: SessionUser, standardId: number, input: { bodyMd: string; note?: string }, now = new Date()) {
  return write(db, (tx) => {
    const s = requireVisibleStandard(tx, user, standardId);
    requireDrafter(tx, user, s);
    if (!EDITABLE_STATES.includes(s.state)) {
      throw new Conflict(`A new version can be added only while the draft is approved as a project, being drafted, or in comment resolution; it is now ${s.state}.`, 'not_editable');
    }
    const clauses = parseClauses(input.bodyMd).filter((c) => c.id !== '0');
    if (clauses.length === 0) throw new Invalid('The draft has no numbered clauses.', { bodyMd: ['Number the headings, like “## 1 Scope” or “### 4.2 Grades”.'] });
    const last = tx.select({ n: max(standardVersions.number) }).from(standardVersions).where(eq(standardVersions.standardId, s.id)).get()?.n ?? 0;
    const v = tx
      .insert(standardVersions)
      .values({ standardId: s.id, number: last + 1, bodyMd: input.bodyMd, note: input.note ?? null, createdBy: user.id, createdAt: now })
      .returning()
      .get();
    tx.update(standards).set({ updatedAt: now }).where(eq(standards.id, s.id)).run();
    recordAudit(tx, { actorId: user.id, action: 'standard.version', subjectType: 'standard', subjectId: s.id, details: { version: v.number, clauses: clauses.length } });
    syncSearch(tx, s);
    return v;
  });
}

/** Why a transition may not happen now: a code and values for the UI's words, and the English message. */
export interface Blocker {
  code: 'illegal' | 'no_version' | 'period_too_short' | 'period_running' | 'undisposed' | 'quorum' | 'threshold' | 'reason_required';
  vars: Record<string, string | number>;
  message: string;
}

/** Why a transition may not happen now, or null. Shared by the service and the "what is needed next" panel. */
export function transitionBlocker(db: Db | Tx, s: Standard, to: StandardState, now: Date, input: Partial<TransitionInput> = {}): Blocker | null {
  const rule = findTransition(s.state, to);
  if (!rule) {
    const allowed = nextStates(s.state).map((t) => t.to).join(', ');
    return { code: 'illegal', vars: { from: s.state, to, allowed }, message: `A standard in ${s.state} cannot move to ${to}. ${allowed ? `It can move to: ${allowed}.` : 'No further transitions exist.'}` };
  }
  const hasVersion = !!latestVersion(db, s.id);
  if (['member_consultation', 'public_comment'].includes(to) && !hasVersion) return { code: 'no_version', vars: {}, message: 'Add a version of the draft first.' };
  if (to === 'public_comment') {
    const days = input.commentPeriodDays ?? MIN_COMMENT_DAYS;
    if (days < MIN_COMMENT_DAYS) return { code: 'period_too_short', vars: { min: MIN_COMMENT_DAYS, days }, message: `The public comment period must be at least ${MIN_COMMENT_DAYS} days; ${days} were asked for.` };
  }
  if (s.state === 'public_comment' || s.state === 'comment_resolution') {
    if (to !== 'abandoned' && to !== 'public_comment' && s.commentClosesAt && now < s.commentClosesAt) {
      const left = Math.ceil((s.commentClosesAt.getTime() - now.getTime()) / DAY_MS);
      return { code: 'period_running', vars: { until: s.commentClosesAt.toISOString(), days: left }, message: `The public comment period runs until ${s.commentClosesAt.toISOString()} (${left} more day${left === 1 ? '' : 's'}).` };
    }
  }
  if (s.state === 'comment_resolution' && to === 'review_ballot') {
    const open = undisposedCount(db, s.id);
    if (open > 0) return { code: 'undisposed', vars: { count: open }, message: `${open} comment${open === 1 ? ' has' : 's have'} no disposition yet; dispose of every comment first.` };
  }
  if (s.state === 'review_ballot' && to === 'approved') {
    const o = currentBallot(db, s);
    if (!o.quorumMet) return { code: 'quorum', vars: { turnout: o.turnout, eligible: o.eligible, needed: o.quorumNeeded }, message: `The quorum is not met: ${o.turnout} of ${o.eligible} eligible voters have voted, ${o.quorumNeeded} are needed.` };
    if (!o.thresholdMet) {
      const share = `${o.rules.passNumerator}/${o.rules.passDenominator}`;
      return { code: 'threshold', vars: { approve: o.approve, cast: o.cast, share }, message: `The ballot does not pass: ${o.approve} of ${o.cast} votes cast approve; at least ${share} are needed.` };
    }
  }
  if ((to === 'abandoned' || to === 'withdrawn') && !input.reason) return { code: 'reason_required', vars: { to }, message: `Give a reason for moving to ${to}.` };
  return null;
}

export function undisposedCount(db: Db | Tx, standardId: number): number {
  return db.select({ n: count() }).from(standardComments).where(and(eq(standardComments.standardId, standardId), isNull(standardComments.decision))).get()!.n;
}

export function currentBallot(db: Db | Tx, s: Standard) {
  const eligible = eligibleVoterIds(db, s);
  const votes = db.select().from(standardVotes).where(and(eq(standardVotes.standardId, s.id), eq(standardVotes.round, s.ballotRound))).all().filter((v) => eligible.includes(v.userId));
  const tally = { eligible: eligible.length, approve: 0, disapprove: 0, abstain: 0 };
  for (const v of votes) tally[v.position]++;
  return { ...ballotOutcome(tally, ballotRules(db, s.organizationId)), votes, eligibleIds: eligible };
}

const shanghaiDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
/** The calendar date in Shanghai (YYYY-MM-DD): numbers and effective dates follow the local calendar. */
export const shanghaiDate = (d: Date) => shanghaiDay.format(d);

/** Takes the next number in the body's sequence for `year`; call only inside the publishing transaction. */
export function assignNumber(tx: Tx, organizationId: number, code: string, year: number) {
  const row = tx
    .insert(standardNumberCounters)
    .values({ organizationId, year, lastSequence: 1 })
    .onConflictDoUpdate({ target: [standardNumberCounters.organizationId, standardNumberCounters.year], set: { lastSequence: sql`${standardNumberCounters.lastSequence} + 1` } })
    .returning()
    .get();
  const sequence = row.lastSequence;
  return { sequence, number: `T/${code} ${String(sequence).padStart(3, '0')}\u2014${year}` };
}

export function transitionStandard(db: Db, user: SessionUser, standardId: number, input: TransitionInput, now = new Date()) {
  return write(db, (tx) => {
    const s = requireVisibleStandard(tx, user, standardId);
    const rule = findTransition(s.state, input.to);
    if (rule && !mayAct(tx, user, s, rule.by)) {
      throw new Forbidden(rule.by === 'owner' ? `Only the industry body’s owner may move a standard to ${input.to}.` : 'Only editors of the industry body may do that.');
    }
    if (!rule && !canDraft(tx, user, s)) throw new Forbidden('Only editors of the industry body may do that.');
    const blocker = transitionBlocker(tx, s, input.to, now, input);
    if (blocker) throw new Conflict(blocker.message, 'transition_refused');

    const patch: Partial<Standard> = { state: input.to, stageCode: input.to === 'abandoned' ? abandonedStageCode(s.state) : STAGE_CODES[input.to], updatedAt: now };
    const details: Record<string, unknown> = { from: s.state, to: input.to, reason: input.reason ?? null };
    let revision: Standard | undefined;
    if (input.to === 'public_comment') {
      const days = input.commentPeriodDays ?? MIN_COMMENT_DAYS;
      Object.assign(patch, { everPublic: true, commentPeriodDays: days, commentOpensAt: now, commentClosesAt: new Date(now.getTime() + days * DAY_MS) });
      details.commentPeriodDays = days;
      details.commentClosesAt = patch.commentClosesAt!.toISOString();
    }
    if (input.to === 'review_ballot') patch.ballotRound = s.ballotRound + 1;
    if (input.to === 'approved') {
      const o = currentBallot(tx, s);
      details.ballot = { eligible: o.eligible, approve: o.approve, disapprove: o.disapprove, abstain: o.abstain };
    }
    if (input.to === 'published') {
      const org = tx.select().from(organizations).where(eq(organizations.id, s.organizationId)).get()!;
      if (!org.code) throw new Conflict('The industry body has no code for standard numbers; set one on its profile first.', 'transition_refused');
      const year = Number(shanghaiDate(now).slice(0, 4));
      const { sequence, number } = assignNumber(tx, org.id, org.code, year);
      const effective = input.effectiveDate ?? shanghaiDate(new Date(now.getTime() + 30 * DAY_MS));
      if (effective < shanghaiDate(now)) throw new Conflict('The effective date cannot be before the publication date.', 'transition_refused');
      Object.assign(patch, { number, numberYear: year, numberSequence: sequence, publishedAt: now, effectiveDate: effective });
      Object.assign(details, { number, effectiveDate: effective });
    }
    const updated = tx.update(standards).set(patch).where(eq(standards.id, s.id)).returning().get();
    tx.insert(standardTransitions).values({ standardId: s.id, fromState: s.state, toState: input.to, actorId: user.id, reason: input.reason ?? null, at: now }).run();
    if (input.to === 'revised') {
      revision = tx
        .insert(standards)
        .values({ organizationId: s.organizationId, title: s.title, titleZh: s.titleZh, scopeMd: s.scopeMd, state: 'proposed', stageCode: STAGE_CODES.proposed, revisionOf: s.id, createdBy: user.id, createdAt: now, updatedAt: now })
        .returning()
        .get();
      tx.insert(standardTransitions).values({ standardId: revision.id, fromState: null, toState: 'proposed', actorId: user.id, reason: `Revision of ${s.number ?? `#${s.id}`}`, at: now }).run();
      const base = latestVersion(tx, s.id);
      if (base) tx.insert(standardVersions).values({ standardId: revision.id, number: 1, bodyMd: base.bodyMd, note: `From ${s.number ?? `#${s.id}`}`, createdBy: user.id, createdAt: now }).run();
      details.revisionId = revision.id;
      recordAudit(tx, { actorId: user.id, action: 'standard.propose', subjectType: 'standard', subjectId: revision.id, details: { revisionOf: s.id } });
    }
    recordAudit(tx, { actorId: user.id, action: 'standard.transition', subjectType: 'standard', subjectId: s.id, details });
    if (input.to === 'revised' || input.to === 'withdrawn') markSchemesOnChangedStandard(tx, s.id, shanghaiDate(now), user.id, input.to);
    if (input.to === 'review_ballot') {
      for (const voter of eligibleVoterIds(tx, updated)) {
        notify(tx, voter, { kind: 'standard.ballot', params: { standard: both(s.title, s.titleZh) }, url: `/standards/${s.id}#ballot`, email: true });
      }
    }
    syncSearch(tx, updated);
    return { standard: updated, revision };
  });
}

export function addComment(db: Db, user: SessionUser, standardId: number, input: CommentInput, now = new Date()) {
  return write(db, (tx) => {
    const s = requireVisibleStandard(tx, user, standardId);
    if (s.state === 'member_consultation') {
      if (!isMember(tx, user, s.organizationId)) throw new Forbidden('During member consultation only members of the industry body may comment.');
    } else if (s.state === 'public_comment') {
      if (s.commentClosesAt && now >= s.commentClosesAt) throw new Conflict('The public comment period has ended.', 'comments_closed');
    } else {
      throw new Conflict('Comments are accepted only during member consultation and public comment.', 'comments_closed');
    }
    // kept hand-written statements: a standard in public comment can take thousands of comments
    const version = (
      input.version
        ? prepared(tx, `SELECT number, body_md AS bodyMd FROM standard_versions WHERE standard_id = ? AND number = ?`).get(s.id, input.version)
        : prepared(tx, `SELECT number, body_md AS bodyMd FROM standard_versions WHERE standard_id = ? ORDER BY number DESC LIMIT 1`).get(s.id)
    ) as { number: number; bodyMd: string } | undefined;
    if (!version) throw new Invalid('That version does not exist.', { version: ['Choose an existing version.'] });
    const clause = parseClauses(version.bodyMd).find((c) => c.id === input.clause);
    if (!clause) throw new Invalid(`Clause ${input.clause} does not exist in version ${version.number}.`, { clause: ['Choose a clause of the draft.'] });
    const row: Omit<Comment, 'id'> = {
      standardId: s.id,
      versionNumber: version.number,
      clause: clause.id,
      originalText: [clause.title, clause.body].filter(Boolean).join('\n\n'),
      type: input.type,
      text: input.text,
      proposedChange: input.proposedChange ?? null,
      authorId: user.id,
      madeDuring: s.state,
      decision: null,
      dispositionReason: null,
      resolvedInVersion: null,
      disposedBy: null,
      disposedAt: null,
      createdAt: new Date(now.getTime()),
    };
    const id = prepared(tx, `INSERT INTO standard_comments (standard_id, version_number, clause, original_text, type, text, proposed_change, author_id, made_during, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(row.standardId, row.versionNumber, row.clause, row.originalText, row.type, row.text, row.proposedChange, row.authorId, row.madeDuring, row.createdAt.getTime()).lastInsertRowid;
    const c: Comment = { id: Number(id), ...row };
    recordAudit(tx, { actorId: user.id, action: 'standard.comment', subjectType: 'standard', subjectId: s.id, details: { comment: c.id, version: version.number, clause: clause.id, type: input.type } });
    // The body's editors and owners learn of the comment once each; the commenter needs no notice.
    const text = input.text.length > 500 ? `${input.text.slice(0, 499)}…` : input.text;
    for (const editorId of bodyEditorIds(tx, s.organizationId)) {
      if (editorId === user.id) continue;
      notify(tx, editorId, {
        kind: 'standard.comment.received',
        params: { type: lowerEnglish(termInBoth(`std.commentType.${input.type}`)), clause: clause.id, standard: both(s.title, s.titleZh) },
        note: text,
        url: `/standards/${s.id}#${clauseAnchor(clause.id)}`,
      });
    }
    return c;
  });
}

const DISPOSABLE_STATES: StandardState[] = ['drafting', 'member_consultation', 'public_comment', 'comment_resolution'];

export function disposeComment(db: Db, user: SessionUser, commentId: number, input: DispositionInput, now = new Date()) {
  return write(db, (tx) => {
    const c = tx.select().from(standardComments).where(eq(standardComments.id, commentId)).get();
    if (!c) throw new NotFound('No comment has that number.');
    const s = requireVisibleStandard(tx, user, c.standardId);
    requireDrafter(tx, user, s);
    if (!DISPOSABLE_STATES.includes(s.state)) throw new Conflict(`Comments can no longer be disposed of: the standard is in ${s.state}.`, 'resolution_closed');
    if (input.resolvedInVersion) {
      const v = tx.select().from(standardVersions).where(and(eq(standardVersions.standardId, s.id), eq(standardVersions.number, input.resolvedInVersion))).get();
      if (!v) throw new Invalid('That version does not exist.', { resolvedInVersion: ['Choose an existing version.'] });
    }
    const updated = tx
      .update(standardComments)
      .set({ decision: input.decision, dispositionReason: input.reason, resolvedInVersion: input.resolvedInVersion ?? null, disposedBy: user.id, disposedAt: now })
      .where(eq(standardComments.id, c.id))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'standard.comment.dispose', subjectType: 'standard', subjectId: s.id, details: { comment: c.id, decision: input.decision, previous: c.decision, reason: input.reason, resolvedInVersion: input.resolvedInVersion ?? null } });
    if (c.authorId && c.authorId !== user.id) {
      notify(tx, c.authorId, {
        kind: 'standard.comment.disposed',
        params: { clause: c.clause, standard: both(s.title, s.titleZh), decision: termInBoth(`std.decision.${input.decision}`) },
        note: input.reason,
        url: `/standards/${s.id}/resolution${commentTableQuery(tx, s.id, c.id)}#comment-${c.id}`,
        email: true,
      });
    }
    return updated;
  });
}

export function castVote(db: Db, user: SessionUser, standardId: number, input: VoteInput, now = new Date()) {
  return write(db, (tx) => {
    const s = requireVisibleStandard(tx, user, standardId);
    if (s.state !== 'review_ballot') throw new Conflict('No review ballot is open for this standard.', 'ballot_closed');
    if (!eligibleVoterIds(tx, s).includes(user.id)) throw new Forbidden('Only the industry body’s voting members who did not draft the standard may vote.');
    if (input.position === 'disapprove' && !input.reason) throw new Invalid('A disapproval needs a reason.', { reason: ['A disapproval needs a reason.'] });
    const previous = tx.select().from(standardVotes).where(and(eq(standardVotes.standardId, s.id), eq(standardVotes.round, s.ballotRound), eq(standardVotes.userId, user.id))).get();
    const vote = tx
      .insert(standardVotes)
      .values({ standardId: s.id, round: s.ballotRound, userId: user.id, position: input.position, reason: input.reason ?? null, updatedAt: now })
      .onConflictDoUpdate({ target: [standardVotes.standardId, standardVotes.round, standardVotes.userId], set: { position: input.position, reason: input.reason ?? null, updatedAt: now } })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'standard.vote', subjectType: 'standard', subjectId: s.id, details: { round: s.ballotRound, position: input.position, previous: previous?.position ?? null } });
    return vote;
  });
}

/** The body's owner sets its ballot rules; they apply to ballots from the next vote count on. */
export function setBallotRules(db: Db, user: SessionUser, input: BallotRulesInput) {
  return write(db, (tx) => {
    const org = getOrganizationBySlug(tx, input.organizationSlug);
    if (!org || org.type !== 'industry_body' || !isMember(tx, user, org.id)) throw new NotFound('No organization has that address.');
    if (!isOwner(tx, user, org.id)) throw new Forbidden('Only the industry body’s owner may change its ballot rules.');
    const rules = { quorumNumerator: input.quorumNumerator, quorumDenominator: input.quorumDenominator, passNumerator: input.passNumerator, passDenominator: input.passDenominator };
    const previous = ballotRules(tx, org.id);
    tx.insert(standardBodySettings).values({ organizationId: org.id, ...rules }).onConflictDoUpdate({ target: standardBodySettings.organizationId, set: rules }).run();
    recordAudit(tx, { actorId: user.id, action: 'standard.ballot_rules', subjectType: 'organization', subjectId: org.id, details: { previous, rules } });
    return rules;
  });
}

/** The page of the comment table (COMMENTS_PER_PAGE a page, oldest first) that shows comment `commentId`. */
export function commentTablePage(db: DbOrTx, standardId: number, commentId: number): number {
  const before = db
    .select({ n: count() })
    .from(standardComments)
    .where(and(eq(standardComments.standardId, standardId), sql`${standardComments.id} < ${commentId}`))
    .get()!.n;
  return Math.floor(before / COMMENTS_PER_PAGE) + 1;
}

/** `?page=n` for a comment past the table's first page, '' on the first. */
function commentTableQuery(db: DbOrTx, standardId: number, commentId: number): string {
  const page = commentTablePage(db, standardId, commentId);
  return page > 1 ? `?page=${page}` : '';
}

/** Rows per page of the comment table (src/pages/[...lang]/standards/[id]/resolution.astro). */
export const COMMENTS_PER_PAGE = 50;
