/** The API's list of datasets (issue 18): what there is, and where each one is, as absolute addresses. */
import type { Db } from '@db/client';
import { publicOrigin } from '~/lib/http/origin';
import { datasetApiPath, datasetDownloads, datasetPath } from './catalog';
import { allFigures } from './figures';

export function datasetList(db: Db) {
  const origin = publicOrigin();
  return {
    items: allFigures(db).map(({ dataset: d, computedAt }) => ({
      id: d.id,
      theme: d.theme,
      title: d.title,
      description: d.description,
      computedAt: computedAt.toISOString(),
      links: {
        page: `${origin}${datasetPath(d.id)}`,
        ...Object.fromEntries(datasetDownloads(d.id).map((x) => [x.format, `${origin}${x.path}`])),
        api: `${origin}${datasetApiPath(d.id)}`,
      } as { page: string; csv: string; json: string; api: string },
    })),
  };
}
