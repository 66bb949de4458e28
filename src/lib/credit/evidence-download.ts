/** An evidence file as a download (the API's and the case page's), with settlement documents' headers. */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { contentDisposition } from '~/lib/settlement/upload';
import type { Evidence } from './evidence';
import { evidencePath } from './storage';

const MIME = { pdf: 'application/pdf', png: 'image/png', jpeg: 'image/jpeg' } as const;

export function evidenceResponse(evidence: Evidence): Response {
  const stream = Readable.toWeb(createReadStream(evidencePath(evidence.storedName))) as ReadableStream;
  return new Response(stream, {
    headers: {
      'content-type': MIME[evidence.type],
      'content-length': String(evidence.size),
      'content-disposition': contentDisposition(evidence.originalName),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'content-security-policy': "default-src 'none'; sandbox",
    },
  });
}
