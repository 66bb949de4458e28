/** Research project people given by email: linked to the account once its owner proves the address. */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { researchProjectPeople, users } from '@db/schema';

/**
 * The account a person's email links to: only one whose address is verified, so that nobody
 * gains a project's edit rights by signing up with someone else's address.
 */
export function verifiedAccountFor(tx: DbOrTx, email: string) {
  return tx
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${email.toLowerCase()}`, sql`${users.emailVerifiedAt} IS NOT NULL`))
    .get();
}

/** Links every project person given with the user's (now verified) address to the account. */
export function linkProjectPeople(tx: DbOrTx, user: { id: string; email: string }) {
  tx.update(researchProjectPeople)
    .set({ userId: user.id })
    .where(and(isNull(researchProjectPeople.userId), sql`lower(${researchProjectPeople.email}) = ${user.email.toLowerCase()}`))
    .run();
}
