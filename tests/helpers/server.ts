/**
 * Starts the real built server (src/cli/serve.mjs) on a free port with its own SQLite file and data
 * folder, and gives tests a small JSON client for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { openDatabase, type Db } from '../../db/client';
import { ContractChecker } from './contract';

const root = path.resolve(import.meta.dirname, '../..');

export interface TestServer {
  url: string;
  dataDir: string;
  databasePath: string;
  /** The server process's id. */
  pid: number;
  /** A second connection to the server's database, for arranging and asserting. */
  db: Db;
  api: ApiClient;
  /** Everything the server wrote to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const entry = inject('serverEntry');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'portal-srv-'));
  const databasePath = path.join(dataDir, 'portal.db');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [path.join(root, 'src/cli/serve.mjs'), entry], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_PATH: databasePath,
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      // Production requires SITE_URL; the server's own address, so forms posted from it pass the origin check.
      SITE_URL: url,
      // Mail is sent only where a test asks for it (tests/mail.delivery.test.ts), never from the developer's environment.
      SMTP_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
    try {
      // A route that opens (and so migrates) the database, so `db` below sees every table.
      const res = await fetch(`${url}/api/v1/organizations?perPage=1`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const db = openDatabase(databasePath, { migrate: false });
  return {
    url,
    dataDir,
    databasePath,
    pid: child.pid!,
    db,
    api: new ApiClient(url),
    output: () => output,
    async stop() {
      db.$client.close();
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * A tiny JSON client: `api.post('/auth/login', {...}, token)`. Paths are relative to /api/v1.
 * Every response is held to the server's own OpenAPI document (./contract): one that the document
 * does not describe fails the test that received it.
 */
export class ApiClient {
  private contract?: Promise<ContractChecker>;

  constructor(readonly base: string) {}

  private checker() {
    return (this.contract ??= fetch(`${this.base}/api/v1/openapi.json`)
      .then((res) => res.json())
      .then((doc) => new ContractChecker(doc)));
  }

  async request<T = any>(method: string, path: string, body?: unknown, token?: string, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
    const res = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    (await this.checker()).assert({ method, path, status: res.status, headers: res.headers, text });
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
  get<T = any>(path: string, token?: string) {
    return this.request<T>('GET', path, undefined, token);
  }
  post<T = any>(path: string, body?: unknown, token?: string) {
    return this.request<T>('POST', path, body ?? {}, token);
  }
  patch<T = any>(path: string, body: unknown, token?: string) {
    return this.request<T>('PATCH', path, body, token);
  }
  delete<T = any>(path: string, token?: string) {
    return this.request<T>('DELETE', path, undefined, token);
  }

  /**
   * Signs up a fresh user and signs in (a password works before the address is verified);
   * returns their token. The address stays unverified: see verifyEmail in ./accounts.
   */
  async signUp(email: string, displayName = email.split('@')[0]!, password = 'correct horse battery') {
    const res = await this.post('/auth/signup', { email, password, displayName });
    if (res.status !== 202) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
    const login = await this.post('/auth/login', { email, password });
    if (login.status !== 200) throw new Error(`sign-in after sign-up failed: ${login.status} ${JSON.stringify(login.body)}`);
    return login.body.token as string;
  }
}
