/** Indexes the policy library (content/policies) for search. */
import type { Db } from '../client';
import { searchIndex } from '../../src/lib/search';
import { policySource } from '../../src/lib/policies/search';

export function seedPolicies(db: Db) {
  db.transaction((tx) => {
    for (const doc of policySource.all(tx)) searchIndex.upsert(tx, doc);
  });
}
