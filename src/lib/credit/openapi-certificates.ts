/** Credit certification API, certificates (issue 16): the change feed, verification, moves and surveillances. */
import { z } from 'zod';
import { CERTIFICATE_EVENT_KINDS, CERTIFICATE_STATES, SURVEILLANCE_OUTCOMES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { certificateFeedQuery, certificateMoveInput, surveillanceInput } from './certificate-schemas';

const tag = 'Credit certification';
const state = z.enum(CERTIFICATE_STATES);
const day = z.string().describe('A Shanghai calendar day, YYYY-MM-DD');
const moment = z.string().describe('ISO 8601 date and time');
const named = { name: z.string(), nameZh: z.string().nullable() };
const rule = z.enum(['expiry', 'missed_surveillance', 'suspension_limit']).nullable().describe('Set when the scheduled check made the change: which deadline passed');

const feedItem = z.object({
  number: z.string(),
  state,
  stateReason: z.string().nullable(),
  grade: z.string(),
  score: z.number().int(),
  maxScore: z.number().int(),
  validFrom: day,
  validUntil: day.describe('The last valid day'),
  nextSurveillance: day,
  updatedAt: moment,
  scheme: z.object({ id: z.number().int(), ...named }),
  body: z.object({ slug: z.string(), ...named }),
  entity: z.object({ slug: z.string(), ...named, creditCode: z.string().nullable() }),
});

const detail = z.object({
  number: z.string(),
  state,
  stateReason: z.string().nullable().describe('Why it is suspended or how it ended'),
  stateRule: rule,
  stateRuleDate: day.nullable(),
  grade: z.string(),
  score: z.number().int(),
  maxScore: z.number().int(),
  adjusted: z.boolean().describe('The committee decided a grade other than the computed one'),
  validFrom: day,
  validUntil: day,
  nextSurveillance: day,
  suspendedAt: moment.nullable(),
  endedAt: moment.nullable(),
  supersededBy: z.string().nullable().describe('The number of the certificate that replaced this one'),
  scheme: z.object({ id: z.number().int(), ...named }),
  body: z.object({ slug: z.string(), ...named, code: z.string().nullable() }),
  entity: z.object({ slug: z.string(), ...named, creditCode: z.string().nullable() }),
  standard: z.object({ id: z.number().int(), number: z.string(), version: z.number().int(), url: z.string() }),
  indicators: z.array(
    z.object({ key: z.string(), label: z.string(), labelZh: z.string().nullable(), clause: z.string(), clauseUrl: z.string(), points: z.number().int(), maxPoints: z.number().int() }),
  ),
  history: z.array(
    z.object({
      kind: z.enum(CERTIFICATE_EVENT_KINDS),
      at: moment,
      reason: z.string().nullable(),
      outcome: z.enum(SURVEILLANCE_OUTCOMES).nullable(),
      date: day.nullable(),
      rule,
    }),
  ),
  updatedAt: moment,
});

const summary = z.object({
  number: z.string(),
  state,
  stateReason: z.string().nullable(),
  nextSurveillance: day,
  earlySurveillance: z.boolean(),
  suspendedAt: moment.nullable(),
  endedAt: moment.nullable(),
  updatedAt: moment,
});

export const creditCertificatesRoutes: RouteDoc[] = [
  {
    method: 'get',
    path: '/credit/certificates',
    tag,
    summary:
      'Certificates in the order they last changed, (updatedAt, id) ascending: a change feed. Every change of state, surveillance or flag moves a certificate to the end; pass `updatedSince` (or the `nextCursor` of the last page) to get only what changed since. Deadlines due are applied first.',
    query: certificateFeedQuery,
    responses: { 200: z.object({ items: z.array(feedItem), nextCursor: z.string().nullable() }) },
  },
  {
    method: 'get',
    path: '/credit/certificates/{number}',
    tag,
    summary: 'Verify a certificate: grade, scheme and standard version, validity, next surveillance, state and reason, the indicator breakdown with the clauses it rests on, and its public history (no identities). Deadlines due are applied first.',
    responses: { 200: detail },
    errors: { 404: 'No certificate has that number' },
  },
  {
    method: 'post',
    path: '/credit/certificates/{number}/transitions',
    tag,
    summary:
      'Suspend, reinstate (`active`) or withdraw a certificate, with a reason (committee members of the issuing body), or surrender it (owners and editors of the certified company). The company is notified.',
    auth: true,
    body: certificateMoveInput,
    responses: { 200: summary },
    errors: { 400: 'A reason is required for this step', 403: 'Not a committee member of the body (or not of the company, to surrender)', 404: 'No certificate has that number', 409: 'The certificate’s state does not allow the step; the message says why' },
  },
  {
    method: 'post',
    path: '/credit/certificates/{number}/surveillances',
    tag,
    summary:
      'Record a surveillance (assessors and committee members of the issuing body): the next one falls the scheme’s interval after `date` (today when not given), never after the last valid day; an early-surveillance flag is cleared. The company is notified.',
    auth: true,
    body: surveillanceInput,
    responses: { 201: summary },
    errors: { 403: 'Not an assessor or committee member of the body', 404: 'No certificate has that number', 409: 'The certificate has ended' },
  },
];
