import type { APIRoute } from 'astro';
import { getDb } from '@db/client';
import { certificateExists } from '~/lib/credit/public';
import { qrSvg, verificationUrl } from '~/lib/credit/qr';

/** The QR code of a certificate's verification page, to print on the paper certificate or a shop's wall. */
export const GET: APIRoute = ({ params }) => {
  const number = certificateExists(getDb(), params.number ?? '');
  if (!number) return new Response('Not found\n未找到\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  return new Response(qrSvg(verificationUrl(number), number), {
    headers: { 'content-type': 'image/svg+xml; charset=utf-8', 'cache-control': 'public, max-age=86400' },
  });
};
