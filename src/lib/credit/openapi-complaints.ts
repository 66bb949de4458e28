/** Credit certification API, complaints (issue 16). */
import { z } from 'zod';
import { COMPLAINT_CATEGORIES, COMPLAINT_OUTCOMES, COMPLAINT_STATES, DOCUMENT_TYPES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { complaintTransitionInput, fileComplaintInput } from './complaint-schemas';

const T = 'Credit complaints';
const names = { name: z.string(), nameZh: z.string().nullable() };

const complaintOutput = z.object({
  id: z.number(),
  state: z.enum(COMPLAINT_STATES),
  /** The part the caller plays: the complainant, the company (owner or editor) or the body's committee. */
  role: z.enum(['complainant', 'entity', 'committee']),
  category: z.enum(COMPLAINT_CATEGORIES),
  text: z.string(),
  entity: z.object({ slug: z.string(), ...names }),
  scheme: z.object({ id: z.number(), ...names, body: z.string(), bodyZh: z.string().nullable() }),
  /** Who complains: shown to the complainant and the committee, null for the company. */
  complainant: z.object({ name: z.string(), email: z.string() }).nullable(),
  filedAt: z.string(),
  /** The company's answer is due by then. */
  responseDueAt: z.string(),
  /** Open past the response date without an answer. */
  overdue: z.boolean(),
  answer: z.object({ text: z.string(), at: z.string(), inTime: z.boolean() }).nullable(),
  reply: z.object({ text: z.string(), at: z.string() }).nullable(),
  closure: z.object({ outcome: z.enum(COMPLAINT_OUTCOMES), reason: z.string(), at: z.string() }).nullable(),
  evidence: z.array(z.object({ id: z.number(), name: z.string(), type: z.enum(DOCUMENT_TYPES), size: z.number(), sha256: z.string(), url: z.string() })),
  /** The moves the caller may make now; for `closed`, the outcomes allowed. */
  moves: z.array(z.object({ to: z.enum(['answered', 'replied', 'closed']), outcomes: z.array(z.enum(COMPLAINT_OUTCOMES)) })),
});

const notVisible = 'No such complaint, or not visible to you (only the complainant, the company’s owners and editors and the body’s committee see one)';

const listItem = z.object({
  id: z.number(),
  state: z.enum(COMPLAINT_STATES),
  category: z.enum(COMPLAINT_CATEGORIES),
  outcome: z.enum(COMPLAINT_OUTCOMES).nullable(),
  /** The company's slug. */
  entity: z.string(),
  filedAt: z.string(),
  responseDueAt: z.string(),
});

export const creditComplaintsRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/credit/complaints',
    tag: T,
    summary: 'Your complaints: the ones you filed, and the ones against the companies you act for (owner or editor), newest first',
    auth: true,
    responses: { 200: z.object({ filed: z.array(listItem), against: z.array(listItem) }) },
  },
  {
    method: 'post',
    path: '/credit/complaints',
    tag: T,
    summary:
      'File a complaint against a rated company (slug; one with an active or suspended certificate). `scheme` (id) is needed when the company is rated under several; the body of that scheme handles it. The company answers within the scheme’s response days. Needs a verified email address.',
    auth: true,
    body: fileComplaintInput,
    responses: { 201: complaintOutput },
    errors: { 400: 'Invalid fields, or the company is not rated', 403: 'The email address is not verified yet', 404: 'No such company', 409: 'You act for the company' },
  },
  {
    method: 'get',
    path: '/credit/complaints/{id}',
    tag: T,
    summary: 'A complaint with its answer, reply, closure and evidence. The company sees no complainant.',
    auth: true,
    responses: { 200: complaintOutput },
    errors: { 404: notVisible },
  },
  {
    method: 'post',
    path: '/credit/complaints/{id}/evidence',
    tag: T,
    summary: 'Add a PDF/PNG/JPEG evidence file (at most 10,000,000 bytes; the type is read from the file’s first bytes) while the complaint is not closed (the complainant only)',
    auth: true,
    multipart: { file: 'binary' },
    responses: { 201: z.object({ id: z.number(), name: z.string(), type: z.enum(DOCUMENT_TYPES), size: z.number(), sha256: z.string(), url: z.string() }) },
    errors: { 404: notVisible, 409: 'Not the complainant, or the complaint is closed', 413: 'The file is larger than 10,000,000 bytes', 415: 'Not a PDF, PNG or JPEG file' },
  },
  {
    method: 'get',
    path: '/credit/complaints/{id}/evidence/{evidenceId}',
    tag: T,
    summary: 'Download an evidence file as an attachment',
    auth: true,
    responses: { 200: { contentType: ['application/pdf', 'image/png', 'image/jpeg'] } },
    errors: { 404: notVisible },
  },
  {
    method: 'post',
    path: '/credit/complaints/{id}/transitions',
    tag: T,
    summary:
      'Move a complaint (409 with the reason when refused): `answered` with `text` (the company’s owner or editor, once, while open); `replied` with `text` (the complainant, once, after the answer); `closed` with `outcome` and `reason` (a committee member of the body: resolved or unresolved after an answer, unanswered only once the response date passed without one, not_accepted at any time before closing)',
    auth: true,
    body: complaintTransitionInput,
    responses: { 200: complaintOutput },
    errors: { 400: 'Missing text, outcome or reason', 404: notVisible, 409: 'The move is not yours to make, or not allowed in this state' },
  },
];
