// The portal's HTTP server: the built Astro app (the Node adapter in middleware mode) behind a
// plain node:http server that also serves the build's few static files (dist/client), from a
// list made at start.
//
// The adapter's standalone server looks every request up on disk first (an lstat, then a stat on
// the thread pool) and only hands it to Astro when no file is found: a sixth of the cost of a
// trivial API request, and a thread-pool round trip added to every page and API call. Here a
// request is checked against the list in memory instead.
//
// It also answers the public JSON reads that src/direct-routes.ts lists (the search API) without
// Astro's request pipeline, which costs about as much CPU as the search itself.
//
// `node src/cli/serve.mjs [dist/server/entry.mjs]`; HOST and PORT as for `npm start`.
import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import send from 'send';
import { exitUnlessConfigured } from '../lib/http/deployment.mjs';

/** Every file under `dir`, as the URL path it is served at ("/_astro/x.css"). */
function publicPaths(dir) {
  return new Set(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => '/' + path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')),
  );
}

export async function serve(entry = 'dist/server/entry.mjs') {
  exitUnlessConfigured();
  const { handler } = await import(pathToFileURL(path.resolve(entry)).href);
  if (typeof handler !== 'function') throw new Error(`${entry} exports no request handler: build with the Node adapter in middleware mode`);
  const client = path.resolve(path.dirname(entry), '..', 'client');
  const files = publicPaths(client);
  const direct = await import(pathToFileURL(path.resolve(path.dirname(entry), 'direct-routes.mjs')).href);

  /** A direct route's reply, with the headers the middleware gives every other response. */
  function answer(read, query, res) {
    read(new URLSearchParams(query)).then(
      (reply) => {
        const length = reply.body === null ? 0 : Buffer.byteLength(reply.body);
        res.writeHead(reply.status, { ...direct.securityHeaders, ...reply.headers, 'content-length': length }).end(reply.body ?? undefined);
      },
      (err) => {
        console.error(err);
        if (!res.headersSent) res.writeHead(500, { ...direct.securityHeaders, 'content-type': 'text/plain; charset=utf-8' });
        res.end('Internal Server Error');
      },
    );
  }

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    let pathname;
    try {
      decodeURI(url);
      pathname = decodeURIComponent(query === -1 ? url : url.slice(0, query));
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Bad request: the address is not valid UTF-8.');
      return;
    }
    const read = req.method === 'GET' && Object.hasOwn(direct.routes, pathname) ? direct.routes[pathname] : undefined;
    if (read) {
      answer(read, query === -1 ? '' : url.slice(query + 1).split('#')[0], res);
      return;
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && files.has(pathname)) {
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
    handler(req, res);
  });
  const port = Number(process.env.PORT ?? 4321);
  const host = process.env.HOST ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

if (import.meta.main) {
  await serve(process.argv[2]);
}
