import type { Db, DbOrTx } from '@db/client';

export const DOC_KINDS = ['organization', 'policy', 'course', 'project', 'finding', 'standard', 'credit_certificate'] as const;
export type DocKind = (typeof DOC_KINDS)[number];

/** One public thing as the search index sees it. Text fields are plain text, not Markdown. */
export interface SearchDocument {
  kind: DocKind;
  /** The id within its kind (a course id, an organization id, a policy slug). */
  id: string;
  /** Path of the Chinese page (`/courses/12`); the English one is `/en` + this. */
  url: string;
  /** The language the content is written in: `zh-cn`, `en`, or `mul` when it has both. */
  lang: 'zh-cn' | 'en' | 'mul';
  title: string;
  titleZh?: string | null;
  summary?: string | null;
  body?: string | null;
  /** For facets: the owning organization's name and type. */
  organizationName?: string | null;
  organizationType?: string | null;
  /** For facets: languages of instruction or of the content. */
  languages?: string[];
  /** For facets: the year it was published or starts. */
  year?: number | null;
  tags?: string[];
}

export interface SearchQuery {
  q: string;
  kinds?: DocKind[];
  organizationTypes?: string[];
  languages?: string[];
  years?: number[];
  page?: number;
  perPage?: number;
}

export interface SearchHit {
  type: DocKind;
  id: string;
  title: string;
  titleZh: string | null;
  /** HTML: the matched words in `<mark>`, everything else escaped. */
  snippet: string;
  url: string;
  lang: string;
  score: number;
  /** HTML: the titles with matched words in `<mark>`, everything else escaped. */
  titleHtml?: string;
  titleZhHtml?: string | null;
}

export interface SearchResult {
  query: string;
  total: number;
  hits: SearchHit[];
  facets: Record<'type' | 'organizationType' | 'language' | 'year', Record<string, number>>;
  tookMs: number;
  /** Nearest index terms when nothing matched ("did you mean"). */
  suggestions?: string[];
}

/**
 * The one search interface. `upsert` and `remove` run inside the caller's transaction, so the index
 * changes exactly when the data does (FTS5), or an outbox row is written in that same transaction
 * (Meilisearch).
 */
export interface SearchIndex {
  upsert(tx: DbOrTx, doc: SearchDocument): void;
  remove(tx: DbOrTx, kind: DocKind, id: string): void;
  search(db: Db, query: SearchQuery): Promise<SearchResult>;
  suggest(db: Db, prefix: string, limit?: number): Promise<string[]>;
  reindexAll(db: Db, onProgress?: (done: number, total: number) => void): Promise<number>;
}

/** Where reindexAll finds every public document of one kind; each domain registers one. */
export interface DocumentSource {
  kind: DocKind;
  all(db: DbOrTx): SearchDocument[];
  /** The public documents that carry an organization's name or type, to rebuild when these change. */
  ofOrganization?(db: DbOrTx, organizationId: number): SearchDocument[];
}
