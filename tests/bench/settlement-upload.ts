/**
 * Upload figures: time to store 10,000,000 bytes, time to refuse 10,000,001, and the server's
 * peak memory (VmHWM) while a 200 MB body without Content-Length is cut off — the streaming
 * limit means the peak should not grow with the body.
 *   npx tsx tests/bench/settlement-upload.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/client';
import { seedSettlement } from '../../db/seed/settlement';
import { ensureServerBuild } from '../helpers/build';

const entry = ensureServerBuild();
const dir = mkdtempSync(path.join(tmpdir(), 'settle-bench-'));
const port = 4700 + Math.floor(Math.random() * 200);
const url = `http://127.0.0.1:${port}`;
const child = spawn(process.execPath, [entry], {
  env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: path.join(dir, 'portal.db'), DATA_DIR: dir, NODE_ENV: 'production', SITE_URL: `http://127.0.0.1:${port}` },
  stdio: 'ignore',
});
const memory = (field: 'VmRSS' | 'VmHWM') => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]) / 1024;

try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/api/v1/settlement/routes`)).ok) break;
    } catch {
      if (i > 200) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  seedSettlement(openDatabase(path.join(dir, 'portal.db')));
  const account = { email: 'bench@example.com', password: 'bench password 123', displayName: 'Bench' };
  await fetch(`${url}/api/v1/auth/signup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(account) });
  const signup = await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: account.email, password: account.password }) })).json();
  const auth = { authorization: `Bearer ${signup.token}` };
  const app = await (await fetch(`${url}/api/v1/settlement/applications`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ route: 'entrepreneur-talent' }) })).json();

  const pdf = (size: number) => {
    const b = Buffer.alloc(size, 0x20);
    b.write('%PDF-1.4\n');
    return b;
  };
  const upload = async (size: number) => {
    const form = new FormData();
    form.set('item', 'degree');
    form.set('file', new Blob([pdf(size)], { type: 'application/pdf' }), 'bench.pdf');
    const started = performance.now();
    const res = await fetch(`${url}/api/v1/settlement/applications/${app.id}/documents`, { method: 'POST', headers: auth, body: form });
    return { status: res.status, ms: performance.now() - started };
  };
  console.log(`server RSS at rest: ${memory('VmRSS').toFixed(0)} MB`);
  for (let i = 0; i < 3; i++) {
    const ok = await upload(10_000_000);
    const over = await upload(10_000_001);
    console.log(`10,000,000 bytes: ${ok.status} in ${ok.ms.toFixed(0)} ms; 10,000,001 bytes: ${over.status} in ${over.ms.toFixed(0)} ms`);
  }
  const peakBefore = memory('VmHWM');
  // 200 MB streamed with no Content-Length: the server must stop reading at the limit.
  let sent = 0;
  const boundary = 'benchboundary';
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      c.enqueue(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\ndegree\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="huge.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n`));
    },
    pull(c) {
      if (sent >= 200_000_000) return c.close();
      const chunk = Buffer.alloc(1 << 20, 0x20);
      sent += chunk.length;
      c.enqueue(chunk);
    },
  });
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/settlement/applications/${app.id}/documents`, {
    method: 'POST',
    headers: { ...auth, 'content-type': `multipart/form-data; boundary=${boundary}` },
    body,
    duplex: 'half',
  } as RequestInit).catch((err) => ({ status: `connection closed (${(err as Error).cause ?? err})` }) as unknown as Response);
  console.log(`200 MB chunked body: ${res.status} after ${(performance.now() - started).toFixed(0)} ms, ${(sent / 1e6).toFixed(0)} MB handed to the socket`);
  console.log(`server peak memory (VmHWM): ${peakBefore.toFixed(0)} MB before, ${memory('VmHWM').toFixed(0)} MB after`);
} finally {
  child.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
