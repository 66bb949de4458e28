import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { auditLog } from '@db/schema';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId: string | number;
  details?: Record<string, unknown>;
}

/** Appends one entry. Call it inside the transaction that makes the change it records. */
export function recordAudit(db: DbOrTx, entry: AuditEntry) {
  db.insert(auditLog)
    .values({
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: String(entry.subjectId),
      details: entry.details ?? null,
    })
    .run();
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
