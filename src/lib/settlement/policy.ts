/**
 * Who may see and act on a settlement case. A case is seen by its applicant and by settlement
 * staff (officers and approvers) once submitted; everybody else — other applicants, organization
 * editors, admins without a settlement role — gets 404, as if it did not exist.
 */
import type { SessionUser } from '~/lib/auth/sessions';

type Who = Pick<SessionUser, 'id' | 'roles'> | null | undefined;

export const isOfficer = (user: Who) => !!user?.roles.includes('settlement_officer');
export const isApprover = (user: Who) => !!user?.roles.includes('settlement_approver');
export const isSettlementStaff = (user: Who) => isOfficer(user) || isApprover(user);

export function isApplicant(user: Who, app: { applicantId: string }) {
  return !!user && user.id === app.applicantId;
}

/** Staff see a case once it has been submitted (it has a reference); a draft, even a withdrawn one, stays private. */
export function canSeeCase(user: Who, app: { applicantId: string; reference: string | null }) {
  if (isApplicant(user, app)) return true;
  return isSettlementStaff(user) && app.reference !== null;
}

/** Staff views are logged; the applicant's own views are not. */
export function isStaffView(user: Who, app: { applicantId: string }) {
  return !isApplicant(user, app) && isSettlementStaff(user);
}
