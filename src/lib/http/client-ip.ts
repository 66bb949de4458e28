import type { APIContext } from 'astro';
import { trustedProxyHops } from './deployment.mjs';

/**
 * The address the request came from, as the trusted proxies saw it. Behind TRUST_PROXY=N
 * proxies, X-Forwarded-For ends with the N addresses they appended, so its N-th entry from the
 * right is the one the outermost proxy was called from; entries further left are whatever the
 * client sent and are never believed. Without TRUST_PROXY, the socket's address.
 */
export function clientIp(ctx: Pick<APIContext, 'request' | 'clientAddress'>): string {
  const hops = trustedProxyHops();
  if (hops > 0) {
    const entries = (ctx.request.headers.get('x-forwarded-for') ?? '').split(',').map((e) => e.trim());
    // Fewer entries than proxies (a request that reached an inner proxy directly): the left-most was still written by one of ours.
    const forwarded = entries[Math.max(0, entries.length - hops)];
    if (forwarded) return forwarded;
  }
  try {
    return ctx.clientAddress ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
