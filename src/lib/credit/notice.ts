/**
 * Public notice (公示): a decided grade is public for the scheme's notice days and anyone signed in
 * may object. What stops a grant: the notice has not closed, or an objection has no disposition.
 * (The objection part lands with the notice work of issue 16.)
 */
import type { DbOrTx } from '@db/client';
import type { creditAssessments } from '@db/schema';

type Assessment = typeof creditAssessments.$inferSelect;

/** Why the assessment cannot be granted yet (an English message with a dictionary entry), or null. */
export function grantBlocker(_db: DbOrTx, assessment: Assessment, now: Date): string | null {
  if (assessment.noticeClosesAt && now < assessment.noticeClosesAt) return 'The public notice is still open: a grade is granted only after its last day.';
  return null;
}
