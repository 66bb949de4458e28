import { afterEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditLog, notifications, standardBodySettings, standardComments, standardTransitions, type StandardState } from '../db/schema';
import { Conflict, Forbidden, NotFound } from '../src/lib/errors';
import { DAY_MS, STAGE_CODES, TRANSITIONS } from '../src/lib/standards/lifecycle';
import { commentsOf, listStandards, resolutionCsv, standardDetail } from '../src/lib/standards/queries';
import { addComment, addVersion, castVote, disposeComment, proposeStandard, requireVisibleStandard, transitionStandard } from '../src/lib/standards/service';
import { DRAFT_MD, standardsFixture } from './standards-fixture';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const T0 = new Date('2026-03-01T02:00:00Z');
const later = (days: number) => new Date(T0.getTime() + days * DAY_MS);

function setup() {
  const f = standardsFixture(4);
  cleanup = f.cleanup;
  const s = proposeStandard(f.db, f.editor, { organizationSlug: f.slug, title: 'Seller credit grading', titleZh: '卖家信用等级' }, T0);
  const move = (to: StandardState, now = T0, extra: Record<string, unknown> = {}, who = to === 'project_approved' || to === 'approved' ? f.owner : f.editor) =>
    transitionStandard(f.db, who, s.id, { to, reason: 'because', ...extra } as never, now).standard;
  /** Follows the canonical path to `state`, meeting every precondition on the way. */
  function driveTo(state: StandardState) {
    const path: [StandardState, Date][] = [
      ['project_approved', T0],
      ['drafting', T0],
      ['public_comment', T0],
      ['comment_resolution', later(30)],
      ['review_ballot', later(31)],
      ['approved', later(40)],
      ['published', later(41)],
      ['under_review', later(400)],
      ['confirmed', later(401)],
    ];
    if (state === 'proposed') return;
    for (const [to, at] of path) {
      if (to === 'public_comment' && state === 'member_consultation') return move('member_consultation');
      if (to === 'approved') for (const v of f.voters) castVote(f.db, v, s.id, { position: 'approve' }, later(35));
      move(to, at);
      if (to === 'drafting') addVersion(f.db, f.editor, s.id, { bodyMd: DRAFT_MD }, T0);
      if (to === state) return;
    }
  }
  return { ...f, s, move, driveTo };
}

/** When the canonical path reaches each state, and what a transition out of it needs. */
const AT: Partial<Record<StandardState, Date>> = {
  proposed: T0, project_approved: T0, drafting: T0, member_consultation: T0, public_comment: later(31),
  comment_resolution: later(31), review_ballot: later(40), approved: later(41), published: later(400), under_review: later(401), confirmed: later(800),
};

describe('how the page presents the moves', () => {
  it('every state with moves has exactly one forward step, and only abandon and withdraw end a standard', () => {
    const states = [...new Set(TRANSITIONS.map((t) => t.from))];
    for (const from of states) {
      const forward = TRANSITIONS.filter((t) => t.from === from && t.kind === 'forward');
      expect(forward.length, from).toBe(1);
    }
    expect(TRANSITIONS.filter((t) => t.kind === 'stop').every((t) => t.to === 'abandoned' || t.to === 'withdrawn')).toBe(true);
    expect(TRANSITIONS.filter((t) => t.to === 'abandoned' || t.to === 'withdrawn').every((t) => t.kind === 'stop')).toBe(true);
  });
});

describe('every legal transition', () => {
  for (const t of TRANSITIONS) {
    it(`${t.from} → ${t.to} (by ${t.by})`, () => {
      const f = setup();
      f.driveTo(t.from);
      const who = t.by === 'owner' ? f.owner : f.editor;
      const extra = t.to === 'public_comment' ? { commentPeriodDays: 30 } : {};
      if (t.from === 'review_ballot' && t.to === 'approved') for (const v of f.voters) castVote(f.db, v, f.s.id, { position: 'approve' }, later(35));
      const { standard, revision } = transitionStandard(f.db, who, f.s.id, { to: t.to, reason: 'because', ...extra } as never, AT[t.from] ?? T0);
      expect(standard.state).toBe(t.to);
      expect(standard.stageCode).toBe(t.to === 'abandoned' ? `${STAGE_CODES[t.from].slice(0, 2)}.98` : STAGE_CODES[t.to]);
      const timeline = f.db.select().from(standardTransitions).where(eq(standardTransitions.standardId, f.s.id)).all();
      expect(timeline.at(-1)).toMatchObject({ fromState: t.from, toState: t.to, actorId: who.id });
      const audits = f.db.select().from(auditLog).where(eq(auditLog.action, 'standard.transition')).all();
      expect(audits.at(-1)!.details).toMatchObject({ from: t.from, to: t.to });
      if (t.to === 'revised') expect(revision).toMatchObject({ state: 'proposed', revisionOf: f.s.id });
      if (t.to === 'published') expect(standard.number).toBe(`T/${f.org.code} 001—2026`);
    });
  }
});

describe('refused transitions', () => {
  it('skipping steps answers Conflict with the reason', () => {
    const f = setup();
    expect(() => f.move('published')).toThrow(/cannot move to published.*project_approved/);
    f.driveTo('drafting');
    expect(() => f.move('approved', T0, {}, f.owner)).toThrow(Conflict);
  });

  it('nothing is abandoned after publication', () => {
    const f = setup();
    f.driveTo('published');
    expect(() => f.move('abandoned', later(42))).toThrow(/cannot move to abandoned/);
  });

  it('an editor cannot approve the project or the standard; only the owner can', () => {
    const f = setup();
    expect(() => f.move('project_approved', T0, {}, f.editor)).toThrow(Forbidden);
    f.move('project_approved');
    expect(() => transitionStandard(f.db, f.member, f.s.id, { to: 'drafting' }, T0)).toThrow(Forbidden);
  });

  it('an outsider cannot even see a pre-public draft', () => {
    const f = setup();
    expect(() => transitionStandard(f.db, f.outsider, f.s.id, { to: 'project_approved' }, T0)).toThrow(NotFound);
  });

  it('public comment needs a version first', () => {
    const f = setup();
    f.move('project_approved');
    f.move('drafting');
    expect(() => f.move('public_comment')).toThrow(/Add a version/);
  });

  it('a draft abandoned after public comment stays public; one abandoned before never was', () => {
    const f = setup();
    f.driveTo('public_comment');
    expect(f.move('abandoned', later(2)).everPublic).toBe(true);
    expect(requireVisibleStandard(f.db, f.outsider, f.s.id).state).toBe('abandoned');
  });

  it('abandoning needs a reason', () => {
    const f = setup();
    expect(() => transitionStandard(f.db, f.editor, f.s.id, { to: 'abandoned' }, T0)).toThrow(/reason/);
  });
});

describe('the 30-day public comment rule', () => {
  it('refuses a period shorter than 30 days', () => {
    const f = setup();
    f.driveTo('drafting');
    expect(() => f.move('public_comment', T0, { commentPeriodDays: 29 })).toThrow(/at least 30 days; 29/);
  });

  it('resolution cannot start until the period has ended, to the millisecond', () => {
    const f = setup();
    f.driveTo('drafting');
    const s = f.move('public_comment', T0, { commentPeriodDays: 45 });
    expect(s.commentClosesAt!.getTime()).toBe(later(45).getTime());
    expect(() => f.move('comment_resolution', later(30))).toThrow(/runs until .* \(15 more days\)/);
    expect(() => f.move('comment_resolution', new Date(later(45).getTime() - 1))).toThrow(Conflict);
    expect(f.move('comment_resolution', later(45)).state).toBe('comment_resolution');
  });

  it('comments are refused once the period has ended', () => {
    const f = setup();
    f.driveTo('public_comment');
    expect(addComment(f.db, f.outsider, f.s.id, { clause: '4.2', type: 'technical', text: 'ok' }, later(29)).clause).toBe('4.2');
    expect(() => addComment(f.db, f.outsider, f.s.id, { clause: '4.2', type: 'technical', text: 'late' }, later(30))).toThrow(/has ended/);
  });
});

describe('the resolution gate', () => {
  it('cannot leave comment_resolution while a comment has no disposition', () => {
    const f = setup();
    f.driveTo('public_comment');
    const c1 = addComment(f.db, f.outsider, f.s.id, { clause: '4.2', type: 'technical', text: 'AAA too easy', proposedChange: '≥ 92' }, later(1));
    const c2 = addComment(f.db, f.member, f.s.id, { clause: 'A.1', type: 'editorial', text: 'typo' }, later(2));
    f.move('comment_resolution', later(30));
    expect(() => f.move('review_ballot', later(31))).toThrow(/2 comments have no disposition/);
    disposeComment(f.db, f.editor, c1.id, { decision: 'accepted', reason: 'Raised to 92.' }, later(31));
    expect(() => f.move('review_ballot', later(31))).toThrow(/1 comment has no disposition/);
    expect(() => disposeComment(f.db, f.outsider, c2.id, { decision: 'noted', reason: 'x' }, later(31))).toThrow(Forbidden);
    disposeComment(f.db, f.editor, c2.id, { decision: 'noted', reason: 'Fixed in editing.' }, later(31));
    expect(f.move('review_ballot', later(31)).state).toBe('review_ballot');
  });

  it('the ballot gate: approval is refused while quorum or threshold is unmet', () => {
    const f = setup();
    f.driveTo('review_ballot');
    // eligible: owner and the 4 voters (editor drafted the version, so is excluded) = 5; quorum 4
    castVote(f.db, f.voters[0]!, f.s.id, { position: 'approve' }, later(35));
    castVote(f.db, f.voters[1]!, f.s.id, { position: 'approve' }, later(35));
    castVote(f.db, f.voters[2]!, f.s.id, { position: 'approve' }, later(35));
    expect(() => f.move('approved', later(40))).toThrow(/quorum is not met: 3 of 5 .* 4 are needed/);
    castVote(f.db, f.voters[3]!, f.s.id, { position: 'disapprove', reason: 'Grades too coarse' }, later(36));
    castVote(f.db, f.voters[2]!, f.s.id, { position: 'disapprove', reason: 'Changed my mind' }, later(36));
    expect(() => f.move('approved', later(40))).toThrow(/2 of 4 votes cast approve/);
    castVote(f.db, f.voters[2]!, f.s.id, { position: 'approve' }, later(37));
    castVote(f.db, f.owner, f.s.id, { position: 'approve' }, later(37));
    expect(() => castVote(f.db, f.editor, f.s.id, { position: 'approve' }, later(37))).toThrow(/did not draft/);
    expect(f.move('approved', later(40)).state).toBe('approved');
    expect(() => castVote(f.db, f.voters[3]!, f.s.id, { position: 'approve' }, later(41))).toThrow(/No review ballot is open/);
  });
});

describe('comments across versions and states', () => {
  it('carry forward to later versions, flagged when their clause changed, moved or disappeared', () => {
    const f = setup();
    f.driveTo('public_comment');
    const on = (clause: string) => addComment(f.db, f.outsider, f.s.id, { clause, type: 'technical', text: `about ${clause}` }, later(1));
    const [c1, c42, c2, cA1] = [on('1'), on('4.2'), on('2'), on('A.1')];
    f.move('comment_resolution', later(30));
    const v2 = DRAFT_MD.replace('| AAA | ≥ 90 |', '| AAA | ≥ 92 |')
      .replace('## 2 规范性引用文件 Normative references\n\nGB/T 22117 信用 基本术语。\n\n', '')
      .replace('### A.1 权重 Weights', '### A.2 权重 Weights');
    expect(addVersion(f.db, f.editor, f.s.id, { bodyMd: v2 }, later(31)).number).toBe(2);
    const flags = Object.fromEntries(commentsOf(f.db, f.s.id).map((c) => [c.id, c.carriedForward]));
    expect(flags[c1.id]).toEqual({ status: 'unchanged', clause: '1', moved: false, changed: false });
    expect(flags[c42.id]).toEqual({ status: 'changed', clause: '4.2', moved: false, changed: true });
    expect(flags[c2.id]).toEqual({ status: 'removed', moved: false, changed: false });
    expect(flags[cA1.id]).toEqual({ status: 'moved', clause: 'A.2', moved: true, changed: false });
    const csv = resolutionCsv(commentsOf(f.db, f.s.id));
    expect(csv).toContain('已移至 moved to A.2');
    expect(csv).toContain('已删除 removed');
    expect(csv).toContain('已修改 changed (4.2)');
    // a comment made on version 2 is simply on the current text
    const page = standardDetail(f.db, f.editor, f.s.id, later(31));
    expect(page.latest!.number).toBe(2);
    expect(page.comments.every((c) => c.version === 1)).toBe(true);
    disposeComment(f.db, f.editor, c42.id, { decision: 'accepted', reason: 'Raised', resolvedInVersion: 2 }, later(31));
    expect(() => disposeComment(f.db, f.editor, c1.id, { decision: 'noted', reason: 'x', resolvedInVersion: 7 }, later(31))).toThrow(/does not exist/);
  });

  it('member consultation is for members; public comment for anyone signed in; other states for nobody', () => {
    const f = setup();
    f.driveTo('drafting');
    expect(() => addComment(f.db, f.member, f.s.id, { clause: '1', type: 'general', text: 'early' }, T0)).toThrow(/only during member consultation and public comment/);
    f.move('member_consultation');
    expect(addComment(f.db, f.member, f.s.id, { clause: '1', type: 'general', text: 'member view' }, T0).madeDuring).toBe('member_consultation');
    expect(() => addComment(f.db, f.outsider, f.s.id, { clause: '1', type: 'general', text: 'outsider' }, T0)).toThrow(NotFound);
    f.move('public_comment', T0, { commentPeriodDays: 30 });
    expect(addComment(f.db, f.outsider, f.s.id, { clause: '1', type: 'general', text: 'public view' }, T0).madeDuring).toBe('public_comment');
    expect(() => addComment(f.db, f.outsider, f.s.id, { clause: '9', type: 'general', text: 'nowhere' }, T0)).toThrow(/Clause 9 does not exist/);
  });

  it('a comment is returned exactly as stored, for the latest version or the one named', () => {
    const f = setup();
    f.driveTo('public_comment');
    const stored = (id: number) => f.db.select().from(standardComments).where(eq(standardComments.id, id)).get();
    const c1 = addComment(f.db, f.outsider, f.s.id, { clause: '4.2', type: 'technical', text: 'Raise AAA to 92.', proposedChange: '≥ 92' }, later(1));
    expect(c1).toEqual(stored(c1.id));
    expect(c1).toMatchObject({ versionNumber: 1, clause: '4.2', proposedChange: '≥ 92', authorId: f.outsider.id, madeDuring: 'public_comment', decision: null, disposedAt: null, createdAt: later(1) });
    expect(c1.originalText).toContain('AAA');
    const c2 = addComment(f.db, f.member, f.s.id, { clause: 'A.1', type: 'editorial', text: 'Typo.', version: 1 }, later(2));
    expect(c2).toEqual(stored(c2.id));
    expect(c2).toMatchObject({ versionNumber: 1, proposedChange: null });
    expect(c2.id).toBeGreaterThan(c1.id);
    expect(() => addComment(f.db, f.member, f.s.id, { clause: 'A.1', type: 'editorial', text: 'Typo.', version: 7 }, later(2))).toThrow(/That version does not exist/);
  });

  it('a new comment tells the body’s editors and owners once each, with a link to the clause; not the commenter, not plain members', () => {
    const f = setup();
    f.driveTo('public_comment');
    const received = (who: { id: string }) =>
      f.db.select().from(notifications).where(eq(notifications.userId, who.id)).all().filter((n) => n.kind === 'standard.comment.received');
    const c = addComment(f.db, f.outsider, f.s.id, { clause: '4.2', type: 'technical', text: 'Raise AAA to 92.' }, later(1));
    for (const who of [f.owner, f.editor]) {
      const got = received(who);
      expect(got).toHaveLength(1);
      expect(got[0]).toMatchObject({ url: `/standards/${f.s.id}#clause-4.2`, body: 'Raise AAA to 92.', readAt: null });
      expect(got[0]!.title).toContain('第 4.2 条');
      expect(got[0]!.title).toBe('“卖家信用等级”第 4.2 条收到新的技术意见');
    }
    for (const who of [f.outsider, f.member, ...f.voters]) expect(received(who)).toEqual([]);
    expect(c.id).toBeGreaterThan(0);

    // An editor commenting is not told about their own comment; the owner is.
    addComment(f.db, f.editor, f.s.id, { clause: 'A.1', type: 'editorial', text: 'Typo.' }, later(2));
    expect(received(f.editor)).toHaveLength(1);
    expect(received(f.owner).map((n) => n.url)).toEqual([`/standards/${f.s.id}#clause-4.2`, `/standards/${f.s.id}#clause-A.1`]);

    // A refused comment tells nobody: the notice is written in the comment's transaction.
    expect(() => addComment(f.db, f.outsider, f.s.id, { clause: '9', type: 'general', text: 'nowhere' }, later(3))).toThrow(/Clause 9 does not exist/);
    expect(received(f.owner)).toHaveLength(2);
  });

  it('versions and the timeline cannot be rewritten, even in SQL', () => {
    const f = setup();
    f.driveTo('drafting');
    expect(() => f.db.$client.prepare('update standard_versions set body_md = ? where standard_id = ?').run('x', f.s.id)).toThrow(/immutable/);
    expect(() => f.db.$client.prepare('delete from standard_versions where standard_id = ?').run(f.s.id)).toThrow(/immutable/);
    expect(() => f.db.$client.prepare('update standard_transitions set to_state = ? where standard_id = ?').run('approved', f.s.id)).toThrow(/append-only/);
    expect(() => addVersion(f.db, f.editor, f.s.id, { bodyMd: 'no numbers here' }, T0)).toThrow(/no numbered clauses/);
  });

  it('a body can set its own quorum and threshold', () => {
    const f = setup();
    f.db.insert(standardBodySettings).values({ organizationId: f.org.id, quorumNumerator: 1, quorumDenominator: 2, passNumerator: 1, passDenominator: 2 }).run();
    f.driveTo('review_ballot');
    // 5 eligible: quorum 3, half of votes cast must approve
    castVote(f.db, f.voters[0]!, f.s.id, { position: 'approve' }, later(35));
    castVote(f.db, f.voters[1]!, f.s.id, { position: 'disapprove', reason: 'no' }, later(35));
    expect(() => f.move('approved', later(40))).toThrow(/2 of 5 eligible voters .* 3 are needed/);
    castVote(f.db, f.voters[2]!, f.s.id, { position: 'abstain' }, later(35));
    expect(f.move('approved', later(40)).state).toBe('approved');
  });
});

describe('publication numbers', () => {
  it('follow the Shanghai calendar year and count per body without gaps', () => {
    const f = setup();
    f.driveTo('approved');
    // 2026-12-31 17:00 UTC is already 1 January 2027 in Shanghai
    const s = f.move('published', new Date('2026-12-31T17:00:00Z'));
    expect(s.number).toBe(`T/${f.org.code} 001—2027`);
    expect(s.effectiveDate).toBe('2027-01-31');
    expect(() => f.move('published', new Date('2026-12-31T17:00:00Z'))).toThrow(Conflict);
  });
});

describe('the list', () => {
  it('matches titles literally, including % and _, and filters by stage code', () => {
    const f = setup();
    proposeStandard(f.db, f.editor, { organizationSlug: f.slug, title: 'Returns under 100% refund' }, T0);
    proposeStandard(f.db, f.editor, { organizationSlug: f.slug, title: 'Returns under 1000 refund' }, T0);
    const titles = (q: string) => listStandards(f.db, f.editor, { q, body: f.slug }).items.map((s) => s.title);
    expect(titles('100%')).toEqual(['Returns under 100% refund']);
    expect(titles('under_1')).toEqual([]);
    f.move('abandoned', T0, { reason: 'dup' });
    expect(listStandards(f.db, f.editor, { stage: '00.98', body: f.slug }).items.map((s) => s.id)).toEqual([f.s.id]);
    expect(listStandards(f.db, f.outsider, { body: f.slug }).total).toBe(0);
  });
});
