/**
 * What a credit scheme learns from its standard's lifecycle: when the standard is revised or
 * withdrawn, certificates on it must move to the new basis within 12 months. Called by the
 * standards service inside the transaction that moves the standard (kept apart from the scheme
 * service so the two domains do not import each other).
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { Tx } from '@db/client';
import { creditSchemes } from '@db/schema';
import { recordAudit } from '~/lib/audit/log';
import { addMonths } from './dates';

export const TRANSITION_MONTHS = 12;

/** Sets the transition deadline (`day` + 12 months, YYYY-MM-DD) on the active schemes built on the standard. */
export function markSchemesOnChangedStandard(tx: Tx, standardId: number, day: string, actorId: string | null, change: 'revised' | 'withdrawn') {
  const deadline = addMonths(day, TRANSITION_MONTHS);
  const marked = tx
    .update(creditSchemes)
    .set({ transitionDeadline: deadline, updatedAt: new Date() })
    .where(and(eq(creditSchemes.standardId, standardId), eq(creditSchemes.state, 'active'), isNull(creditSchemes.transitionDeadline)))
    .returning({ id: creditSchemes.id })
    .all();
  for (const { id } of marked) {
    recordAudit(tx, { actorId, action: 'credit.scheme.standard_changed', subjectType: 'credit_scheme', subjectId: id, details: { standardId, change, transitionDeadline: deadline } });
  }
  return marked.length;
}
