import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import { prepared, type DbOrTx } from '@db/client';
import { auditLog } from '@db/schema';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | number;
  details?: Record<string, unknown>;
}

/**
 * Appends one entry. Call it inside the transaction that makes the change it records.
 * Every write of every service passes here, so the row is written by a kept statement rather
 * than a query built anew each time (what drizzle's insert of `auditLog` writes: time in ms, details as JSON).
 */
export function recordAudit(db: DbOrTx, entry: AuditEntry) {
  prepared(db, `INSERT INTO audit_log (created_at, actor_id, action, subject_type, subject_id, details) VALUES (?, ?, ?, ?, ?, ?)`).run(
    Date.now(),
    entry.actorId,
    entry.action,
    entry.subjectType,
    String(entry.subjectId),
    entry.details == null ? null : JSON.stringify(entry.details),
  );
}

/** Newest first, keyset-paginated by id. */
export function listAudit(
  db: DbOrTx,
  filter: { subjectType?: string; subjectId?: string; action?: string; before?: number; limit?: number } = {},
) {
  const where: SQL[] = [];
  if (filter.subjectType) where.push(eq(auditLog.subjectType, filter.subjectType));
  if (filter.subjectId) where.push(eq(auditLog.subjectId, filter.subjectId));
  if (filter.action) where.push(eq(auditLog.action, filter.action));
  if (filter.before) where.push(lt(auditLog.id, filter.before));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(filter.limit ?? 50, 200))
    .all();
}
