/**
 * Evidence files of an assessment, per indicator: uploaded by the company while its answers are
 * open (draft, or marked incomplete), stored as settlement documents are (magic bytes decide the
 * type, 10,000,000 bytes at most, SHA-256), and downloaded only by those who may see the case.
 */
import { and, asc, eq } from 'drizzle-orm';
import { write, type Db, type DbOrTx } from '@db/client';
import { creditEvidence } from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound, UnsupportedMediaType } from '~/lib/errors';
import type { StoredUpload } from '~/lib/settlement/service';
import { loadAssessment, rolesOn, schemeOf, visibleAssessment, type Assessment } from './assessments';
import { EDITABLE_STATES } from './lifecycle';

export type Evidence = typeof creditEvidence.$inferSelect;

export function listEvidence(db: DbOrTx, assessmentId: number): Evidence[] {
  return db.select().from(creditEvidence).where(eq(creditEvidence.assessmentId, assessmentId)).orderBy(asc(creditEvidence.id)).all();
}

function requireUploadable(db: DbOrTx, user: SessionUser, assessment: Assessment) {
  if (!rolesOn(db, user, assessment, schemeOf(db, assessment)).applicant) throw new Forbidden('Only an owner or editor of the company uploads evidence.');
  if (!EDITABLE_STATES.includes(assessment.state)) throw new Conflict('Evidence cannot be changed after submission unless the body asks for missing items.', 'evidence_frozen');
}

/** Checked before the body is read, so a refused upload costs nothing. */
export function assertCanUploadEvidence(db: Db, user: SessionUser, id: number): Assessment {
  const assessment = loadAssessment(db, user, id);
  requireUploadable(db, user, assessment);
  return assessment;
}

/** Records an uploaded file as evidence for one indicator of the scheme. */
export function recordEvidence(db: Db, user: SessionUser, id: number, indicatorKey: string | undefined, file: StoredUpload): Evidence {
  const assessment = assertCanUploadEvidence(db, user, id);
  const indicators = schemeOf(db, assessment).indicators;
  if (!indicators.some((i) => i.key === indicatorKey)) {
    throw new Invalid('Some fields are not valid.', { indicator: [`Choose an indicator: ${indicators.map((i) => i.key).join(', ')}.`] });
  }
  if (!file.type) throw new UnsupportedMediaType('Only PDF, PNG and JPEG files are accepted; this file is none of them.');
  return write(db, (tx) => {
    // the state again, inside the write: the application may have been submitted while the file arrived
    const current = visibleAssessment(tx, user, id);
    requireUploadable(tx, user, current);
    const row = tx
      .insert(creditEvidence)
      .values({
        assessmentId: id,
        indicatorKey: indicatorKey!,
        storedName: file.storedName,
        originalName: file.originalName,
        type: file.type!,
        size: file.size,
        sha256: file.sha256,
        uploadedBy: user.id,
      })
      .returning()
      .get();
    recordAudit(tx, {
      actorId: user.id,
      action: 'credit.assessment.evidence_uploaded',
      subjectType: 'credit_assessment',
      subjectId: id,
      details: { evidenceId: row.id, indicator: indicatorKey, sha256: file.sha256, size: file.size },
    });
    return row;
  });
}

/** An evidence file for download, or 404. Every view by the body is written to the audit log. */
export function openEvidence(db: Db, user: SessionUser | null, id: number, evidenceId: number): Evidence {
  const assessment = loadAssessment(db, user, id);
  const evidence = db
    .select()
    .from(creditEvidence)
    .where(and(eq(creditEvidence.id, evidenceId), eq(creditEvidence.assessmentId, assessment.id)))
    .get();
  if (!evidence) throw new NotFound('No such evidence on this assessment.');
  if (!rolesOn(db, user, assessment, schemeOf(db, assessment)).applicant) {
    write(db, (tx) =>
      recordAudit(tx, { actorId: user!.id, action: 'credit.assessment.evidence_viewed', subjectType: 'credit_assessment', subjectId: id, details: { evidenceId } }),
    );
  }
  return evidence;
}
