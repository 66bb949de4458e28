/**
 * Open data, standards theme (issue 18): every figure of every standards dataset equals a count
 * made here from the standards the test moved through their lifecycle with the real services, and
 * drafts still in committee before public comment (and their comments) are never counted.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Disposition, StandardState, VotePosition } from '../db/schema';
import type { SessionUser } from '../src/lib/auth/sessions';
import { datasetById } from '../src/lib/data/registry';
import { standardsDatasets } from '../src/lib/data/themes/standards';
import type { Row } from '../src/lib/data/types';
import { DAY_MS, reviewDueDate } from '../src/lib/standards/lifecycle';
import { listStandards } from '../src/lib/standards/queries';
import { addComment, addVersion, castVote, disposeComment, proposeStandard, transitionStandard } from '../src/lib/standards/service';
import { expectRowsFit, expectWellFormed } from './helpers/dataset-shape';
import { DRAFT_MD, standardsFixture } from './standards-fixture';

const f = standardsFixture(4);
const db = f.db;
const rows = (id: string): Row[] => datasetById(id)!.compute(db);
const at = (iso: string) => new Date(iso);
const days = (from: Date, n: number) => new Date(from.getTime() + n * DAY_MS);
const [v1, v2, v3, v4] = f.voters as [SessionUser, SessionUser, SessionUser, SessionUser];
/** The body's voting members, as the fixture makes them (the plain member does not vote). */
const VOTING = [f.owner, f.editor, ...f.voters].map((u) => u.id);

interface Seeded {
  title: string;
  public: boolean;
  /** Written out by hand: the ISO stage code the standard must end at. */
  stageCode: string;
  state: StandardState;
  drafters: string[];
  comments: { decision: Disposition | null }[];
  period?: { opens: Date; days: number };
  ballot?: { opened: Date; votes: Record<string, VotePosition> };
  publishedAt?: Date;
}
const SEEDED: Seeded[] = [];

/** Proposes a standard and moves it along `steps`, recording what the test expects of it. */
function seed(spec: Omit<Seeded, 'comments' | 'drafters'> & { drafters?: SessionUser[] }, steps: (ctx: Ctx) => void) {
  const record: Seeded = { ...spec, drafters: (spec.drafters ?? [f.editor]).map((u) => u.id), comments: [] };
  SEEDED.push(record);
  const s = proposeStandard(db, f.editor, { organizationSlug: f.slug, title: spec.title }, at('2025-01-01T00:00:00Z'));
  const move = (to: StandardState, now: Date, extra: Record<string, unknown> = {}) =>
    transitionStandard(db, to === 'project_approved' || to === 'approved' ? f.owner : f.editor, s.id, { to, reason: 'because', ...extra } as never, now);
  const ctx: Ctx = {
    move,
    draft(now, who = f.editor) {
      move('project_approved', now);
      move('drafting', now);
      addVersion(db, who, s.id, { bodyMd: DRAFT_MD }, now);
      if (who !== f.editor) addVersion(db, f.editor, s.id, { bodyMd: `${DRAFT_MD}\n` }, now);
    },
    comment(by, now, decision = null) {
      const c = addComment(db, by, s.id, { clause: '1', type: 'technical', text: 'Say more about scope.' }, now);
      record.comments.push({ decision });
      return { dispose: (when: Date) => decision && disposeComment(db, f.editor, c.id, { decision, reason: 'Considered.' }, when) };
    },
    vote(by, position, now) {
      castVote(db, by, s.id, { position, reason: position === 'disapprove' ? 'Not ready.' : undefined }, now);
    },
  };
  steps(ctx);
  return s;
}
interface Ctx {
  move(to: StandardState, now: Date, extra?: Record<string, unknown>): unknown;
  draft(now: Date, who?: SessionUser): void;
  comment(by: SessionUser, now: Date, decision?: Disposition | null): { dispose(when: Date): unknown };
  vote(by: SessionUser, position: VotePosition, now: Date): void;
}

beforeAll(() => {
  // Published in 2025 and still in force: review due 2030.
  seed({ title: 'S1', public: true, state: 'published', stageCode: '60.60', period: { opens: at('2025-03-01T02:00:00Z'), days: 30 }, ballot: { opened: at('2025-04-01T02:00:00Z'), votes: { [f.owner.id]: 'approve', [v1.id]: 'approve', [v2.id]: 'approve', [v3.id]: 'abstain' } }, publishedAt: at('2025-06-01T02:00:00Z') }, (c) => {
    const t = at('2025-03-01T02:00:00Z');
    c.draft(t);
    c.move('public_comment', t, { commentPeriodDays: 30 });
    const comments = [c.comment(f.outsider, days(t, 1), 'accepted'), c.comment(f.member, days(t, 2), 'partially_accepted'), c.comment(v1, days(t, 3), 'not_accepted')];
    c.move('comment_resolution', days(t, 30));
    for (const x of comments) x.dispose(days(t, 30));
    c.move('review_ballot', at('2025-04-01T02:00:00Z'));
    c.vote(f.owner, 'approve', days(t, 32));
    c.vote(v1, 'approve', days(t, 32));
    c.vote(v2, 'disapprove', days(t, 32)); // changed below: one vote per voter counts
    c.vote(v2, 'approve', days(t, 33));
    c.vote(v3, 'abstain', days(t, 33));
    c.move('approved', days(t, 40));
    c.move('published', at('2025-06-01T02:00:00Z'));
  });
  // Published at 00:30 on 1 January 2026 in Shanghai (still 2025 in UTC): a 2026 standard; confirmed since, review due 2031.
  seed({ title: 'S2', public: true, state: 'confirmed', stageCode: '90.93', period: { opens: at('2025-09-01T02:00:00Z'), days: 60 }, ballot: { opened: at('2025-11-01T02:00:00Z'), votes: { [f.owner.id]: 'approve', [v1.id]: 'approve', [v2.id]: 'approve', [v3.id]: 'approve' } }, publishedAt: at('2025-12-31T16:30:00Z') }, (c) => {
    const t = at('2025-09-01T02:00:00Z');
    c.draft(t);
    c.move('public_comment', t, { commentPeriodDays: 60 });
    const comments = [c.comment(f.outsider, days(t, 5), 'noted'), c.comment(v4, days(t, 6), 'accepted')];
    c.move('comment_resolution', days(t, 60));
    for (const x of comments) x.dispose(days(t, 60));
    c.move('review_ballot', at('2025-11-01T02:00:00Z'));
    for (const v of [f.owner, v1, v2, v3]) c.vote(v, 'approve', at('2025-11-02T02:00:00Z'));
    c.move('approved', at('2025-12-01T02:00:00Z'));
    c.move('published', at('2025-12-31T16:30:00Z'));
    c.move('under_review', at('2026-06-01T02:00:00Z'));
    c.move('confirmed', at('2026-06-02T02:00:00Z'));
  });
  // The owner drafted too, so only the four other voters are eligible; under review now, so no review is "due".
  seed({ title: 'S3', public: true, state: 'under_review', stageCode: '90.00', drafters: [f.owner, f.editor], period: { opens: at('2026-01-10T02:00:00Z'), days: 30 }, ballot: { opened: at('2026-02-10T02:00:00Z'), votes: { [v1.id]: 'approve', [v2.id]: 'approve', [v3.id]: 'approve', [v4.id]: 'approve' } }, publishedAt: at('2026-03-01T02:00:00Z') }, (c) => {
    const t = at('2026-01-10T02:00:00Z');
    c.draft(t, f.owner);
    c.move('public_comment', t, { commentPeriodDays: 30 });
    c.move('comment_resolution', days(t, 30));
    c.move('review_ballot', at('2026-02-10T02:00:00Z'));
    for (const v of [v1, v2, v3, v4]) c.vote(v, 'approve', at('2026-02-11T02:00:00Z'));
    c.move('approved', at('2026-02-20T02:00:00Z'));
    c.move('published', at('2026-03-01T02:00:00Z'));
    c.move('under_review', at('2026-09-01T02:00:00Z'));
  });
  // Open for comment right now: its period has not closed; ten comments, none answered yet.
  seed({ title: 'S4', public: true, state: 'public_comment', stageCode: '40.20' }, (c) => {
    const now = new Date();
    c.draft(days(now, -1));
    c.move('public_comment', now, { commentPeriodDays: 30 });
    for (let i = 0; i < 10; i++) c.comment(f.outsider, new Date(now.getTime() + 1000 + i));
  });
  // Through member consultation (its comment counts once the draft is public), then 45 days of public comment.
  seed({ title: 'S5', public: true, state: 'comment_resolution', stageCode: '40.60', period: { opens: at('2026-04-10T02:00:00Z'), days: 45 } }, (c) => {
    const t = at('2026-04-01T02:00:00Z');
    c.draft(t);
    c.move('member_consultation', t);
    const early = c.comment(f.member, days(t, 2), 'noted');
    early.dispose(days(t, 3));
    c.move('public_comment', at('2026-04-10T02:00:00Z'), { commentPeriodDays: 45 });
    c.comment(f.outsider, at('2026-04-20T02:00:00Z'));
    c.move('comment_resolution', days(at('2026-04-10T02:00:00Z'), 45));
  });
  // A ballot still open: one of each position.
  seed({ title: 'S6', public: true, state: 'review_ballot', stageCode: '50.00', period: { opens: at('2026-06-01T02:00:00Z'), days: 40 }, ballot: { opened: at('2026-07-15T02:00:00Z'), votes: { [v1.id]: 'approve', [v2.id]: 'disapprove', [f.owner.id]: 'abstain' } } }, (c) => {
    const t = at('2026-06-01T02:00:00Z');
    c.draft(t);
    c.move('public_comment', t, { commentPeriodDays: 40 });
    c.move('comment_resolution', days(t, 40));
    c.move('review_ballot', at('2026-07-15T02:00:00Z'));
    c.vote(v1, 'approve', at('2026-07-16T02:00:00Z'));
    c.vote(v2, 'disapprove', at('2026-07-16T02:00:00Z'));
    c.vote(f.owner, 'abstain', at('2026-07-16T02:00:00Z'));
  });
  // Abandoned during comment resolution: ISO 40.98, and still public.
  seed({ title: 'S7', public: true, state: 'abandoned', stageCode: '40.98', period: { opens: at('2026-02-01T02:00:00Z'), days: 30 } }, (c) => {
    const t = at('2026-02-01T02:00:00Z');
    c.draft(t);
    c.move('public_comment', t, { commentPeriodDays: 30 });
    const one = c.comment(f.outsider, days(t, 1), 'not_accepted');
    c.move('comment_resolution', days(t, 30));
    one.dispose(days(t, 30));
    c.move('abandoned', days(t, 31));
  });
  // A failed ballot sent it back to drafting: public for good, at 20.00, its ballot still shown.
  seed({ title: 'S8', public: true, state: 'drafting', stageCode: '20.00', period: { opens: at('2026-08-01T02:00:00Z'), days: 35 }, ballot: { opened: at('2026-09-10T02:00:00Z'), votes: { [v1.id]: 'disapprove', [v2.id]: 'disapprove' } } }, (c) => {
    const t = at('2026-08-01T02:00:00Z');
    c.draft(t);
    c.move('public_comment', t, { commentPeriodDays: 35 });
    c.move('comment_resolution', days(t, 35));
    c.move('review_ballot', at('2026-09-10T02:00:00Z'));
    c.vote(v1, 'disapprove', at('2026-09-11T02:00:00Z'));
    c.vote(v2, 'disapprove', at('2026-09-11T02:00:00Z'));
    c.move('drafting', at('2026-09-20T02:00:00Z'));
  });
  // In committee, never public: neither it nor its comments may be counted anywhere.
  seed({ title: 'S9', public: false, state: 'member_consultation', stageCode: '30.00' }, (c) => {
    const t = at('2026-05-01T02:00:00Z');
    c.draft(t);
    c.move('member_consultation', t);
    c.comment(f.member, days(t, 1), 'accepted').dispose(days(t, 2));
    c.comment(f.member, days(t, 1));
  });
  seed({ title: 'S10', public: false, state: 'proposed', stageCode: '00.00' }, () => {});
});

const publicOnes = () => SEEDED.filter((s) => s.public);
const shanghaiYear = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).getUTCFullYear();
const eligibleOf = (s: Seeded) => VOTING.filter((id) => !s.drafters.includes(id)).length;

describe('standards datasets', () => {
  it('the seeded standards are where the test says, and anonymous readers see exactly the public ones', () => {
    const listed = listStandards(db, null, {}).items;
    expect(listed.map((s) => s.title).sort()).toEqual(publicOnes().map((s) => s.title).sort());
    for (const s of listed) expect([s.state, s.stageCode]).toEqual([SEEDED.find((x) => x.title === s.title)!.state, SEEDED.find((x) => x.title === s.title)!.stageCode]);
  });

  it('standards by stage: only public ones, with their ISO stage codes; drafts still in committee counted nowhere, not even in a stage total', () => {
    const got = rows('standards-by-stage');
    for (const s of publicOnes()) {
      const n = publicOnes().filter((x) => x.stageCode === s.stageCode && x.state === s.state).length;
      expect(got).toContainEqual({ stage_code: s.stageCode, state: s.state, standards: n });
    }
    expect(got.reduce((sum, r) => sum + (r.standards as number), 0)).toBe(publicOnes().length);
    // the draft in member consultation is not public: that stage shows zero; nothing is proposed
    expect(got.find((r) => r.state === 'member_consultation')).toEqual({ stage_code: '30.00', state: 'member_consultation', standards: 0 });
    expect(got.some((r) => r.state === 'proposed' || r.state === 'project_approved')).toBe(false);
    expect(got.map((r) => r.stage_code)).toEqual([...got.map((r) => r.stage_code)].sort());
  });

  it('days in public comment: closed periods only, by the year they closed, with median, shortest and longest', () => {
    const closed = publicOnes().filter((s) => s.period && days(s.period.opens, s.period.days) <= new Date());
    const years = [...new Set(closed.map((s) => shanghaiYear(days(s.period!.opens, s.period!.days))))].sort();
    const expected = years.map((year) => {
      const d = closed.filter((s) => shanghaiYear(days(s.period!.opens, s.period!.days)) === year).map((s) => s.period!.days).sort((a, b) => a - b);
      const mid = d.length / 2;
      return { year, standards: d.length, median_days: d.length % 2 ? d[Math.floor(mid)] : (d[mid - 1]! + d[mid]!) / 2, min_days: d[0], max_days: d.at(-1) };
    });
    expect(rows('standards-public-comment-days')).toEqual(expected);
    // written out: 2025 has 30 and 60 days (median 45); 2026 has 30, 30, 35, 40, 45 (median 35); the open period is not among them
    expect(rows('standards-public-comment-days')).toEqual([
      { year: 2025, standards: 2, median_days: 45, min_days: 30, max_days: 60 },
      { year: 2026, standards: 5, median_days: 35, min_days: 30, max_days: 45 },
    ]);
  });

  it('comments by disposition: counts over public standards only, pending ones included', () => {
    const comments = publicOnes().flatMap((s) => s.comments);
    const expected = (['accepted', 'partially_accepted', 'not_accepted', 'noted', 'pending'] as const).map((disposition) => {
      const n = comments.filter((c) => (c.decision ?? 'pending') === disposition).length;
      return { disposition, comments: n, share: n / comments.length };
    });
    expect(rows('standards-comment-dispositions')).toEqual(expected);
    expect(comments).toHaveLength(18); // not the committee draft's two
  });

  it('comments per draft: public standards by how many comments each received', () => {
    const bands = [['0', 0, 0], ['1-9', 1, 9], ['10-49', 10, 49], ['50-99', 50, 99], ['100+', 100, Infinity]] as const;
    expect(rows('standards-comments-per-draft')).toEqual(
      bands.map(([code, min, max]) => {
        const inBand = publicOnes().filter((s) => s.comments.length >= min && s.comments.length <= max);
        return { comments_band: code, drafts: inBand.length, comments: inBand.reduce((sum, s) => sum + s.comments.length, 0) };
      }),
    );
  });

  it('ballot turnout: each public standard’s current round, drafters not eligible, by the year it opened', () => {
    const ballots = publicOnes().filter((s) => s.ballot);
    const years = [...new Set(ballots.map((s) => shanghaiYear(s.ballot!.opened)))].sort();
    const expected = years.map((year) => {
      const inYear = ballots.filter((s) => shanghaiYear(s.ballot!.opened) === year);
      const votes = inYear.flatMap((s) => Object.values(s.ballot!.votes));
      const eligible = inYear.reduce((sum, s) => sum + eligibleOf(s), 0);
      return {
        year,
        ballots: inYear.length,
        eligible,
        voted: votes.length,
        approve: votes.filter((v) => v === 'approve').length,
        disapprove: votes.filter((v) => v === 'disapprove').length,
        abstain: votes.filter((v) => v === 'abstain').length,
        turnout: votes.length / eligible,
      };
    });
    expect(rows('standards-ballot-turnout')).toEqual(expected);
    // written out: 2025, two ballots of five eligible each, 4 + 4 voted; 2026, 4 + 5 + 5 eligible (S3's owner drafted), 4 + 3 + 2 voted
    expect(rows('standards-ballot-turnout').map((r) => [r.year, r.ballots, r.eligible, r.voted])).toEqual([[2025, 2, 10, 8], [2026, 3, 14, 9]]);
  });

  it('published per year by the Shanghai calendar: the standard published at 00:30 on 1 January 2026 there is a 2026 one', () => {
    const years = publicOnes().filter((s) => s.publishedAt).map((s) => shanghaiYear(s.publishedAt!));
    expect(rows('standards-published-per-year')).toEqual([2025, 2026].map((year) => ({ year, published: years.filter((y) => y === year).length })));
    expect(rows('standards-published-per-year')).toEqual([{ year: 2025, published: 1 }, { year: 2026, published: 2 }]);
  });

  it('reviews due: standards in force (published or confirmed) by the year of the due date their page shows', () => {
    const inForce = publicOnes().filter((s) => s.publishedAt && (s.state === 'published' || s.state === 'confirmed'));
    const dueYears = inForce.map((s) => Number(reviewDueDate(s.publishedAt!).slice(0, 4)));
    const first = Math.min(...dueYears);
    const last = Math.max(...dueYears);
    expect(rows('standards-reviews-due')).toEqual(Array.from({ length: last - first + 1 }, (_, i) => ({ year: first + i, standards: dueYears.filter((y) => y === first + i).length })));
    expect(rows('standards-reviews-due')).toEqual([{ year: 2030, standards: 1 }, { year: 2031, standards: 1 }]);
  });

  it('the review due date is the same Shanghai day five years on, not the UTC one', () => {
    expect(reviewDueDate(at('2025-12-31T16:30:00Z'))).toBe('2031-01-01');
    expect(reviewDueDate(at('2028-02-29T02:00:00Z'))).toBe('2033-03-01');
  });
});

describe('standards dataset definitions', () => {
  it('are well formed: unique ids, chart columns that exist, rows keyed by the columns, coded values with labels', () => {
    expect(standardsDatasets.length).toBe(7);
    expectWellFormed(standardsDatasets, 'standards');
    for (const d of standardsDatasets) expectRowsFit(d, d.compute(db));
  });
});
