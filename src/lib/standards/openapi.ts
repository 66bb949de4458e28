import { z } from 'zod';
import { COMMENT_TYPES, DISPOSITIONS, STANDARD_STATES, VOTE_POSITIONS } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { commentInput, commentListQuery, diffQuery, dispositionInput, listQuery, proposeInput, transitionInput, versionInput, voteInput } from './schemas';

const state = z.enum(STANDARD_STATES);
const summary = z.object({
  id: z.number(),
  title: z.string(),
  titleZh: z.string().nullable(),
  state,
  stageCode: z.string(),
  number: z.string().nullable(),
  organization: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), code: z.string().nullable() }),
  commentOpensAt: z.string().nullable(),
  commentClosesAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  effectiveDate: z.string().nullable(),
  /** The standard this one revises. */
  revisionOf: z.number().nullable(),
  updatedAt: z.string(),
});
const detail = summary.extend({
  scopeMd: z.string(),
  commentPeriodDays: z.number().nullable(),
  versions: z.array(z.object({ number: z.number(), note: z.string().nullable(), createdAt: z.string(), author: z.string().nullable() })),
  latestVersion: z.object({ number: z.number(), bodyMd: z.string(), clauses: z.array(z.object({ id: z.string(), title: z.string(), tables: z.number() })) }).nullable(),
  timeline: z.array(z.object({ from: state.nullable(), to: state, at: z.string(), actor: z.string().nullable(), reason: z.string().nullable() })),
  nextSteps: z.array(z.object({ to: state, by: z.enum(['editor', 'owner']), ready: z.boolean(), blocker: z.string().nullable() })),
  /** How many comments there are, and how many wait for a disposition. */
  comments: z.number(),
  undisposedComments: z.number(),
  ballot: z
    .object({
      open: z.boolean(),
      round: z.number(),
      eligible: z.number(),
      approve: z.number(),
      disapprove: z.number(),
      abstain: z.number(),
      quorumNeeded: z.number(),
      quorumMet: z.boolean(),
      thresholdMet: z.boolean(),
      passes: z.boolean(),
    })
    .nullable(),
  /** Ids of the standards that revise this one. */
  revisions: z.array(z.number()),
});
const change = z.enum(['same', 'changed', 'added', 'removed']);
const clauseDiff = z.object({
  status: z.enum(['added', 'removed', 'changed', 'moved', 'unchanged']),
  id: z.string(),
  fromId: z.string().optional(),
  title: z.string(),
  fromTitle: z.string().optional(),
  contentChanged: z.boolean(),
  words: z.array(z.object({ value: z.string(), added: z.boolean().optional(), removed: z.boolean().optional() })),
  tables: z.array(z.object({ status: change, rows: z.array(z.object({ status: change, cells: z.array(z.object({ status: change, old: z.string().optional(), new: z.string().optional() })) })) })),
});
/** Where a comment's clause is in the latest version; `moved` and `changed` are flagged independently. */
const carriedForward = z.object({
  status: z.enum(['same', 'unchanged', 'changed', 'moved', 'removed']),
  clause: z.string().optional(),
  moved: z.boolean(),
  changed: z.boolean(),
});
const comment = z.object({
  serial: z.number(),
  id: z.number(),
  version: z.number(),
  clause: z.string(),
  originalText: z.string(),
  type: z.enum(COMMENT_TYPES),
  text: z.string(),
  proposedChange: z.string().nullable(),
  author: z.string(),
  madeDuring: state,
  createdAt: z.string(),
  decision: z.enum(DISPOSITIONS).nullable(),
  reason: z.string().nullable(),
  resolvedInVersion: z.number().nullable(),
  disposedBy: z.string().nullable(),
  disposedAt: z.string().nullable(),
  /** The commented clause in the latest version: `same` (made on it), `unchanged`, `changed`, `moved` or `removed`. */
  carriedForward,
});
const tag = 'Standards';

export const standardRoutes: RouteDoc[] = [
  { method: 'get', path: '/standards', tag, summary: 'Standards you may see (public stages, plus your bodies’ drafts); filter by stage (state or ISO code), body (slug), q', query: listQuery, responses: { 200: z.object({ items: z.array(summary), total: z.number(), page: z.number(), perPage: z.number() }) } },
  { method: 'post', path: '/standards', tag, summary: 'Propose a standard (editors of a verified industry body)', auth: true, body: proposeInput, responses: { 201: z.object({ id: z.number(), state: z.literal('proposed'), stageCode: z.string() }) } },
  { method: 'get', path: '/standards/{id}', tag, summary: 'One standard with state, stage code, versions, timeline, next steps and number once published (pre-public drafts: body members only, else 404)', responses: { 200: detail } },
  { method: 'post', path: '/standards/{id}/versions', tag, summary: 'Add an immutable version (body editors)', auth: true, body: versionInput, responses: { 201: z.object({ number: z.number(), createdAt: z.string() }) } },
  { method: 'post', path: '/standards/{id}/transitions', tag, summary: 'Move to the next state; 409 with the reason when refused', auth: true, body: transitionInput, responses: { 200: z.object({ id: z.number(), state, stageCode: z.string(), number: z.string().nullable(), effectiveDate: z.string().nullable(), commentClosesAt: z.string().nullable(), revisionId: z.number().nullable() }) } },
  { method: 'get', path: '/standards/{id}/diff', tag, summary: 'Clause-by-clause diff between two versions (words and table cells)', query: diffQuery, responses: { 200: z.object({ id: z.number(), from: z.number(), to: z.number(), clauses: z.array(clauseDiff) }) } },
  { method: 'get', path: '/standards/{id}/comments', tag, summary: 'Comments with dispositions and carry-forward status, oldest first, a page at a time (perPage up to 100, 20 by default); total and open (awaiting a disposition) count all of them; the CSV has them all', query: commentListQuery, responses: { 200: z.object({ items: z.array(comment), total: z.number(), open: z.number(), page: z.number(), perPage: z.number(), pages: z.number() }) } },
  { method: 'post', path: '/standards/{id}/comments', tag, summary: 'Comment on a clause (signed-in users in public comment; members in member consultation); the body’s editors and owners are notified once each, with a link to the clause', auth: true, body: commentInput, responses: { 201: z.object({ id: z.number(), version: z.number(), clause: z.string() }) } },
  { method: 'get', path: '/standards/{id}/comments.csv', tag, summary: 'The comment-resolution table (征求意见汇总处理表) as CSV with a UTF-8 BOM', responses: { 200: { contentType: 'text/csv' } } },
  { method: 'post', path: '/standards/comments/{id}/disposition', tag, summary: 'Dispose of a comment (body editors); the commenter is notified', auth: true, body: dispositionInput, responses: { 200: z.object({ id: z.number(), decision: z.enum(DISPOSITIONS), reason: z.string(), resolvedInVersion: z.number().nullable() }) } },
  { method: 'post', path: '/standards/{id}/ballot/votes', tag, summary: 'Vote in the review ballot (eligible voting members); changeable until it closes', auth: true, body: voteInput, responses: { 200: z.object({ position: z.enum(VOTE_POSITIONS), round: z.number(), updatedAt: z.string() }) } },
];
