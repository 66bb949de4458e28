/**
 * Invitations become memberships only for someone who proved they own the invited address: at
 * email verification (every invitation to the address), or by accepting one invitation through
 * its mailed link while signed in with that address (which proves the address too).
 */
import { eq } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { invitations, memberships, organizations } from '@db/schema';
import { markEmailVerified, sha256 } from '~/lib/accounts/verification';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Forbidden, Invalid } from '~/lib/errors';

/** Turns every invitation to the user's address into a membership (the address is proved). */
export function claimInvitations(tx: DbOrTx, user: { id: string; email: string }) {
  const pending = tx.select().from(invitations).where(eq(invitations.email, user.email.toLowerCase())).all();
  for (const inv of pending) {
    tx.insert(memberships).values({ organizationId: inv.organizationId, userId: user.id, role: inv.role, votingMember: inv.votingMember }).onConflictDoNothing().run();
    tx.delete(invitations).where(eq(invitations.id, inv.id)).run();
    recordAudit(tx, { actorId: user.id, action: 'organization.invitation_accepted', subjectType: 'organization', subjectId: inv.organizationId, details: { role: inv.role } });
  }
}

const stale = () =>
  new Invalid('This invitation link is no longer valid: it was withdrawn, replaced by a newer one, or already accepted.', {
    token: ['This invitation link is no longer valid: it was withdrawn, replaced by a newer one, or already accepted.'],
  });

/** The invitation a mailed link stands for, with its organization; null when the link is stale. */
export function invitationByToken(db: DbOrTx, token: string) {
  return (
    db
      .select({
        email: invitations.email,
        role: invitations.role,
        organizationSlug: organizations.slug,
        organizationName: organizations.name,
        organizationNameZh: organizations.nameZh,
      })
      .from(invitations)
      .innerJoin(organizations, eq(organizations.id, invitations.organizationId))
      .where(eq(invitations.tokenHash, sha256(token)))
      .get() ?? null
  );
}

/** Whether the signed-in user is the one the invitation was sent to (addresses compare case-insensitively). */
export const isInvitee = (user: { email: string }, invitation: { email: string }) => user.email.toLowerCase() === invitation.email.toLowerCase();

/** Accepts an invitation through its link: only the signed-in owner of the invited address may. */
export function acceptInvitation(db: Db, user: SessionUser, token: string) {
  return write(db, (tx) => {
    const invitation = invitationByToken(tx, token);
    if (!invitation) throw stale();
    if (!isInvitee(user, invitation)) {
      throw new Forbidden('This invitation was sent to another address. Sign in with that address to accept it.');
    }
    // Receiving the link at the address proves it, so this claims every invitation to it.
    markEmailVerified(tx, user.id);
    return { organizationSlug: invitation.organizationSlug, role: invitation.role };
  });
}
