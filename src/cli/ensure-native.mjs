// better-sqlite3 is compiled at install time against the headers npm is configured with (the
// machine's own Node), but every script runs on the Node pinned in package.json. When the
// compiled addon does not load under the pinned runtime, rebuild it against that runtime's headers.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function loads() {
  try {
    const Database = require('better-sqlite3');
    new Database(':memory:').close();
    return true;
  } catch {
    return false;
  }
}

if (loads()) process.exit(0);

const headers = path.resolve('node_modules', `node-${process.platform}-${process.arch}`);
const args = ['rebuild', 'better-sqlite3'];
if (existsSync(path.join(headers, 'include', 'node'))) args.push(`--nodedir=${headers}`);
console.log(`better-sqlite3 does not load under Node ${process.version}; rebuilding (about a minute)…`);
execFileSync('npm', args, { stdio: 'inherit' });
execFileSync(process.execPath, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
  stdio: 'inherit',
});
console.log('better-sqlite3 rebuilt for', process.version);
