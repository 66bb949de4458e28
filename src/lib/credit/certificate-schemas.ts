/** What the certificate API and forms accept, as zod schemas (the OpenAPI document is built from them). */
import { z } from 'zod';
import { CERTIFICATE_STATES, SURVEILLANCE_OUTCOMES } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';
import { CERTIFICATE_MOVES } from './certificate-lifecycle';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = (message: string) => z.string({ error: message }).regex(DATE, { error: message }).refine((s) => !Number.isNaN(Date.parse(s)), { error: message });

export const MOVE_TARGETS = CERTIFICATE_MOVES.map((m) => m.to) as [string, ...string[]];

export const certificateMoveInput = z.object({
  to: z.enum(MOVE_TARGETS, { error: 'Choose a step: suspended, active (reinstate), withdrawn or surrendered.' }),
  /** Required for the committee's moves; optional when the company surrenders. */
  reason: multiLine(2000).optional(),
});

export const surveillanceInput = z.object({
  outcome: z.enum(SURVEILLANCE_OUTCOMES, { error: 'Choose the outcome of the surveillance.' }),
  note: multiLine(4000).min(1, { error: 'Write what the surveillance found.' }),
  /** The day it was carried out; today when not given. */
  date: isoDate('Enter the date as YYYY-MM-DD.').optional(),
});

export const certificateFeedQuery = z.object({
  grade: singleLine(10).optional(),
  status: z.enum(CERTIFICATE_STATES, { error: 'Unknown state.' }).optional(),
  scheme: z.coerce.number().int().positive().optional(),
  /** Only certificates changed after this moment (ISO 8601). */
  updatedSince: z.iso.datetime({ offset: true, error: 'Give updatedSince as an ISO 8601 date and time.' }).optional(),
  /** `nextCursor` of the previous page. */
  cursor: singleLine(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const bodyCertificatesQuery = z.object({
  state: z.enum(CERTIFICATE_STATES).optional(),
  flagged: z.literal('1').optional(),
  due: z.literal('1').optional(),
  page: z.coerce.number().int().positive().optional(),
});
