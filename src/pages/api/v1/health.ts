/** Liveness: answers without touching the database (also the benchmark's baseline route). */
import type { APIRoute } from 'astro';

export const GET: APIRoute = () =>
  new Response('{"status":"ok"}', { headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' } });
