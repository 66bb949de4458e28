/**
 * Every way into credit certification has a malformed twin: wrong types, control characters,
 * truncated multipart bodies, oversized JSON, nonsense query parameters and ids. Each must answer a
 * clear 4xx (never a 500) and leave the server serving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { activeScheme } from './helpers/credit';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let seller: string;
let committee: string;
let assessmentId: number;

async function login(name: string) {
  const res = await server.api.post('/auth/login', { email: `${name}@demo.portal.test`, password: DEMO_PASSWORD });
  return res.body.token as string;
}

beforeAll(async () => {
  server = await startServer();
  await server.api.signUp('malformed@example.com');
  await seed(server.db);
  seller = await login('seller');
  committee = await login('committee');
  const { schemeId } = activeScheme(server);
  const created = await server.api.post('/credit/assessments', { scheme: schemeId, entity: 'hongqiao-silk-road-trading' }, seller);
  expect(created.status).toBe(201);
  assessmentId = created.body.id;
}, 180_000);
afterAll(() => server?.stop());

async function send(method: string, path: string, body: string | undefined, token?: string, type = 'application/json') {
  const headers: Record<string, string> = { origin: server.url };
  if (body !== undefined) headers['content-type'] = type;
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${path}`, { method, headers, body });
  await res.arrayBuffer();
  return res.status;
}

const truncatedMultipart = '--XYZ\r\nContent-Disposition: form-data; name="indicator"\r\n\r\ni1\r\n--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 trunc';
const deep = '['.repeat(5000) + ']'.repeat(5000);

describe('malformed requests to credit routes', () => {
  it('answer 4xx and the server keeps serving', async () => {
    const cases: [string, string, string | undefined, string?, string?][] = [
      ['POST', '/api/v1/credit/schemes', '[1,2,3]', committee],
      ['POST', '/api/v1/credit/schemes', '{"name": "\u0000\u0007", "standard": "x", "indicatorClause": 5}', committee],
      ['POST', '/api/v1/credit/schemes', deep, committee],
      ['POST', '/api/v1/credit/schemes/abc/transitions', '{"to": 7}', committee],
      ['POST', '/api/v1/credit/assessments', '{"scheme": "one", "entity": 123}', seller],
      ['POST', '/api/v1/credit/assessments', '{"scheme": 1, "entity": "x"', seller],
      ['PATCH', `/api/v1/credit/assessments/${assessmentId}`, '{"answers": {"i1": {"points": "many", "statement": 5}}}', seller],
      ['PATCH', `/api/v1/credit/assessments/${assessmentId}`, `{"answers": {"i1": {"points": 1e309, "statement": "${'x'.repeat(2_000_000)}"}}}`, seller],
      ['PATCH', '/api/v1/credit/assessments/99999999999999999999', '{}', seller],
      ['POST', `/api/v1/credit/assessments/${assessmentId}/evidence`, truncatedMultipart, seller, 'multipart/form-data; boundary=XYZ'],
      ['POST', `/api/v1/credit/assessments/${assessmentId}/evidence`, 'not multipart', seller, 'multipart/form-data'],
      ['POST', `/api/v1/credit/assessments/${assessmentId}/transitions`, '{"to": "granted\u0000"}', seller],
      ['POST', `/api/v1/credit/assessments/${assessmentId}/transitions`, '{"to": "screening", "scores": "all"}', committee],
      ['POST', '/api/v1/credit/objections', '{"assessment": "x", "text": []}', seller],
      ['POST', '/api/v1/credit/objections/abc/disposition', '{"decision": "maybe"}', committee],
      ['POST', '/api/v1/credit/complaints', '{"entity": null, "category": "spam", "text": "\u0000"}', seller],
      ['POST', '/api/v1/credit/complaints/abc/evidence', truncatedMultipart, seller, 'multipart/form-data; boundary=XYZ'],
      ['POST', '/api/v1/credit/complaints/1/transitions', '{"to": ["closed"]}', committee],
      ['POST', '/api/v1/credit/appeals', '{"assessment": -1, "certificate": "x", "grounds": 5}', seller],
      ['POST', '/api/v1/credit/appeals/abc/decision', '{"decision": true}', committee],
      ['POST', '/api/v1/credit/certificates/%00/transitions', '{"to": 5}', committee],
      ['POST', '/api/v1/credit/certificates/NOPE/surveillances', '{"outcome": "great", "date": "2026-13-45"}', committee],
      ['GET', '/api/v1/credit/certificates?limit=abc&cursor=%ZZ', undefined],
      ['GET', '/api/v1/credit/certificates?grade=%00&status=nope&scheme=x', undefined],
      ['GET', '/api/v1/credit/certificates/%E0%A4%A', undefined],
      ['GET', '/api/v1/credit/schemes?page=-1', undefined],
      ['GET', '/api/v1/credit/notices?page=abc', undefined],
      ['GET', `/credit/verify?number=${'X'.repeat(5000)}`, undefined],
      ['GET', '/credit/NOPE-XY-2026-00001/badge.svg', undefined],
      ['GET', '/en/credit/notices/abc', undefined],
      ['GET', '/credit/assessments/abc', undefined, seller],
      ['GET', '/credit/complaints/99999999999999999999', undefined, seller],
    ];
    for (const [method, path, body, token, type] of cases) {
      const status = await send(method, path, body, token, type);
      expect(status, `${method} ${path.slice(0, 80)} ${String(body).slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(status, `${method} ${path.slice(0, 80)} ${String(body).slice(0, 60)}`).toBeLessThan(500);
    }
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/credit`)).status).toBe(200);
  }, 120_000);

  it('read pages tolerate nonsense filters with a normal page, not an error', async () => {
    for (const path of ['/credit?page=-3&grade=%00&status=nope', '/en/credit?scheme=abc&body=%3Cscript%3E', '/credit/notices?page=9999']) {
      const status = (await fetch(`${server.url}${path}`)).status;
      expect(status, path).toBeLessThan(500);
    }
  });
});
