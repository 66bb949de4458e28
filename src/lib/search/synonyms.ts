/** Synonym groups: words and phrases that search treats as the same. Admins edit them. */
import type { Db, DbOrTx } from '@db/client';
import { write } from '@db/client';
import { recordAudit } from '~/lib/audit/log';
import type { SessionUser } from '~/lib/auth/sessions';
import { Forbidden, Invalid, NotFound } from '~/lib/errors';
import { isAdmin } from '~/lib/organizations/policy';
import { queryWords } from './analyze';
import { enqueue } from './outbox';
import { prepared } from './statements';
import { bumpGeneration } from './vocabulary';

export interface SynonymGroupView {
  id: number;
  terms: string[];
  updatedAt: Date;
}

export const MAX_TERMS = 20;
export const MAX_TERM_LENGTH = 80;

/** "a, b\nc" → ['a', 'b', 'c']: commas (also 、，) and line breaks separate terms. */
export function parseTerms(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of text.split(/[\n,，、;；]+/)) {
    const t = raw.replace(/\s+/g, ' ').trim();
    if (t && !seen.has(t.toLowerCase())) {
      seen.add(t.toLowerCase());
      out.push(t);
    }
  }
  return out;
}

function validTerms(terms: string[]): string[] {
  const clean = parseTerms(terms.join('\n'));
  const fields = { terms: [] as string[] };
  if (clean.length < 2) fields.terms.push('Give at least two terms.');
  if (clean.length > MAX_TERMS) fields.terms.push(`Give at most ${MAX_TERMS} terms.`);
  if (clean.some((t) => t.length > MAX_TERM_LENGTH)) fields.terms.push(`Each term is at most ${MAX_TERM_LENGTH} characters.`);
  if (clean.some((t) => queryWords(t).length === 0)) fields.terms.push('Each term needs a letter or a digit.');
  if (fields.terms.length) throw new Invalid(fields.terms[0]!, fields);
  return clean;
}

function requireAdmin(user: SessionUser | null) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins edit search synonyms.');
}

function changed(tx: DbOrTx) {
  bumpGeneration(tx);
  if (process.env.MEILISEARCH_URL) enqueue(tx, 'settings', null, null);
}

export function listSynonymGroups(db: DbOrTx): SynonymGroupView[] {
  const rows = prepared(db, `SELECT id, terms, updated_at FROM search_synonyms ORDER BY id`).all() as { id: number; terms: string; updated_at: number }[];
  return rows.map((r) => ({ id: r.id, terms: JSON.parse(r.terms), updatedAt: new Date(r.updated_at) }));
}

export function createSynonymGroup(db: Db, user: SessionUser | null, terms: string[]) {
  requireAdmin(user);
  const clean = validTerms(terms);
  return write(db, (tx) => {
    const id = Number(prepared(tx, `INSERT INTO search_synonyms (terms, updated_at, updated_by) VALUES (?, ?, ?)`).run(JSON.stringify(clean), Date.now(), user!.id).lastInsertRowid);
    recordAudit(tx, { actorId: user!.id, action: 'search.synonyms_created', subjectType: 'search_synonyms', subjectId: id, details: { terms: clean } });
    changed(tx);
    return { id, terms: clean };
  });
}

export function updateSynonymGroup(db: Db, user: SessionUser | null, id: number, terms: string[]) {
  requireAdmin(user);
  const clean = validTerms(terms);
  return write(db, (tx) => {
    const before = prepared(tx, `SELECT terms FROM search_synonyms WHERE id = ?`).pluck().get(id) as string | undefined;
    if (before === undefined) throw new NotFound('No such synonym group.');
    prepared(tx, `UPDATE search_synonyms SET terms = ?, updated_at = ?, updated_by = ? WHERE id = ?`).run(JSON.stringify(clean), Date.now(), user!.id, id);
    recordAudit(tx, { actorId: user!.id, action: 'search.synonyms_updated', subjectType: 'search_synonyms', subjectId: id, details: { from: JSON.parse(before), to: clean } });
    changed(tx);
    return { id, terms: clean };
  });
}

export function deleteSynonymGroup(db: Db, user: SessionUser | null, id: number) {
  requireAdmin(user);
  write(db, (tx) => {
    const before = prepared(tx, `SELECT terms FROM search_synonyms WHERE id = ?`).pluck().get(id) as string | undefined;
    if (before === undefined) throw new NotFound('No such synonym group.');
    prepared(tx, `DELETE FROM search_synonyms WHERE id = ?`).run(id);
    recordAudit(tx, { actorId: user!.id, action: 'search.synonyms_deleted', subjectType: 'search_synonyms', subjectId: id, details: { terms: JSON.parse(before) } });
    changed(tx);
  });
}

/** For seeding: adds a group unless one already holds its first term. */
export function ensureSynonymGroup(tx: DbOrTx, terms: string[]) {
  const first = terms[0]!;
  const exists = prepared(tx, `SELECT 1 FROM search_synonyms s, json_each(s.terms) j WHERE j.value = ?`).pluck().get(first);
  if (exists) return false;
  prepared(tx, `INSERT INTO search_synonyms (terms, updated_at) VALUES (?, ?)`).run(JSON.stringify(terms), Date.now());
  changed(tx);
  return true;
}
