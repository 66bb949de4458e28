/** Credit certification API, assessments (issue 16): applying, answering, evidence, and the case's moves. */
import { z } from 'zod';
import { ASSESSMENT_STATES, DOCUMENT_TYPES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { assessmentTransitionInput, createAssessmentInput, patchAssessmentInput, queueInput } from './assessment-schemas';

const T = 'Credit';
const state = z.enum(ASSESSMENT_STATES);
const nullableText = z.string().nullable();
const indicator = z.object({ key: z.string(), label: z.string(), labelZh: z.string().optional(), maxPoints: z.number(), clause: z.string() });
const points = z.object({ points: z.number() });

const assessmentOutput = z.object({
  id: z.number(),
  state,
  scheme: z.object({
    id: z.number(),
    name: z.string(),
    nameZh: nullableText,
    standardNumber: z.string(),
    standardVersion: z.number(),
    indicators: z.array(indicator),
    bands: z.array(z.object({ grade: z.string(), minScore: z.number() })),
    commitmentText: z.string(),
    commitmentTextZh: nullableText,
    noticeDays: z.number(),
  }),
  entity: z.object({ slug: z.string(), name: z.string(), nameZh: nullableText, creditCode: nullableText }),
  answers: z.record(z.string(), points.extend({ statement: z.string() })),
  commitment: z.object({ signed: z.boolean(), signedAt: nullableText, signedBy: nullableText }),
  evidence: z.array(z.object({ id: z.number(), indicator: z.string(), name: z.string(), type: z.enum(DOCUMENT_TYPES), size: z.number(), sha256: z.string(), uploadedAt: z.string(), url: z.string() })),
  /** What still stops a submission (draft or incomplete only). */
  missing: z.object({ indicators: z.array(z.string()), commitment: z.boolean() }).nullable(),
  /** The one request for missing items. */
  request: z.object({ items: z.array(z.object({ key: z.string(), text: z.string() })), dueDate: nullableText }).nullable(),
  /** The assessor scoring the case (the body's view only). */
  assessor: z.object({ email: z.string(), name: z.string() }).nullable(),
  /** The assessor's scores: the body's view, and the applicant's once decided. */
  scores: z.record(z.string(), points.extend({ rationale: z.string() })).nullable(),
  score: z.number().nullable(),
  computedGrade: nullableText,
  grade: nullableText,
  /** The committee decided a grade other than the computed one ("adjusted by the committee"). */
  adjusted: z.boolean(),
  overrideReason: nullableText,
  decisionReason: nullableText,
  decidedAt: nullableText,
  noticeOpensAt: nullableText,
  noticeClosesAt: nullableText,
  certificate: nullableText,
  /** The states the viewer may move the case to now. */
  moves: z.array(state),
  roles: z.object({ applicant: z.boolean(), assessor: z.boolean(), committee: z.boolean(), conflicted: z.boolean(), assigned: z.boolean() }),
  events: z.array(z.object({ from: state.nullable(), to: state, at: z.string(), actor: nullableText, details: z.record(z.string(), z.unknown()) })),
  createdAt: z.string(),
  submittedAt: nullableText,
});

const queueItem = z.object({
  id: z.number(),
  state,
  entity: z.string(),
  entityName: z.string(),
  entityNameZh: nullableText,
  scheme: z.string(),
  schemeZh: nullableText,
  submittedAt: nullableText,
  dueDate: nullableText,
});

export const creditAssessmentsRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/credit/assessments',
    tag: T,
    summary: 'The body’s queue: the submitted cases of its schemes, for its assessors and committee members (paged by 20, filtered by state)',
    auth: true,
    query: queueInput,
    responses: { 200: z.object({ items: z.array(queueItem), total: z.number(), page: z.number(), perPage: z.number() }) },
  },
  {
    method: 'post',
    path: '/credit/assessments',
    tag: T,
    summary:
      'Apply for a credit grade: a draft assessment of a verified company (by slug; you are its owner or editor) under an active scheme. 409 when the company already has a live assessment under the scheme, its credit code is not valid, or a certificate of it under the scheme was withdrawn within 12 months',
    auth: true,
    body: createAssessmentInput,
    responses: { 201: z.object({ id: z.number(), state: z.literal('draft'), scheme: z.number(), entity: z.string() }) },
  },
  {
    method: 'get',
    path: '/credit/assessments/{id}',
    tag: T,
    summary: 'A case (404 for anybody but the company’s members and, once submitted, the body’s assessors and committee), with the moves the viewer may make and the history',
    auth: true,
    responses: { 200: assessmentOutput },
  },
  {
    method: 'patch',
    path: '/credit/assessments/{id}',
    tag: T,
    summary: 'Merge self-assessments per indicator (points 0..max and a statement) and sign (`commitment: true`) the credit commitment; draft or incomplete only',
    auth: true,
    body: patchAssessmentInput,
    responses: { 200: assessmentOutput },
  },
  {
    method: 'post',
    path: '/credit/assessments/{id}/evidence',
    tag: T,
    summary: 'Upload an evidence file for an indicator: PDF, PNG or JPEG by its bytes (415 otherwise), at most 10,000,000 bytes; draft or incomplete only',
    auth: true,
    multipart: { indicator: 'string', file: 'binary' },
    responses: { 201: z.object({ id: z.number(), indicator: z.string(), name: z.string(), type: z.enum(DOCUMENT_TYPES), size: z.number(), sha256: z.string(), url: z.string() }) },
  },
  {
    method: 'get',
    path: '/credit/assessments/{id}/evidence/{evidenceId}',
    tag: T,
    summary: 'Download an evidence file as an attachment (views by the body are audit-logged)',
    auth: true,
    responses: { 200: { contentType: ['application/pdf', 'image/png', 'image/jpeg'] } },
  },
  {
    method: 'post',
    path: '/credit/assessments/{id}/transitions',
    tag: T,
    summary:
      'Move a case (409 with the reason and a code when refused): `submitted` and `withdrawn` by the company; `screening`, `incomplete` (once: `items` and one future `dueDate`) and `scoring` (`assessor`: an assessor’s email without a conflict; yourself by default) by the body’s assessors; `decision` by the assigned assessor with `scores` for every indicator; `public_notice` (`grade`, with `reason` when it differs from the computed grade), `refused` (`reason`) and `granted` (after the notice closes; issues the certificate) by a committee member who did not score the case',
    auth: true,
    body: assessmentTransitionInput,
    responses: { 200: z.object({ id: z.number(), state, certificate: nullableText }) },
  },
];
