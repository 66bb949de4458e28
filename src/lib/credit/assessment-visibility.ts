/**
 * Who may see a credit assessment and its evidence, as one SQL condition used by the single-case
 * load behind every door (API, pages, actions, evidence downloads) and by the body's queue, so they
 * cannot disagree:
 * - members of the rated company see its assessments in every state, drafts included;
 * - assessors and committee members of the scheme's body see every case once it is submitted;
 * - everybody else gets 404, as if the case did not exist.
 */
import { sql, type SQL } from 'drizzle-orm';
import { creditAssessments as a } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';

type Who = Pick<SessionUser, 'id'> | null | undefined;

const NOTHING = sql`0`;

/** Cases the user sees as an assessor or committee member of the scheme's body (never drafts). */
export function bodyCaseScope(user: Who): SQL {
  if (!user) return NOTHING;
  return sql`(${a.state} <> 'draft' AND EXISTS (SELECT 1 FROM credit_roles r JOIN credit_schemes s ON s.organization_id = r.organization_id WHERE s.id = ${a.schemeId} AND r.user_id = ${user.id}))`;
}

/** Every case the user may see: their company's, and what `bodyCaseScope` gives them. */
export function assessmentVisibleTo(user: Who): SQL {
  if (!user) return NOTHING;
  return sql`(EXISTS (SELECT 1 FROM memberships m WHERE m.organization_id = ${a.entityId} AND m.user_id = ${user.id}) OR ${bodyCaseScope(user)})`;
}
