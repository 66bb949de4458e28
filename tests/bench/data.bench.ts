/** What computing the settlement figures costs over many applications (issue 18): `npx tsx tests/bench/data.bench.ts 20000`. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { seedSettlement } from '../../db/seed/settlement';
import { settlementDatasets } from '../../src/lib/data/themes/settlement';

const db = openDatabase(path.join(mkdtempSync(path.join(tmpdir(), 'data-bench-')), 'b.db'));
seedSettlement(db);
db.$client.exec(`insert into users (id, email, display_name, password_hash, created_at) values ('u','u@example.com','u','x', 0)`);
const states = ['submitted','accepted','incomplete','in_review','information_requested','recommended_approve','recommended_refuse','approved','refused','withdrawn','lapsed'];
const N = Number(process.argv[2] ?? 20000);
const ins = db.$client.prepare(`insert into settlement_applications (route_id, applicant_id, state, answers, reference, submitted_at, decided_at, created_at, updated_at) values (?, 'u', ?, '{}', ?, ?, ?, ?, ?)`);
const ev = db.$client.prepare(`insert into settlement_events (application_id, to_state, created_at) values (?, 'information_requested', ?)`);
db.$client.transaction(() => {
  for (let i = 0; i < N; i++) {
    const s = states[i % states.length]!;
    const t = Date.now() - i * 1000;
    const r = ins.run(1 + (i % 3), s, `SH-TS-2026-${String(i).padStart(6, '0')}`, t, ['approved', 'refused'].includes(s) ? t + (i % 40) * 86400000 : null, t, t);
    if (i % 4 === 0) ev.run(r.lastInsertRowid, t);
  }
})();
for (const d of settlementDatasets) {
  d.compute(db);
  const runs = 20;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) d.compute(db);
  console.log(`${d.id}: ${((performance.now() - t0) / runs).toFixed(2)} ms per compute over ${N} applications`);
}
