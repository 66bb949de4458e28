// Runs the built server in several worker processes that share one port (node:cluster): the
// "several app processes on one SQLite file" step of the scale-out path, without a proxy.
// Each worker is a complete server; SQLite (WAL, BEGIN IMMEDIATE) serializes their writes and
// every in-process cache is invalidated by the database, not by memory.
import cluster from 'node:cluster';

/** Each worker runs serve.mjs on the built `entry`. */
export function serveCluster(entry, workers) {
  let stopping = false;
  cluster.setupPrimary({ exec: new URL('./serve.mjs', import.meta.url).pathname, args: [entry] });
  for (let i = 0; i < workers; i++) cluster.fork();
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    console.error(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  const stop = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill('SIGTERM');
    setTimeout(() => process.exit(0), 5000).unref();
    cluster.disconnect(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

// `node src/cli/serve-cluster.mjs <entry.mjs>` with WEB_CONCURRENCY workers (the benchmark uses this).
if (import.meta.main) {
  const entry = process.argv[2];
  if (!entry) {
    console.error('Usage: node src/cli/serve-cluster.mjs <dist/server/entry.mjs>');
    process.exit(2);
  }
  serveCluster(entry, Math.max(1, Number(process.env.WEB_CONCURRENCY) || 2));
}
