/**
 * The QR code of a verification page, drawn on the server as SVG: one path of module runs inside a
 * four-module quiet zone, so it scales crisply and needs no script or image request. The matrix
 * comes from qrcode-generator (no dependencies, exposes the modules rather than only a picture).
 */
import qrcode from 'qrcode-generator';
import { publicOrigin } from '~/lib/http/origin';
import { escapeHtml as escapeXml } from '~/lib/search/highlight';

/** The absolute address a certificate's QR code and badge point to: SITE_URL's, never the request's Host. */
export const verificationUrl = (number: string) => `${publicOrigin()}/credit/${encodeURIComponent(number)}`;

/** Drawn codes by text and label: a certificate's code never changes, and drawing one costs more than the rest of its page's queries. */
const drawn = new Map<string, string>();
const DRAWN_LIMIT = 2000;

/** An SVG QR code for `text`; `label` names it for screen readers. */
export function qrSvg(text: string, label: string): string {
  const key = `${text}\u0000${label}`;
  let svg = drawn.get(key);
  if (svg === undefined) {
    svg = drawQr(text, label);
    // the oldest goes first once full; a Map iterates in insertion order
    if (drawn.size >= DRAWN_LIMIT) drawn.delete(drawn.keys().next().value!);
    drawn.set(key, svg);
  }
  return svg;
}

function drawQr(text: string, label: string): string {
  // 'M' (15 % recovery) keeps the code small enough to scan off a phone screen or a print-out.
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  const margin = 4;
  let d = '';
  // one rectangle per horizontal run of dark modules: a third of the markup of one square each
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; ) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.isDark(row, col)) col++;
      d += `M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`;
    }
  }
  const size = n + margin * 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" width="${size * 4}" height="${size * 4}" role="img" aria-label="${escapeXml(label)}" shape-rendering="crispEdges">` +
    `<title>${escapeXml(label)}</title><rect width="${size}" height="${size}" fill="#ffffff"/><path fill="#000000" d="${d}"/></svg>`
  );
}
