/**
 * `npm start`: builds if the sources changed since the last build, applies migrations, seeds demo
 * data on an empty database, creates the admin named in the environment, then serves.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { databasePath, openDatabase } from '@db/client';
import { users } from '@db/schema';
import { seed } from '@db/seed';
import { ensureAdminFromEnv } from './admin-from-env';
import { buildHash } from './build-hash';
import { exitUnlessConfigured } from '../lib/http/deployment.mjs';

process.env.ASTRO_TELEMETRY_DISABLED = '1';
exitUnlessConfigured(); // before a build that a bad SITE_URL would waste
const outDir = path.resolve(process.env.ASTRO_OUT_DIR ?? 'dist');
const stamp = path.join(outDir, '.build-hash');
const hash = buildHash();
if (!existsSync(path.join(outDir, 'server', 'entry.mjs')) || !existsSync(stamp) || readFileSync(stamp, 'utf8') !== hash) {
  console.log('Building the portal…');
  // Run Astro on this (pinned) Node, whatever `node` the PATH names.
  execFileSync(process.execPath, [path.resolve('node_modules/astro/bin/astro.mjs'), 'build'], { stdio: 'inherit' });
  writeFileSync(stamp, hash);
}

const db = openDatabase();
console.log(`Database ${databasePath()} is migrated.`);
if (db.select({ n: count() }).from(users).get()!.n === 0) {
  console.log('Empty database: loading demo data (see README, "Demo accounts").');
  await seed(db, (line) => console.log(`  ${line}`));
}
const admin = await ensureAdminFromEnv(db);
if (admin) console.log(`Admin account ready: ${process.env.PORTAL_ADMIN_EMAIL}`);
db.$client.close();

process.env.HOST ??= '127.0.0.1';
process.env.PORT ??= '4321';
const entry = path.join(outDir, 'server', 'entry.mjs');
const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY) || 1);
console.log(`Serving on http://${process.env.HOST}:${process.env.PORT} with ${workers} worker process${workers > 1 ? 'es' : ''}`);
// Always under the cluster primary, also with one worker: it replaces a worker that dies.
const { serveCluster } = await import('./serve-cluster.mjs');
serveCluster(entry, workers);
