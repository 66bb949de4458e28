import { z } from 'zod';
import { publicOrigin } from '~/lib/http/origin';
import { api, intParam } from '~/lib/http/api';
import { CITATION_MEDIA, formatCitation } from '~/lib/research/citation';
import { citationData } from '~/lib/research/metadata';
import { getFinding, getVersion } from '~/lib/research/queries';
import { citeQuery } from '~/lib/research/schemas';
import { NotFound } from '~/lib/errors';

const query = citeQuery.extend({ lang: z.enum(['zh-cn', 'en']).default('en') });

export const GET = api(({ ctx, db, user, query: read }) => {
  const { format, lang } = read(query);
  const view = getFinding(db, user, intParam(ctx.params.id));
  const version = getVersion(view, intParam(ctx.params.n));
  if (!version.publishedAt) throw new NotFound('Only published versions can be cited.');
  const media = CITATION_MEDIA[format];
  return new Response(formatCitation(format, citationData(view, version, publicOrigin(), lang)), {
    headers: {
      'content-type': media.type,
      'content-disposition': `inline; filename="finding-${view.finding.id}-v${version.number}.${media.ext}"`,
    },
  });
});
