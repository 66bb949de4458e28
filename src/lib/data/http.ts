/**
 * What every door to a dataset shares (issue 18): reading the id from an address, and the headers
 * that let anyone, anywhere, keep a copy until the figures are recomputed.
 */
import type { Db } from '@db/client';
import { Invalid, NotFound } from '~/lib/errors';
import { figuresById, RECOMPUTE_MIN_MS, type Figures } from './figures';

const DATASET_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** The figures of the dataset named in an address: 400 for an id no dataset could have, 404 for an unknown one. */
export function figuresForParam(db: Db, id: string | undefined): Figures {
  if (!id || id.length > 80 || !DATASET_ID.test(id)) throw new Invalid('A dataset id is lowercase letters and digits joined by hyphens, at most 80 characters.');
  const figures = figuresById(db, id);
  if (!figures) throw new NotFound('No dataset has that id.');
  return figures;
}

/**
 * Names one computation of one dataset in one format. Anonymous readers' conditional requests are
 * answered by the page cache (src/lib/http/page-cache.ts, src/lib/http/conditional.ts): 304 when
 * If-None-Match names the kept answer's tag, from src/cli/serve.mjs or through the middleware.
 */
export const figuresEtag = (f: Figures, format: string) => `"${f.dataset.id}-${format}-${f.computedAt.getTime().toString(36)}"`;

/**
 * Public and open to other sites: the figures are the same for everyone. Shared caches may keep
 * them as long as they could not have been recomputed (the minimum interval, at most a minute).
 */
export function figuresHeaders(f: Figures, format: string): Record<string, string> {
  return {
    'cache-control': `public, max-age=${Math.max(0, Math.floor(RECOMPUTE_MIN_MS / 1000))}`,
    etag: figuresEtag(f, format),
    'last-modified': f.computedAt.toUTCString(),
    'access-control-allow-origin': '*',
  };
}
