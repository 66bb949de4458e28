/**
 * The QR code of a verification page, drawn on the server as SVG: one path of unit squares inside a
 * four-module quiet zone, so it scales crisply and needs no script or image request. The matrix
 * comes from qrcode-generator (no dependencies, exposes the modules rather than only a picture).
 */
import qrcode from 'qrcode-generator';
import { publicOrigin } from '~/lib/http/origin';
import { escapeHtml as escapeXml } from '~/lib/search/highlight';

/** The absolute address a certificate's QR code and badge point to: SITE_URL's, never the request's Host. */
export const verificationUrl = (number: string) => `${publicOrigin()}/credit/${encodeURIComponent(number)}`;

/** An SVG QR code for `text`; `label` names it for screen readers. */
export function qrSvg(text: string, label: string): string {
  // 'M' (15 % recovery) keeps the code small enough to scan off a phone screen or a print-out.
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const margin = 4;
  let d = '';
  for (let row = 0; row < n; row++) for (let col = 0; col < n; col++) if (qr.isDark(row, col)) d += `M${col + margin} ${row + margin}h1v1h-1z`;
  const size = n + margin * 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 4}" height="${size * 4}" role="img" aria-label="${escapeXml(label)}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(label)}</title><rect width="${size}" height="${size}" fill="#ffffff"/><path fill="#000000" d="${d}"/></svg>`
  );
}
