import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { api, intParam } from '~/lib/http/api';
import { openDocument } from '~/lib/settlement/service';
import { storedPath } from '~/lib/settlement/storage';
import { contentDisposition } from '~/lib/settlement/upload';

const MIME = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' } as const;

export const GET = api(({ ctx, db, requireUser }) => {
  const doc = openDocument(db, requireUser(), intParam(ctx.params.id), intParam(ctx.params.documentId));
  const stream = Readable.toWeb(createReadStream(storedPath(doc.storedName))) as ReadableStream;
  return new Response(stream, {
    headers: {
      'content-type': MIME[doc.type],
      'content-length': String(doc.size),
      'content-disposition': contentDisposition(doc.originalName),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
});
