// The portal's HTTP server: the built Astro app (the Node adapter in middleware mode) behind a
// plain node:http server that also serves the build's few static files (dist/client), from a
// list made at start.
//
// The adapter's standalone server looks every request up on disk first (an lstat, then a stat on
// the thread pool) and only hands it to Astro when no file is found: a sixth of the cost of a
// trivial API request, and a thread-pool round trip added to every page and API call. Here a
// request is checked against the list in memory instead.
//
// It also answers the public reads that src/direct-routes.ts lists (the search API, the credit
// badge) without Astro's request pipeline, which costs about as much CPU as the search itself.
//
// It is the edge every request passes, so it also:
// - puts the security headers on every response (its own answers, static files, the adapter's
//   500s), by setting them on the response before anything else writes to it;
// - answers methods the portal does not take (405/501) before Astro, which would render a page
//   for PROPFIND and fail with a 500 on TRACE;
// - reads every request body but the settlement uploads' (which stream to disk with their own
//   10 MB limit) up to 1 MB, answering 413 past it, so no form post buffers 60 MB;
// - answers an error in one request with a 500 and goes on serving the others.
//
// `node src/cli/serve.mjs [dist/server/entry.mjs]`; HOST and PORT as for `npm start`.
import cluster from 'node:cluster';
import { readdirSync } from 'node:fs';
import http, { STATUS_CODES } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import send from 'send';
import { exitUnlessConfigured, trustedProxyHops } from '../lib/http/deployment.mjs';

/** The largest request body read for anything but an upload. */
export const BODY_LIMIT = 1_000_000;
/** Routes that stream their own body: settlement documents, credit evidence and complaint evidence (src/lib/settlement/upload.ts). */
const STREAMED_BODIES = [
  /^\/api\/v1\/settlement\/applications\/[^/]+\/documents\/?$/,
  /^(?:\/en)?\/settlement\/applications\/[^/]+\/upload\/?$/,
  /^\/api\/v1\/credit\/assessments\/[^/]+\/evidence\/?$/,
  /^(?:\/en)?\/credit\/assessments\/[^/]+\/upload\/?$/,
  /^\/api\/v1\/credit\/complaints\/[^/]+\/evidence\/?$/,
  /^(?:\/en)?\/credit\/complaints\/[^/]+\/upload\/?$/,
];
/** Methods Astro routes may take; anything else is refused here (undici cannot even build a TRACE request). */
const ROUTE_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
/** Pages render for GET and HEAD and take Astro Actions' form posts. */
const PAGE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const HSTS = 'max-age=31536000; includeSubDomains';
const TOO_LARGE = { en: `The request body is larger than ${BODY_LIMIT} bytes (1 MB).`, zh: `请求内容超过 ${BODY_LIMIT} 字节（1 MB）。` };
/** After answering 413, how long the rest of the body may keep coming (dropped) before the connection is cut. */
const DRAIN_MS = 2000;
/** At most this much of a refused body is read and dropped before the connection is cut. */
const DRAIN_BYTES = 16_000_000;

/** Every file under `dir`, as the URL path it is served at ("/_astro/x.css"). */
function publicPaths(dir) {
  return new Set(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => '/' + path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')),
  );
}

/** Reads a request body up to `limit` bytes: the bytes, `null` past the limit, `undefined` if the client went away. */
function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(null);
      } else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', () => resolve(undefined));
    req.once('close', () => resolve(undefined));
  });
}

export async function serve(entry = 'dist/server/entry.mjs') {
  exitUnlessConfigured();
  const { handler } = await import(pathToFileURL(path.resolve(entry)).href);
  if (typeof handler !== 'function') throw new Error(`${entry} exports no request handler: build with the Node adapter in middleware mode`);
  const client = path.resolve(path.dirname(entry), '..', 'client');
  const files = publicPaths(client);
  const direct = await import(pathToFileURL(path.resolve(path.dirname(entry), 'direct-routes.mjs')).href);
  const securityHeaders = Object.entries(direct.securityHeaders);
  const siteIsHttps = /^https:/i.test(process.env.SITE_URL?.trim() ?? '');
  const trustProxy = trustedProxyHops() > 0;

  /** Over https: TLS here, a trusted proxy that says so, or a SITE_URL that says so. */
  const isHttps = (req) => siteIsHttps || req.socket.encrypted === true || (trustProxy && req.headers['x-forwarded-proto'] === 'https');

  /** An answer of serve.mjs's own: JSON under /api/ (the API's error shape), plain text elsewhere. */
  function reply(res, pathname, status, code, message, headers = {}, { hold = false } = {}) {
    const json = pathname.startsWith('/api/');
    const body = json ? JSON.stringify({ error: { code, message: message.en } }) : `${message.en}\n${message.zh}\n`;
    res.writeHead(status, {
      ...headers,
      'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'cache-control': 'no-store',
    });
    if (hold) res.write(body);
    else res.end(body);
  }

  /**
   * 413 at once, but the response is finished only once the client has stopped sending. Node
   * closes a finished `Connection: close` response's socket straight away, and closing it while
   * the client is still sending makes the client's side reset, which can throw away the 413
   * before the client reads it. So the rest of the body is read and dropped while it keeps
   * coming, up to DRAIN_BYTES; past that, or after DRAIN_MS of silence, the connection is cut.
   */
  function refuseBody(req, res, pathname) {
    const complete = req.complete;
    reply(res, pathname, 413, 'payload_too_large', TOO_LARGE, { connection: 'close' }, { hold: !complete });
    if (complete) return;
    const socket = req.socket;
    let drained = 0;
    const giveUp = () => {
      res.end();
      socket.destroy();
    };
    let cut = setTimeout(giveUp, DRAIN_MS).unref();
    req.on('data', (chunk) => {
      drained += chunk.length;
      clearTimeout(cut);
      if (drained > DRAIN_BYTES) giveUp();
      else cut = setTimeout(giveUp, DRAIN_MS).unref();
    });
    req.once('end', () => {
      clearTimeout(cut);
      res.end();
    });
  }

  /** A request handler failed or threw: log it, answer 500 if nothing was sent yet, go on serving. */
  function failed(res, err) {
    console.error('Request failed:', err);
    if (res.headersSent) res.destroy();
    else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
  }

  /** A direct route's reply (the security headers are already on `res`). */
  function answer(read, res) {
    Promise.resolve()
      .then(read)
      .then((reply) => {
        // a 304 carries no body and no length (RFC 9110 §15.4.5)
        if (reply.status === 304) res.writeHead(304, reply.headers).end();
        else res.writeHead(reply.status, { ...reply.headers, 'content-length': reply.body === null ? 0 : Buffer.byteLength(reply.body) }).end(reply.body ?? undefined);
      }, (err) => failed(res, err));
  }

  /** A direct route whose address carries a parameter (src/direct-routes.ts `patternRoutes`), with its match. */
  const patternRoutes = direct.patternRoutes ?? [];
  function patternRoute(pathname) {
    for (const route of patternRoutes) {
      const match = route.pattern.exec(pathname);
      if (match) return { route, match };
    }
    return undefined;
  }

  function toAstro(req, res) {
    try {
      Promise.resolve(handler(req, res)).catch((err) => failed(res, err));
    } catch (err) {
      failed(res, err);
    }
  }

  function onRequest(req, res) {
    for (const [name, value] of securityHeaders) res.setHeader(name, value);
    if (isHttps(req)) res.setHeader('strict-transport-security', HSTS);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    let pathname;
    try {
      decodeURI(url);
      pathname = decodeURIComponent(query === -1 ? url : url.slice(0, query));
    } catch {
      reply(res, '/', 400, 'invalid', { en: 'Bad request: the address is not valid UTF-8.', zh: '请求无效：地址不是有效的 UTF-8。' });
      return;
    }
    const method = req.method;
    const page = !pathname.startsWith('/api/');
    if (page ? !PAGE_METHODS.has(method) : !ROUTE_METHODS.has(method)) {
      if (page) reply(res, pathname, 405, 'method_not_allowed', { en: `A page does not take ${method}.`, zh: `页面不接受 ${method} 请求。` }, { allow: 'GET, HEAD, POST' });
      else reply(res, pathname, 501, 'not_implemented', { en: `The API does not take ${method}.`, zh: `接口不接受 ${method} 请求。` });
      return;
    }
    if (method === 'GET' || method === 'HEAD') {
      const search = query === -1 ? '' : url.slice(query + 1).split('#')[0];
      const read = method === 'GET' && Object.hasOwn(direct.routes, pathname) ? direct.routes[pathname] : undefined;
      if (read) {
        answer(() => read(new URLSearchParams(search)), res);
        return;
      }
      const found = method === 'GET' ? patternRoute(pathname) : undefined;
      if (found) {
        answer(() => found.route.read(found.match, new URLSearchParams(search), req.headers), res);
        return;
      }
      const kept = method === 'GET' ? direct.keptPage(url, req.headers) : null;
      if (kept) {
        res.writeHead(kept.status, kept.headers).end(kept.body ?? undefined); // null: a 304
        return;
      }
      if (files.has(pathname)) {
        const stream = send(req, pathname, { root: client });
        // hashed names: a changed file gets a new name, so browsers may keep these for good
        if (pathname.startsWith('/_astro/')) stream.on('headers', (r) => r.setHeader('cache-control', 'public, max-age=31536000, immutable'));
        stream.on('error', (err) => {
          res.statusCode = err.statusCode ?? 500;
          res.end();
        });
        stream.pipe(res);
        return;
      }
      toAstro(req, res);
      return;
    }
    const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
    if (!hasBody || STREAMED_BODIES.some((route) => route.test(pathname))) {
      toAstro(req, res);
      return;
    }
    if (Number(req.headers['content-length']) > BODY_LIMIT) {
      refuseBody(req, res, pathname);
      return;
    }
    readBody(req, BODY_LIMIT).then((body) => {
      if (body === null) refuseBody(req, res, pathname);
      else if (body !== undefined) {
        // The adapter takes a body already read from `req.body` (as it does behind Express).
        req.body = body;
        toAstro(req, res);
      }
    });
  }

  const server = http.createServer(onRequest);
  // `Expect: 100-continue`: refuse an oversized body before the client sends it.
  server.on('checkContinue', (req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (Number(req.headers['content-length']) > BODY_LIMIT && !STREAMED_BODIES.some((route) => route.test(pathname))) {
      for (const [name, value] of securityHeaders) res.setHeader(name, value);
      reply(res, pathname, 413, 'payload_too_large', TOO_LARGE, { connection: 'close' });
      return;
    }
    res.writeContinue();
    onRequest(req, res);
  });
  // A request Node cannot parse (a made-up method, headers over 16 KB, a broken request line):
  // answered here with the security headers instead of Node's bare 400.
  server.on('clientError', (err, socket) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = { HPE_HEADER_OVERFLOW: 431, HPE_INVALID_METHOD: 501, ERR_HTTP_REQUEST_TIMEOUT: 408 }[err.code] ?? 400;
    socket.end(rawResponse(status, securityHeaders));
  });
  // CONNECT (a proxy's method) never reaches 'request'; unanswered, the socket would just close.
  server.on('connect', (req, socket) => {
    socket.on('error', () => socket.destroy());
    socket.end(rawResponse(501, securityHeaders));
  });
  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  // Sends the mail outbox when SMTP_URL is set (src/lib/mail/delivery.ts).
  direct.startMailDelivery();
  server.releaseResources = direct.releaseResources;
  // Puts findings whose embargo ended into search (src/lib/research/embargo.ts).
  direct.startEmbargoSchedule();
  // Applies credit certificates' deadlines: expiry, missed surveillance (src/lib/credit/schedule.ts).
  direct.startCreditSchedule();
  return server;
}

/** How long requests in flight may take to finish once the process is told to stop. */
const shutdownLimitMs = () => Math.max(0, Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000) || 0);

/**
 * Stops the process without cutting anyone off, on SIGTERM or SIGINT (the cluster primary sends
 * SIGTERM to each worker when it is told to stop):
 * 1. stop accepting connections; idle keep-alive connections close at once, and each response
 *    still in flight goes out with `Connection: close`;
 * 2. let requests in flight finish, for at most SHUTDOWN_TIMEOUT_MS (default 10 s), then cut the
 *    rest and say how many;
 * 3. finish the mail round in progress and close the database (which checkpoints its WAL);
 * 4. exit: 0 when every request finished, 1 when some were cut.
 */
export function shutDownGracefully(server) {
  const inFlight = new Set();
  const track = (req, res) => {
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
  };
  server.on('request', track);
  server.on('checkContinue', track);
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: no longer accepting connections; finishing ${inFlight.size} request(s) in flight`);
    for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
    // A response that ends leaves its socket idle; close those as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const limit = shutdownLimitMs();
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), limit)));
    const outcome = await Promise.race([closed, timedOut]);
    clearTimeout(timer);
    clearInterval(sweep);
    if (outcome === 'timeout') {
      console.error(`${inFlight.size} request(s) still running after ${limit} ms; cutting them off`);
      process.exitCode = 1;
      server.closeAllConnections();
    }
    try {
      await server.releaseResources?.();
    } catch (err) {
      console.error('Releasing resources failed:', err);
      process.exitCode = 1;
    }
    console.log('Shut down.');
    process.exit();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** A whole HTTP/1.1 answer as text, for sockets outside Node's request/response pair. */
function rawResponse(status, securityHeaders) {
  const body = `${STATUS_CODES[status]}\n`;
  const headers = [...securityHeaders, ['content-type', 'text/plain; charset=utf-8'], ['content-length', String(body.length)], ['connection', 'close']];
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n${body}`;
}

/**
 * What the process does with an error no request caught.
 * - An unhandled rejection is logged and the process carries on: a promise nobody awaited has
 *   failed, but no stream or handler was left half-done by it.
 * - An uncaught exception leaves the process in a state nobody can vouch for, so it is logged and
 *   the process retires: under the cluster primary (`npm start`) it asks for a replacement and
 *   stops taking connections once that one listens; alone it stops listening at once. Requests
 *   in flight get up to 10 seconds to finish, then it exits with code 1.
 */
export function superviseProcess(server) {
  let retiring = false;
  process.on('unhandledRejection', (reason) => {
    // a client that went away mid-request (the adapter skips these too): nothing to fix
    if (reason?.code === 'ECONNRESET') return;
    console.error('Unhandled rejection (the process carries on):', reason);
  });
  process.on('uncaughtException', (err, origin) => {
    console.error(`Uncaught exception (${origin}); this process will be replaced:`, err);
    if (retiring) return;
    retiring = true;
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 10_000).unref();
    if (cluster.isWorker && process.connected) process.send({ portal: 'retiring' });
    else {
      server.close();
      server.closeIdleConnections();
    }
  });
}

if (import.meta.main) {
  const server = await serve(process.argv[2]);
  superviseProcess(server);
  shutDownGracefully(server);
}
