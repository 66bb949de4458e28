// `npm start` runs the built server here: a primary process that forks WEB_CONCURRENCY worker
// processes (node:cluster, one shared port) and replaces any that dies, so one crash never takes
// the site down, even with a single worker. With several workers it is also the "several app
// processes on one SQLite file" step of the scale-out path, without a proxy: each worker is a
// complete server; SQLite (WAL, BEGIN IMMEDIATE) serializes their writes and every in-process
// cache is invalidated by the database, not by memory.
import cluster from 'node:cluster';
import { exitUnlessConfigured } from '../lib/http/deployment.mjs';

/** A worker that dies sooner than this after starting counts towards a crash loop. */
const QUICK_DEATH_MS = 10_000;
const MAX_BACKOFF_MS = 30_000;

/** Each worker runs serve.mjs on the built `entry`. */
export function serveCluster(entry, workers) {
  // A configuration every worker would refuse is refused once here, not restarted forever.
  exitUnlessConfigured();
  let stopping = false;
  // Doubles for every worker that dies young (a crash loop), back to 0 once one lived a while.
  let backoff = 0;
  const started = new Map();
  cluster.setupPrimary({ exec: new URL('./serve.mjs', import.meta.url).pathname, args: [entry] });

  const fork = () => {
    if (stopping) return null;
    const worker = cluster.fork();
    started.set(worker.id, Date.now());
    return worker;
  };
  for (let i = 0; i < workers; i++) fork();

  cluster.on('listening', (worker) => console.log(`worker ${worker.process.pid} is serving`));
  // A worker that hit an uncaught exception (serve.mjs's superviseProcess) asks to be replaced;
  // it stops taking connections only once its replacement listens, so the port never goes dark.
  cluster.on('message', (worker, message) => {
    if (message?.portal !== 'retiring' || worker.retiring) return;
    worker.retiring = true;
    console.error(`worker ${worker.process.pid} had an uncaught exception; starting its replacement`);
    const next = fork();
    if (next) next.once('listening', () => worker.disconnect());
    else worker.disconnect();
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? Date.now());
    started.delete(worker.id);
    if (stopping) return;
    if (worker.retiring) {
      console.error(`worker ${worker.process.pid} retired (${signal ?? `exit code ${code}`})`);
      return;
    }
    backoff = lived < QUICK_DEATH_MS ? Math.min(Math.max(backoff * 2, 250), MAX_BACKOFF_MS) : 0;
    console.error(
      `worker ${worker.process.pid} died (${signal ? `signal ${signal}` : `exit code ${code}`}) after ${(lived / 1000).toFixed(1)} s; ` +
        `starting another${backoff ? ` in ${backoff} ms` : ''}`,
    );
    setTimeout(fork, backoff);
  });

  // Each worker stops gracefully on SIGTERM (serve.mjs, shutDownGracefully): it finishes its
  // requests within SHUTDOWN_TIMEOUT_MS and closes the database. The primary waits for all of
  // them, killing any that outlives the limit by 5 s, and exits 0 only if every worker did.
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping ${Object.keys(cluster.workers ?? {}).length} worker(s)`);
    const workers = Object.values(cluster.workers ?? {}).filter(Boolean);
    let failures = 0;
    const exited = workers.map(
      (worker) =>
        new Promise((resolve) => {
          worker.once('exit', (code, sig) => {
            if (code !== 0) failures++;
            resolve(sig);
          });
          worker.process.kill('SIGTERM');
        }),
    );
    const limit = Math.max(0, Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000) || 0) + 5000;
    setTimeout(() => {
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, limit).unref();
    Promise.all(exited).then(() => {
      console.log('All workers stopped.');
      process.exit(failures ? 1 : 0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

// `node src/cli/serve-cluster.mjs <entry.mjs>` with WEB_CONCURRENCY workers (default 1), as `npm start` runs it.
if (import.meta.main) {
  const entry = process.argv[2];
  if (!entry) {
    console.error('Usage: node src/cli/serve-cluster.mjs <dist/server/entry.mjs>');
    process.exit(2);
  }
  serveCluster(entry, Math.max(1, Number(process.env.WEB_CONCURRENCY) || 1));
}
