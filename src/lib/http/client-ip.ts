import type { APIContext } from 'astro';

/** The caller's address; X-Forwarded-For is believed only when TRUST_PROXY=1. */
export function clientIp(ctx: Pick<APIContext, 'request' | 'clientAddress'>): string {
  if (process.env.TRUST_PROXY === '1') {
    const forwarded = ctx.request.headers.get('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return ctx.clientAddress ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
