/** Organizations: creation, profile, members, verification. */
import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { invitations, memberships, organizationChangeRequests, organizations, users, type MembershipRole } from '@db/schema';
import { localizePath, pick, useTranslations } from '~/i18n';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Conflict, Forbidden, Invalid, NotFound } from '~/lib/errors';
import { newToken } from '~/lib/accounts/verification';
import { both, lowerEnglish, notify, queueEmail, termInBoth } from '~/lib/notifications/notify';
import { searchIndex } from '~/lib/search';
import { documentSources } from '~/lib/search/sources';
import { canEditOrganizationProfile, canManageOrganization, canSeeOrganization, isAdmin } from './policy';
import { pendingChangeOf } from './queries';
import { organizationSearchDocument } from './search';
import type { OrganizationInput } from './schemas';

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function uniqueSlug(tx: DbOrTx, base: string): string {
  const root = base || 'org';
  for (let i = 1; ; i++) {
    const slug = i === 1 ? root : `${root}-${i}`;
    if (!tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).get()) return slug;
  }
}

export function getOrganizationBySlug(db: DbOrTx, slug: string) {
  return db.select().from(organizations).where(eq(organizations.slug, slug)).get();
}

/** The organization if `user` may see it; otherwise NotFound (existence is not revealed). */
export function requireVisibleOrganization(db: DbOrTx, user: SessionUser | null, slug: string) {
  const org = getOrganizationBySlug(db, slug);
  if (!org || !canSeeOrganization(db, user, org)) throw new NotFound('No organization has that address.');
  return org;
}

/** Any signed-in user may register an organization; they become its owner and it waits for an admin. */
/** Only industry bodies number group standards (T/{code} …), so only they carry a code. */
function checkCode(type: string, code: string | null | undefined) {
  if (code && type !== 'industry_body') {
    throw new Invalid('Some fields are not valid.', { code: ['Only industry bodies have a standards code.'] });
  }
}

/** A unified social credit code names one legal entity: one organization on the portal carries it. */
function checkCreditCodeFree(tx: DbOrTx, creditCode: string | null | undefined, exceptId?: number) {
  if (!creditCode) return;
  const taken = tx.select({ id: organizations.id }).from(organizations).where(exceptId ? and(eq(organizations.creditCode, creditCode), ne(organizations.id, exceptId)) : eq(organizations.creditCode, creditCode)).get();
  if (taken) throw new Conflict(CREDIT_CODE_TAKEN, 'credit_code_taken', { creditCode: [CREDIT_CODE_TAKEN] });
}
const CREDIT_CODE_TAKEN = 'Another organization on the portal is registered with that unified social credit code.';

export function createOrganization(db: Db, user: SessionUser, input: OrganizationInput) {
  checkCode(input.type, input.code);
  return write(db, (tx) => {
    if (input.code && tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.code, input.code)).get()) {
      throw new Conflict('Another organization uses that code.', 'code_taken', { code: ['Another organization uses that code.'] });
    }
    checkCreditCodeFree(tx, input.creditCode);
    const org = tx
      .insert(organizations)
      .values({
        slug: uniqueSlug(tx, slugify(input.name)),
        name: input.name,
        nameZh: input.nameZh ?? null,
        type: input.type,
        descriptionMd: input.descriptionMd ?? '',
        website: input.website ?? null,
        rorId: input.rorId ?? null,
        code: input.code ?? null,
        creditCode: input.creditCode ?? null,
      })
      .returning()
      .get();
    tx.insert(memberships).values({ organizationId: org.id, userId: user.id, role: 'owner' }).run();
    recordAudit(tx, { actorId: user.id, action: 'organization.created', subjectType: 'organization', subjectId: org.id, details: { slug: org.slug, name: org.name } });
    return org;
  });
}

/** Profile fields to change; `null` clears an optional field, `undefined` leaves it as it is. */
export type OrganizationChanges = { [K in keyof OrganizationInput]?: OrganizationInput[K] | null };

type Organization = typeof organizations.$inferSelect;

/** What an organization is called and what kind it is: on a verified one, only an admin's approval changes these. */
const IDENTITY = ['name', 'nameZh', 'type'] as const;
type Identity = Pick<Organization, (typeof IDENTITY)[number]>;

const identityOf = (o: Identity): Identity => ({ name: o.name, nameZh: o.nameZh, type: o.type });
const sameIdentity = (a: Identity, b: Identity) => IDENTITY.every((k) => a[k] === b[k]);

/**
 * Edits the profile. On a verified organization a change of name (either language) or type by
 * its people is held as a change request for an admin (its verified identity stays shown
 * everywhere until then); the other fields apply at once. Admins' edits, and edits of pending or
 * rejected organizations, apply at once.
 */
export function updateOrganization(db: Db, user: SessionUser, slug: string, input: OrganizationChanges) {
  return write(db, (tx) => {
    const org = requireVisibleOrganization(tx, user, slug);
    if (!canEditOrganizationProfile(tx, user, org.id)) throw new Forbidden('Only the organization’s owners and editors can edit it.');
    if (input.name === null || input.type === null) throw new Invalid('Some fields are not valid.');
    const held = org.status === 'verified' && !isAdmin(user);
    const pending = held ? pendingChangeOf(tx, org.id) : undefined;
    // What the organization is to be called once everything asked for applies: a key left out
    // keeps what is waiting for review, or else what it is now.
    const base = pending ?? org;
    const requested: Identity = {
      name: input.name ?? base.name,
      nameZh: input.nameZh === undefined ? base.nameZh : input.nameZh,
      type: input.type ?? base.type,
    };
    checkCode(requested.type, input.code === undefined ? org.code : input.code);
    if (input.code && tx.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.code, input.code), ne(organizations.id, org.id))).get()) {
      throw new Conflict('Another organization uses that code.', 'code_taken', { code: ['Another organization uses that code.'] });
    }
    checkCreditCodeFree(tx, input.creditCode, org.id);
    const changes: Record<string, unknown> = Object.fromEntries(Object.entries(input).filter(([key, v]) => v !== undefined && !(held && (IDENTITY as readonly string[]).includes(key))));
    if (changes.descriptionMd === null) changes.descriptionMd = '';
    // A rejected organization that its people correct goes back to the verification queue.
    const resubmitted = org.status === 'rejected' && !isAdmin(user);
    if (resubmitted) Object.assign(changes, { status: 'pending', rejectionReason: null });
    const updated = Object.keys(changes).length
      ? tx
          .update(organizations)
          .set({ ...changes, updatedAt: new Date() })
          .where(eq(organizations.id, org.id))
          .returning()
          .get()
      : org;
    const fields = Object.keys(changes).filter((k) => k in input);
    if (fields.length || resubmitted) {
      recordAudit(tx, { actorId: user.id, action: 'organization.updated', subjectType: 'organization', subjectId: org.id, details: { fields, resubmitted } });
    }
    if (held && IDENTITY.some((k) => input[k] !== undefined)) holdIdentityChange(tx, user, org, pending, requested);
    if (updated.status === 'verified') {
      if (sameIdentity(identityOf(org), identityOf(updated))) searchIndex.upsert(tx, organizationSearchDocument(updated));
      else reindexOrganization(tx, org.id);
    }
    return updated;
  });
}

/**
 * Records (or replaces) the one pending change request of a verified organization; asking for
 * what it already is withdraws the request.
 */
function holdIdentityChange(tx: DbOrTx, user: SessionUser, org: Organization, pending: ReturnType<typeof pendingChangeOf>, requested: Identity) {
  const from = identityOf(org);
  if (sameIdentity(from, requested)) {
    if (!pending) return;
    tx.delete(organizationChangeRequests).where(eq(organizationChangeRequests.id, pending.id)).run();
    recordAudit(tx, { actorId: user.id, action: 'organization.change_withdrawn', subjectType: 'organization', subjectId: org.id, details: { requestId: pending.id } });
    return;
  }
  if (pending && sameIdentity(identityOf(pending), requested)) return;
  const request = pending
    ? tx
        .update(organizationChangeRequests)
        .set({ ...requested, requestedBy: user.id, updatedAt: new Date() })
        .where(eq(organizationChangeRequests.id, pending.id))
        .returning()
        .get()
    : tx
        .insert(organizationChangeRequests)
        .values({ organizationId: org.id, ...requested, requestedBy: user.id })
        .returning()
        .get();
  recordAudit(tx, { actorId: user.id, action: 'organization.change_requested', subjectType: 'organization', subjectId: org.id, details: { requestId: request.id, from, to: requested } });
}

/** What the members form and API send: who, with which role, and (industry bodies) whether they vote. */
export interface MemberInput {
  email: string;
  role: MembershipRole;
  votingMember?: boolean;
}

/**
 * The invitation email. The invitee may have no account and so no language yet, so it is written
 * in both, Chinese first, each with the invitation's own link in that language.
 */
function invitationEmail(org: { name: string; nameZh: string | null }, inviter: SessionUser, email: string, role: MembershipRole, voting: boolean, origin: string, token: string) {
  const zh = useTranslations('zh-cn');
  const en = useTranslations('en');
  const zhOrg = `“${pick('zh-cn', org.name, org.nameZh)}”`;
  const enOrg = org.name;
  const part = (t: typeof zh, orgName: string, link: string) =>
    t('org.invite.body', { inviter: inviter.displayName, org: orgName, role: t(`org.role.${role}`), voting: voting ? t('org.invite.voting') : '', email, link });
  const link = (lang: 'zh-cn' | 'en') => `${origin}${localizePath('/invitations/accept', lang)}?token=${token}`;
  return {
    subject: `${zh('org.invite.subject', { org: zhOrg })} · ${en('org.invite.subject', { org: enOrg })}`,
    body: `${part(zh, zhOrg, link('zh-cn'))}\n\n${part(en, enOrg, link('en'))}`,
  };
}

/**
 * Adds someone by email. A current member's role (and voting flag) changes at once. Anyone else,
 * with an account or without, is invited the same way and gets the same answer, so the form does
 * not reveal who has an account: the invitation is mailed with its own link and becomes a
 * membership when the owner of the address accepts it signed in, or proves the address.
 */
export function addMember(db: Db, user: SessionUser, slug: string, { email, role, votingMember }: MemberInput, origin: string) {
  return write(db, (tx) => {
    const org = requireVisibleOrganization(tx, user, slug);
    if (!canManageOrganization(tx, user, org.id)) throw new Forbidden('Only the organization’s owners can manage members.');
    const address = email.toLowerCase();
    const member = tx
      .select({ userId: memberships.userId, email: users.email })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.organizationId, org.id), sql`lower(${users.email}) = ${address}`))
      .get();
    if (!member) {
      // Inviting again changes the role, and the voting flag when one is given, and mails a new
      // link (the older one stops working).
      const { token, tokenHash } = newToken();
      const invitation = tx
        .insert(invitations)
        .values({ organizationId: org.id, email: address, role, votingMember: votingMember ?? false, invitedBy: user.id, tokenHash })
        .onConflictDoUpdate({
          target: [invitations.organizationId, invitations.email],
          set: { role, tokenHash, ...(votingMember === undefined ? {} : { votingMember }) },
        })
        .returning()
        .get();
      const mail = invitationEmail(org, user, address, role, invitation.votingMember, origin, token);
      queueEmail(tx, address, mail.subject, mail.body);
      recordAudit(tx, { actorId: user.id, action: 'organization.member_invited', subjectType: 'organization', subjectId: org.id, details: { email: address, role, votingMember: invitation.votingMember } });
      return { email: address, role, status: 'invited' as const };
    }
    if (role !== 'owner') {
      const owners = ownersOf(tx, org.id);
      if (owners.length === 1 && owners[0]!.userId === member.userId) throw new Conflict('An organization needs at least one owner.', 'last_owner');
    }
    tx.update(memberships)
      .set({ role, ...(votingMember === undefined ? {} : { votingMember }) })
      .where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, member.userId)))
      .run();
    recordAudit(tx, { actorId: user.id, action: 'organization.member_changed', subjectType: 'organization', subjectId: org.id, details: { userId: member.userId, role } });
    notify(tx, member.userId, {
      kind: 'organization.member_changed',
      params: { role: lowerEnglish(termInBoth(`org.role.${role}`)), organization: both(org.name, org.nameZh) },
      url: `/organizations/${org.slug}`,
    });
    return { email: member.email, role, status: 'member' as const };
  });
}

export function removeMember(db: Db, user: SessionUser, slug: string, userId: string) {
  write(db, (tx) => {
    const org = requireVisibleOrganization(tx, user, slug);
    if (!canManageOrganization(tx, user, org.id)) throw new Forbidden('Only the organization’s owners can manage members.');
    const owners = ownersOf(tx, org.id);
    if (owners.length === 1 && owners[0]!.userId === userId) {
      throw new Conflict('An organization needs at least one owner.', 'last_owner');
    }
    const removed = tx.delete(memberships).where(and(eq(memberships.organizationId, org.id), eq(memberships.userId, userId))).run();
    if (removed.changes === 0) throw new NotFound('That person is not a member.');
    recordAudit(tx, { actorId: user.id, action: 'organization.member_removed', subjectType: 'organization', subjectId: org.id, details: { userId } });
  });
}

/** Withdraws an invitation that has not been accepted yet. */
export function cancelInvitation(db: Db, user: SessionUser, slug: string, email: string) {
  write(db, (tx) => {
    const org = requireVisibleOrganization(tx, user, slug);
    if (!canManageOrganization(tx, user, org.id)) throw new Forbidden('Only the organization’s owners can manage members.');
    const removed = tx.delete(invitations).where(and(eq(invitations.organizationId, org.id), eq(invitations.email, email.toLowerCase()))).run();
    if (removed.changes === 0) throw new NotFound('No invitation to that address.');
    recordAudit(tx, { actorId: user.id, action: 'organization.invitation_cancelled', subjectType: 'organization', subjectId: org.id, details: { email } });
  });
}

function ownersOf(tx: DbOrTx, organizationId: number) {
  return tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'owner')))
    .all();
}

/** An admin verifies an organization: it may now publish, and it becomes public and searchable. */
export function verifyOrganization(db: Db, user: SessionUser, slug: string) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins verify organizations.');
  return write(db, (tx) => {
    const org = getOrganizationBySlug(tx, slug);
    if (!org) throw new NotFound('No organization has that address.');
    if (org.status === 'verified') throw new Conflict('This organization is already verified.', 'already_verified');
    const updated = tx
      .update(organizations)
      .set({ status: 'verified', verifiedAt: new Date(), rejectionReason: null, updatedAt: new Date() })
      .where(eq(organizations.id, org.id))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'organization.verified', subjectType: 'organization', subjectId: org.id, details: { from: org.status } });
    for (const o of ownersOf(tx, org.id)) {
      notify(tx, o.userId, { kind: 'organization.verified', params: { organization: both(org.name, org.nameZh) }, url: `/organizations/${org.slug}`, email: true });
    }
    searchIndex.upsert(tx, organizationSearchDocument(updated));
    return updated;
  });
}

export function rejectOrganization(db: Db, user: SessionUser, slug: string, reason: string) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins verify organizations.');
  if (!reason.trim()) throw new Invalid('Give a reason.', { reason: ['Give a reason.'] });
  return write(db, (tx) => {
    const org = getOrganizationBySlug(tx, slug);
    if (!org) throw new NotFound('No organization has that address.');
    const updated = tx
      .update(organizations)
      .set({ status: 'rejected', rejectionReason: reason, updatedAt: new Date() })
      .where(eq(organizations.id, org.id))
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'organization.rejected', subjectType: 'organization', subjectId: org.id, details: { from: org.status, reason } });
    // A change of name or type asked for while it was verified has nothing left to wait for.
    tx.delete(organizationChangeRequests).where(and(eq(organizationChangeRequests.organizationId, org.id), eq(organizationChangeRequests.status, 'pending'))).run();
    for (const o of ownersOf(tx, org.id)) {
      notify(tx, o.userId, { kind: 'organization.rejected', params: { organization: both(org.name, org.nameZh) }, note: reason, url: `/organizations/${org.slug}`, email: true });
    }
    searchIndex.remove(tx, 'organization', String(org.id));
    return updated;
  });
}

/** The organization's own document and every public one that shows its name or type (courses, research, standards). */
function reindexOrganization(tx: DbOrTx, organizationId: number) {
  for (const source of documentSources) {
    for (const doc of source.ofOrganization?.(tx, organizationId) ?? []) searchIndex.upsert(tx, doc);
  }
}

/** Owners and editors: who asked for a change and hears about the decision. */
function editorsOf(tx: DbOrTx, organizationId: number) {
  return tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.organizationId, organizationId), inArray(memberships.role, ['owner', 'editor'])))
    .all();
}

function requirePendingChange(tx: DbOrTx, user: SessionUser, slug: string) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins review changes of name or type.');
  const org = getOrganizationBySlug(tx, slug);
  if (!org) throw new NotFound('No organization has that address.');
  const request = org.status === 'verified' ? pendingChangeOf(tx, org.id) : undefined;
  if (!request) throw new NotFound('No change of name or type is waiting for review.');
  return { org, request };
}

/** Tells the organization's owners and editors, each in their language, what an admin decided. */
function notifyChangeDecision(tx: DbOrTx, org: Organization, shown: Identity, key: 'approved' | 'rejected', reason?: string) {
  for (const person of editorsOf(tx, org.id)) {
    notify(tx, person.userId, {
      kind: `organization.change_${key}`,
      params: { name: both(shown.name, shown.nameZh) },
      note: reason,
      url: `/organizations/${org.slug}`,
      email: true,
    });
  }
}

/**
 * An admin approves the pending change of name or type: it applies, and every public document
 * that shows the organization's name or type is indexed again.
 */
export function approveOrganizationChange(db: Db, user: SessionUser, slug: string) {
  return write(db, (tx) => {
    const { org, request } = requirePendingChange(tx, user, slug);
    const to = identityOf(request);
    checkCode(to.type, org.code);
    const updated = tx
      .update(organizations)
      .set({ ...to, updatedAt: new Date() })
      .where(eq(organizations.id, org.id))
      .returning()
      .get();
    tx.update(organizationChangeRequests)
      .set({ status: 'approved', decidedBy: user.id, decidedAt: new Date(), updatedAt: new Date() })
      .where(eq(organizationChangeRequests.id, request.id))
      .run();
    recordAudit(tx, { actorId: user.id, action: 'organization.change_approved', subjectType: 'organization', subjectId: org.id, details: { requestId: request.id, from: identityOf(org), to } });
    notifyChangeDecision(tx, updated, to, 'approved');
    reindexOrganization(tx, org.id);
    return updated;
  });
}

/** An admin rejects the pending change with a reason: the verified name and type stay. */
export function rejectOrganizationChange(db: Db, user: SessionUser, slug: string, reason: string) {
  if (!reason.trim()) throw new Invalid('Give a reason.', { reason: ['Give a reason.'] });
  return write(db, (tx) => {
    const { org, request } = requirePendingChange(tx, user, slug);
    tx.update(organizationChangeRequests)
      .set({ status: 'rejected', reason, decidedBy: user.id, decidedAt: new Date(), updatedAt: new Date() })
      .where(eq(organizationChangeRequests.id, request.id))
      .run();
    recordAudit(tx, { actorId: user.id, action: 'organization.change_rejected', subjectType: 'organization', subjectId: org.id, details: { requestId: request.id, to: identityOf(request), reason } });
    notifyChangeDecision(tx, org, identityOf(org), 'rejected', reason);
    return org;
  });
}
