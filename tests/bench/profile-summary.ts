/**
 * Summarizes a V8 .cpuprofile (from `node --cpu-prof`, see BENCH_CPU_PROF in pages.bench.ts):
 * where the samples fall, as self time by function and as inclusive time for functions of ours
 * and the libraries pages call. `npx tsx tests/bench/profile-summary.ts file.cpuprofile [top]`.
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const file = process.argv[2]!;
const top = Number(process.argv[3] ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const where = (n: Node) => {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'npm:').replace(/.*\/(dist|build)\/[0-9a-f-]+\/server\//, 'build:');
  return `${n.callFrame.functionName || '(anonymous)'} ${url ? `${url}:${n.callFrame.lineNumber + 1}` : ''}`.trim();
};
const self = new Map<string, number>();
const inclusive = new Map<string, number>();
let total = 0;
let idle = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  const node = byId.get(id)!;
  const name = where(node);
  if (node.callFrame.functionName === '(idle)' || node.callFrame.functionName === '(program)') idle += node.callFrame.functionName === '(idle)' ? dt : 0;
  self.set(name, (self.get(name) ?? 0) + dt);
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const k = where(byId.get(cur)!);
    if (seen.has(k)) continue;
    seen.add(k);
    inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
  }
});
const busy = total - idle;
const pct = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (percentages of busy time)\n`);
console.log('self time');
for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${pct(v)}  ${k}`);
console.log('\ninclusive time (functions of ours and the libraries pages call)');
const interesting = (k: string) => !k.startsWith('(') && !/^(anonymous)|^processTicksAndRejections|^runMicrotasks/.test(k);
for (const [k, v] of [...inclusive].filter(([k]) => interesting(k)).sort((a, b) => b[1] - a[1]).slice(0, top * 2)) console.log(`${pct(v)}  ${k}`);
