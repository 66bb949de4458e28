import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { api, intParam } from '~/lib/http/api';
import { creditFilePath } from '~/lib/credit/complaint-files';
import { openComplaintEvidence } from '~/lib/credit/complaints';
import { contentDisposition } from '~/lib/settlement/upload';

const MIME = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' } as const;

export const GET = api(({ ctx, db, requireUser }) => {
  const e = openComplaintEvidence(db, requireUser(), intParam(ctx.params.id), intParam(ctx.params.evidenceId));
  const stream = Readable.toWeb(createReadStream(creditFilePath(e.storedName))) as ReadableStream;
  return new Response(stream, {
    headers: {
      'content-type': MIME[e.type],
      'content-length': String(e.size),
      'content-disposition': contentDisposition(e.originalName),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
});
