/** The public's view of complaints against rated companies: counts only, never who or what. */
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditComplaints } from '@db/schema';

export interface ComplaintCounts {
  received: number;
  /** Answered by the company on or before its response date. */
  answeredInTime: number;
  resolved: number;
}

const countFields = () => ({
  entityId: creditComplaints.entityId,
  received: sql<number>`count(*)`,
  answeredInTime: sql<number>`sum(${creditComplaints.answeredAt} IS NOT NULL AND ${creditComplaints.answeredAt} <= ${creditComplaints.responseDueAt})`,
  resolved: sql<number>`sum(${creditComplaints.outcome} = 'resolved')`,
});

export function complaintCounts(db: DbOrTx, entityIds: readonly number[]): Map<number, ComplaintCounts> {
  const counts = new Map<number, ComplaintCounts>();
  for (const id of entityIds) counts.set(id, { received: 0, answeredInTime: 0, resolved: 0 });
  if (entityIds.length === 0) return counts;
  const rows = db
    .select(countFields())
    .from(creditComplaints)
    .where(inArray(creditComplaints.entityId, [...entityIds]))
    .groupBy(creditComplaints.entityId)
    .all();
  for (const r of rows) counts.set(r.entityId, { received: r.received, answeredInTime: r.answeredInTime ?? 0, resolved: r.resolved ?? 0 });
  return counts;
}

/** One company's counts, as `complaintCounts` gives them, by a query prepared once per connection (the verification page's). */
const preparedOne = new WeakMap<object, ReturnType<typeof prepareOne>>();
const prepareOne = (db: DbOrTx) =>
  db.select(countFields()).from(creditComplaints).where(eq(creditComplaints.entityId, sql.placeholder('id'))).groupBy(creditComplaints.entityId).prepare();

export function complaintCountsOf(db: DbOrTx, entityId: number): ComplaintCounts {
  let one = preparedOne.get(db);
  if (!one) preparedOne.set(db, (one = prepareOne(db)));
  const r = one.get({ id: entityId });
  return r ? { received: r.received, answeredInTime: r.answeredInTime ?? 0, resolved: r.resolved ?? 0 } : { received: 0, answeredInTime: 0, resolved: 0 };
}
