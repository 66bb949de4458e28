/** A fingerprint of everything that goes into the server build, to know when to rebuild. */
import { createHash } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const INPUTS = ['src', 'db', 'content', 'public', 'astro.config.mjs', 'package-lock.json', 'tsconfig.json'];

function walk(entry: string, out: string[]) {
  let stat;
  try {
    stat = statSync(entry);
  } catch {
    return;
  }
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort()) walk(path.join(entry, name), out);
  } else {
    out.push(`${entry}:${stat.size}:${stat.mtimeMs}`);
  }
}

export function buildHash(root = process.cwd()): string {
  const lines: string[] = [];
  for (const input of INPUTS) walk(path.join(root, input), lines);
  return createHash('sha256').update(lines.join('\n')).digest('hex').slice(0, 16);
}
