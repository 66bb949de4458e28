/** Keeps a certificate's search document in step with it (src/lib/credit/search.ts builds the document). */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { creditCertificates } from '@db/schema';
import { searchIndex } from '~/lib/search';
import { certificateSummaries } from './summaries';
import { certificateSearchDocument } from './search';

/**
 * Puts one certificate's current state into the index, inside the caller's transaction: call it
 * whenever a certificate is issued or changes state (suspended, reinstated, withdrawn, expired…).
 */
export function reindexCertificate(tx: DbOrTx, certificateId: number): void {
  const c = certificateSummaries(tx, eq(creditCertificates.id, certificateId)).get();
  if (c) searchIndex.upsert(tx, certificateSearchDocument(c));
  else searchIndex.remove(tx, 'credit_certificate', String(certificateId));
}
