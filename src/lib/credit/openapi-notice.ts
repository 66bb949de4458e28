/** Credit certification API, notice (issue 16): public notices, objections and appeals. */
import { z } from 'zod';
import { APPEAL_STATES, APPEAL_SUBJECTS, ASSESSMENT_STATES, OBJECTION_DECISIONS } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { appealDecisionInput, appealInput, noticesQuery, objectionDispositionInput, objectionInput } from './notice-schemas';

const tag = 'Credit certification';

const counts = z.object({ total: z.number().int(), disposed: z.number().int() });
const summary = z.object({
  id: z.number().int(),
  company: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), creditCode: z.string().nullable() }),
  scheme: z.object({ id: z.number().int(), name: z.string(), nameZh: z.string().nullable() }),
  /** The proposed grade. */
  grade: z.string(),
  /** The committee decided another grade than the one the scheme computes from the scores. */
  adjusted: z.boolean(),
  noticeOpensAt: z.string(),
  noticeClosesAt: z.string().nullable(),
});
const notice = summary.extend({
  state: z.enum(ASSESSMENT_STATES),
  body: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable() }),
  standard: z.object({ id: z.number().int(), number: z.string(), version: z.number().int() }),
  score: z.number().int().nullable(),
  maxScore: z.number().int(),
  indicators: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      labelZh: z.string().nullable(),
      clause: z.string(),
      maxPoints: z.number().int(),
      points: z.number().int().nullable(),
      /** The clause of the standard the indicator rests on. */
      href: z.string(),
    }),
  ),
  objections: counts,
  /** Dispositions of objections, without the objectors or their words. */
  dispositions: z.array(z.object({ id: z.number().int(), decision: z.enum(OBJECTION_DECISIONS), reason: z.string(), disposedAt: z.string() })),
  /** Whether objections are still taken. */
  open: z.boolean(),
});
const appeal = z.object({
  id: z.number().int(),
  subject: z.enum(APPEAL_SUBJECTS),
  assessment: z.number().int().nullable(),
  certificate: z.number().int().nullable(),
  state: z.enum(APPEAL_STATES),
  grounds: z.string(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const creditNoticeRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/credit/notices',
    tag,
    summary: 'Grades on public notice now (公示), latest first, with objection counts; paged',
    query: noticesQuery,
    responses: { 200: z.object({ items: z.array(summary.extend({ objections: counts })), total: z.number().int(), page: z.number().int(), perPage: z.number().int() }) },
  },
  {
    method: 'get',
    path: '/credit/notices/{id}',
    tag,
    summary: 'One public notice: proposed grade, points per indicator with their clauses, deadline, objection counts and dispositions',
    responses: { 200: notice },
    errors: { 404: 'The assessment was never on public notice' },
  },
  {
    method: 'post',
    path: '/credit/objections',
    tag,
    summary: 'Object to a grade on public notice (any signed-in user, while the notice is open); the body’s committee is notified',
    auth: true,
    body: objectionInput,
    responses: { 201: z.object({ id: z.number().int(), assessment: z.number().int(), createdAt: z.string() }) },
    errors: { 404: 'No public notice has that number', 409: 'The notice has closed (code notice_closed)' },
  },
  {
    method: 'post',
    path: '/credit/objections/{id}/disposition',
    tag,
    summary: 'Dispose of an objection (committee members of the body); the objector and the company are notified',
    auth: true,
    body: objectionDispositionInput,
    responses: { 200: z.object({ id: z.number().int(), assessment: z.number().int(), decision: z.enum(OBJECTION_DECISIONS), reason: z.string(), disposedAt: z.string() }) },
    errors: { 403: 'Not a committee member of the body', 409: 'The notice is over (code notice_over)' },
  },
  {
    method: 'post',
    path: '/credit/appeals',
    tag,
    summary: 'Appeal a refused assessment or a suspended or withdrawn certificate within 15 days (the company’s owners and editors); one open appeal per subject',
    auth: true,
    body: appealInput,
    responses: { 201: appeal },
    errors: { 403: 'Not an owner or editor of the company', 404: 'No such assessment (or not the company’s)', 409: 'Not appealable, too late (appeal_late) or already appealed (appeal_open)' },
  },
  {
    method: 'get',
    path: '/credit/appeals/{id}',
    tag,
    summary: 'One appeal (the company’s owners and editors, and the body’s committee; 404 to anyone else)',
    auth: true,
    responses: { 200: appeal },
  },
  {
    method: 'post',
    path: '/credit/appeals/{id}/decision',
    tag,
    summary: 'Decide an appeal (a committee member who took no part in the decision appealed); upheld, a refusal goes back to decision and a certificate is active again',
    auth: true,
    body: appealDecisionInput,
    responses: { 200: appeal },
    errors: { 403: 'Not a committee member, or took part in the decision appealed', 409: 'Already decided, or the subject changed since' },
  },
];
