/**
 * Complaints against rated companies (issue 16): any signed-in person with a verified address files
 * one against a company holding an active or suspended certificate; the company answers within the
 * scheme's response days; the complainant may reply once; a committee member of the body closes it
 * with an outcome and a reason. Every write runs in one BEGIN IMMEDIATE transaction with its audit
 * entry and the notifications it causes. Who may see what: ./complaint-policy.ts.
 */
import { renameSync } from 'node:fs';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { creditCertificates, creditComplaints, creditEvidence, creditRoles, creditSchemes, memberships, organizations } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { isEmailVerified } from '~/lib/accounts/queries';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound, UnsupportedMediaType, type FieldErrors } from '~/lib/errors';
import { both, notify, termInBoth, type Notice } from '~/lib/notifications/notify';
import { storedPath as uploadedPath } from '~/lib/settlement/storage';
import type { StoredUpload } from '~/lib/settlement/service';
import { complaintRefusal, type ComplaintMoveTo } from './complaint-lifecycle';
import { complaintVisibleTo, playsIn } from './complaint-policy';
import { RESPONSE_TEXT_MIN, type ComplaintTransitionInput, type FileComplaintInput } from './complaint-schemas';
import { creditFilePath } from './complaint-files';
import { flagForEarlySurveillance } from './certificates';
import { actsForEntity } from './policy';

export type Complaint = typeof creditComplaints.$inferSelect;
export type ComplaintEvidence = typeof creditEvidence.$inferSelect;

const NOT_VISIBLE = 'No complaint with that number is visible to you.';
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------- whom a complaint may be filed against

/** The schemes under which the company holds an active or suspended certificate: what makes it complainable. */
export function ratedSchemesOf(db: DbOrTx, entityId: number) {
  return db
    .select({ id: creditSchemes.id, name: creditSchemes.name, nameZh: creditSchemes.nameZh, bodyId: creditSchemes.organizationId, responseDays: creditSchemes.complaintResponseDays, certificate: creditCertificates.number })
    .from(creditCertificates)
    .innerJoin(creditSchemes, eq(creditSchemes.id, creditCertificates.schemeId))
    .where(and(eq(creditCertificates.entityId, entityId), inArray(creditCertificates.state, ['active', 'suspended'])))
    .orderBy(asc(creditSchemes.id))
    .all();
}

/** The company a complaint names (by slug) and the schemes it is rated under; 404 for no such company. */
export function complaintTarget(db: DbOrTx, slug: string) {
  const entity = db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh })
    .from(organizations)
    .where(and(eq(organizations.slug, slug), eq(organizations.type, 'company'), eq(organizations.status, 'verified')))
    .get();
  if (!entity) throw new NotFound('No rated company has that name.');
  return { entity, schemes: ratedSchemesOf(db, entity.id) };
}

// ---------------------------------------------------------------- filing

export function fileComplaint(db: Db, user: SessionUser, input: FileComplaintInput, now = new Date()): Complaint {
  if (!isEmailVerified(db, user.id)) throw new Forbidden('Verify your email address before filing a complaint.');
  return write(db, (tx) => {
    const { entity, schemes } = complaintTarget(tx, input.entity);
    if (!schemes.length) throw new Invalid('Some fields are not valid.', { entity: ['Complaints are filed only against a company with an active or suspended certificate.'] });
    if (actsForEntity(tx, user, entity.id)) throw new Conflict('You act for this company: a complaint against it is not yours to file.', 'own_company');
    const scheme = input.scheme === undefined ? (schemes.length === 1 ? schemes[0] : undefined) : schemes.find((s) => s.id === input.scheme);
    if (!scheme) {
      throw new Invalid('Some fields are not valid.', {
        scheme: [input.scheme === undefined ? 'The company is rated under several schemes: choose the one whose body should handle the complaint.' : 'The company holds no certificate under that scheme.'],
      });
    }
    const complaint = tx
      .insert(creditComplaints)
      .values({
        entityId: entity.id,
        schemeId: scheme.id,
        complainantId: user.id,
        category: input.category,
        text: input.text,
        state: 'open',
        responseDueAt: new Date(now.getTime() + scheme.responseDays * DAY_MS),
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'credit.complaint_filed', subjectType: 'credit_complaint', subjectId: complaint.id, details: { entity: entity.slug, scheme: scheme.id, category: input.category } });
    const notice = noticeOf('filed', complaint, entity, { due: complaint.responseDueAt });
    for (const id of entityPeople(tx, entity.id)) notify(tx, id, notice);
    for (const id of committeeOf(tx, scheme.bodyId)) if (id !== user.id) notify(tx, id, notice);
    return complaint;
  });
}

/** The company's owners and editors, who answer. */
function entityPeople(tx: DbOrTx, entityId: number): string[] {
  return tx
    .select({ id: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, entityId), inArray(memberships.role, ['owner', 'editor'])))
    .all()
    .map((r) => r.id);
}

function committeeOf(tx: DbOrTx, bodyId: number): string[] {
  return tx
    .select({ id: creditRoles.userId })
    .from(creditRoles)
    .where(and(eq(creditRoles.organizationId, bodyId), eq(creditRoles.role, 'committee')))
    .all()
    .map((r) => r.id);
}

/** Texts `notice.credit.complaint.<kind>` (src/i18n/dict/credit-complaints.ts): never the complainant's name. */
function noticeOf(kind: 'filed' | 'answered' | 'replied' | 'closed', complaint: Complaint, entity: { name: string; nameZh: string | null }, params: Record<string, Date | string> = {}): Notice {
  return {
    kind: `credit.complaint.${kind}`,
    params: { id: complaint.id, company: both(entity.name, entity.nameZh ?? entity.name), ...params, ...(complaint.outcome ? { outcome: termInBoth(`credit.complaint.outcome.${complaint.outcome}`) } : {}) },
    url: `/credit/complaints/${complaint.id}`,
    email: true,
  };
}

// ---------------------------------------------------------------- reading one

function findVisible(db: DbOrTx, user: SessionUser | null, id: number): Complaint | undefined {
  return db.select().from(creditComplaints).where(and(eq(creditComplaints.id, id), complaintVisibleTo(user))).get();
}

/** The complaint if `user` may see it, else 404 (existence is not revealed). */
export function loadComplaint(db: DbOrTx, user: SessionUser | null, id: number): Complaint {
  const complaint = findVisible(db, user, id);
  if (!complaint) throw new NotFound(NOT_VISIBLE);
  return complaint;
}

export const bodyOf = (db: DbOrTx, complaint: Pick<Complaint, 'schemeId'>) =>
  db.select({ id: creditSchemes.organizationId }).from(creditSchemes).where(eq(creditSchemes.id, complaint.schemeId)).get()!.id;

export const complaintPlays = (db: DbOrTx, user: SessionUser, complaint: Complaint) => playsIn(db, user, { ...complaint, bodyId: bodyOf(db, complaint) });

// ---------------------------------------------------------------- moves

/** What is wrong with an answer, a reply or a reason, or null. */
function textProblem(value: string | undefined, missing: string): string | null {
  const text = value?.trim() ?? '';
  if (!text) return missing;
  if (text.length < RESPONSE_TEXT_MIN) return `Use at least ${RESPONSE_TEXT_MIN} characters.`;
  return null;
}

function refuseFields(problems: Record<string, string | null>) {
  const fields: FieldErrors = {};
  for (const [field, problem] of Object.entries(problems)) if (problem) fields[field] = [problem];
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
}

/**
 * Moves a complaint if the lifecycle (`complaintRefusal`) lets the user: 409 with the reason when
 * it does not, 404 when they may not see the complaint. Each move notifies the other parties.
 */
export function transitionComplaint(db: Db, user: SessionUser, id: number, input: ComplaintTransitionInput, now = new Date()) {
  return write(db, (tx) => {
    const complaint = loadComplaint(tx, user, id);
    const plays = complaintPlays(tx, user, complaint);
    const to: ComplaintMoveTo = input.to;
    const refusal = complaintRefusal(plays, complaint, to, undefined, now);
    if (refusal) throw new Conflict(refusal.message, refusal.code);
    const entity = tx.select({ name: organizations.name, nameZh: organizations.nameZh }).from(organizations).where(eq(organizations.id, complaint.entityId)).get()!;
    const people = entityPeople(tx, complaint.entityId);
    const committee = committeeOf(tx, bodyOf(tx, complaint)).filter((c) => c !== complaint.complainantId);
    let notified: string[];
    let audit: Record<string, unknown>;
    switch (to) {
      case 'answered': {
        refuseFields({ text: textProblem(input.text, 'Write the company’s answer.') });
        tx.update(creditComplaints).set({ state: 'answered', answer: input.text!.trim(), answeredBy: user.id, answeredAt: now, updatedAt: now }).where(eq(creditComplaints.id, id)).run();
        notified = [...(complaint.complainantId ? [complaint.complainantId] : []), ...committee];
        audit = { inTime: now <= complaint.responseDueAt };
        break;
      }
      case 'replied': {
        refuseFields({ text: textProblem(input.text, 'Write your reply.') });
        tx.update(creditComplaints).set({ state: 'replied', reply: input.text!.trim(), repliedAt: now, updatedAt: now }).where(eq(creditComplaints.id, id)).run();
        notified = [...people, ...committee];
        audit = {};
        break;
      }
      case 'closed': {
        refuseFields({ outcome: input.outcome ? null : 'Choose the outcome.', reason: textProblem(input.reason, 'Give the reason for the outcome.') });
        const outcomeRefusal = complaintRefusal(plays, complaint, 'closed', input.outcome, now);
        if (outcomeRefusal) throw new Conflict(outcomeRefusal.message, outcomeRefusal.code);
        const reason = input.reason!.trim();
        tx.update(creditComplaints)
          .set({ state: 'closed', outcome: input.outcome!, closeReason: reason, closedBy: user.id, closedAt: now, updatedAt: now })
          .where(eq(creditComplaints.id, id))
          .run();
        // Enough unresolved complaints flag the certificate for an early surveillance, in this transaction.
        flagForEarlySurveillance(tx, complaint.entityId, complaint.schemeId, now);
        notified = [...(complaint.complainantId ? [complaint.complainantId] : []), ...people];
        audit = { outcome: input.outcome };
        break;
      }
    }
    const after = tx.select().from(creditComplaints).where(eq(creditComplaints.id, id)).get()!;
    recordAudit(tx, { actorId: user.id, action: `credit.complaint_${to}`, subjectType: 'credit_complaint', subjectId: id, details: { from: complaint.state, to, ...audit } });
    const notice = noticeOf(to, after, entity);
    for (const who of new Set(notified)) if (who !== user.id) notify(tx, who, notice);
    return after;
  });
}

// ---------------------------------------------------------------- evidence

/** The complainant adds evidence while the complaint is not closed. Checked before the body is read. */
export function assertCanAddEvidence(db: DbOrTx, user: SessionUser, id: number): Complaint {
  const complaint = loadComplaint(db, user, id);
  if (complaint.complainantId !== user.id) throw new Conflict('Only the complainant adds evidence to a complaint.', 'not_complainant');
  if (complaint.state === 'closed') throw new Conflict('The complaint is closed: no more evidence can be added.', 'closed');
  return complaint;
}

/** Records an uploaded file (already checked for size and hashed) as the complaint's evidence, under DATA_DIR/credit. */
export function recordComplaintEvidence(db: Db, user: SessionUser, id: number, file: StoredUpload): ComplaintEvidence {
  assertCanAddEvidence(db, user, id);
  if (!file.type) throw new UnsupportedMediaType('Only PDF, PNG and JPEG files are accepted; this file is none of them.');
  const row = write(db, (tx) => {
    assertCanAddEvidence(tx, user, id); // again inside the write: the complaint may have closed meanwhile
    const evidence = tx
      .insert(creditEvidence)
      .values({ complaintId: id, storedName: file.storedName, originalName: file.originalName, type: file.type!, size: file.size, sha256: file.sha256, uploadedBy: user.id })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'credit.complaint_evidence_added', subjectType: 'credit_complaint', subjectId: id, details: { evidenceId: evidence.id, sha256: file.sha256, size: file.size } });
    return evidence;
  });
  renameSync(uploadedPath(file.storedName), creditFilePath(file.storedName));
  return row;
}

export function complaintEvidence(db: DbOrTx, complaintId: number): ComplaintEvidence[] {
  return db.select().from(creditEvidence).where(eq(creditEvidence.complaintId, complaintId)).orderBy(asc(creditEvidence.id)).all();
}

/** An evidence file for download, or 404 for anyone who may not see the complaint. */
export function openComplaintEvidence(db: DbOrTx, user: SessionUser | null, id: number, evidenceId: number): ComplaintEvidence {
  const complaint = loadComplaint(db, user, id);
  const evidence = db
    .select()
    .from(creditEvidence)
    .where(and(eq(creditEvidence.id, evidenceId), eq(creditEvidence.complaintId, complaint.id)))
    .get();
  if (!evidence) throw new NotFound('No such evidence on this complaint.');
  return evidence;
}
