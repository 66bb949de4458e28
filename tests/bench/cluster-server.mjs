// The capacity benchmark's server: `npm start`'s cluster primary (src/cli/serve-cluster.mjs) on a
// given build, without start.ts's build, migration and seeding steps (the benchmark's database is ready).
import { serveCluster } from '../../src/cli/serve-cluster.mjs';

serveCluster(process.argv[2], Math.max(1, Number(process.env.WEB_CONCURRENCY) || 1));
