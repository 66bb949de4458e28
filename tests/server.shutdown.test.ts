/**
 * Stopping the server does not cut anyone off (src/cli/serve.mjs, shutDownGracefully, and the
 * cluster primary in serve-cluster.mjs): on SIGTERM or SIGINT it stops accepting connections,
 * lets the requests in flight finish (within SHUTDOWN_TIMEOUT_MS), closes the database, and exits.
 */
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { afterEach, expect, inject, it } from 'vitest';
import { launch, root, serving, stopLaunched, until } from './helpers/processes';

afterEach(stopLaunched);

const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password at all' });

/** A sign-in request whose body has only half arrived: in flight until `finish` sends the rest. */
async function halfSentRequest(port: number) {
  const socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let answer = '';
  socket.on('data', (d) => (answer += d));
  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => resolve());
    socket.once('error', () => resolve());
  });
  socket.write(
    `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body.slice(0, 10),
  );
  return { socket: socket as Socket, answer: () => answer, ended, finish: () => socket.write(body.slice(10)) };
}

const refused = async (url: string) => {
  try {
    await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(1000) });
    return undefined;
  } catch {
    return true;
  }
};

it('on SIGTERM the cluster stops taking connections, finishes the request in flight, closes the database and exits 0', async () => {
  const server = await launch([path.join(root, 'src/cli/serve-cluster.mjs'), inject('serverEntry')], { WEB_CONCURRENCY: '2' });
  await until('two workers', () => (serving(server.output()).length >= 2 ? true : undefined));
  expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
  const request = await halfSentRequest(server.port);
  await new Promise((r) => setTimeout(r, 200)); // the worker is now reading its body

  server.child.kill('SIGTERM');
  await until('the port to stop accepting', () => refused(server.url), 5000);
  expect(server.child.exitCode).toBeNull(); // still finishing the request in flight

  request.finish();
  await request.ended;
  expect(request.answer()).toMatch(/^HTTP\/1\.1 400 [^]*do not match an account/);
  expect(request.answer().toLowerCase()).toContain('connection: close');
  expect(await server.exited).toBe(0);
  const output = server.output();
  expect(output).toContain('SIGTERM: stopping 2 worker(s)');
  expect(output.match(/Shut down\./g)).toHaveLength(2);
  expect(output).toContain('All workers stopped.');
  // The last connection to close checkpoints and removes the WAL: the database was closed cleanly.
  expect(existsSync(`${server.databasePath}-wal`)).toBe(false);
});

it('cuts a request that outlives SHUTDOWN_TIMEOUT_MS, says so, and exits 1', async () => {
  const server = await launch([path.join(root, 'src/cli/serve-cluster.mjs'), inject('serverEntry')], { WEB_CONCURRENCY: '1', SHUTDOWN_TIMEOUT_MS: '500' });
  await until('the worker', () => serving(server.output())[0]);
  const request = await halfSentRequest(server.port);
  await new Promise((r) => setTimeout(r, 200));
  const stoppedAt = Date.now();
  server.child.kill('SIGTERM');
  await request.ended; // never finished by the client, so cut by the server
  expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(400);
  expect(await server.exited).toBe(1);
  expect(server.output()).toContain('1 request(s) still running after 500 ms; cutting them off');
});

it('serve.mjs alone stops the same way on SIGINT (Ctrl-C)', async () => {
  const server = await launch([path.join(root, 'src/cli/serve.mjs'), inject('serverEntry')]);
  await until('the server', async () => ((await refused(server.url)) ? undefined : true));
  server.child.kill('SIGINT');
  expect(await server.exited).toBe(0);
  expect(server.output()).toContain('SIGINT: no longer accepting connections; finishing 0 request(s) in flight');
  expect(server.output()).toContain('Shut down.');
  expect(existsSync(`${server.databasePath}-wal`)).toBe(false);
});
