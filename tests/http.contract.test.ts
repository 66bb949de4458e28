/**
 * The checker the API test client runs on every response (tests/helpers/contract.ts) bites: a
 * response the document does not describe is refused with a message naming the route, the status
 * and what is wrong. Fed the document built from the same route list the server serves.
 */
import { describe, expect, it } from 'vitest';
import { buildOpenApi } from '../src/lib/http/openapi';
import { apiRoutes } from '../src/lib/http/routes';
import { ContractChecker, type OpenApiDocument, type ObservedResponse } from './helpers/contract';

const checker = new ContractChecker(buildOpenApi(apiRoutes, 'http://portal.test') as unknown as OpenApiDocument);

const json = (method: string, path: string, status: number, body: unknown, headers: Record<string, string> = {}): ObservedResponse => ({
  method,
  path,
  status,
  headers: new Headers({ 'content-type': 'application/json; charset=utf-8', ...headers }),
  text: JSON.stringify(body),
});

const health = { status: 'ok' };
const reasonCodes = { items: [{ code: 'meets_points', outcome: 'approve', label: 'Meets', labelZh: '达标', rule: 'r', ruleZh: '规' }] };

describe('the API contract checker', () => {
  it('accepts responses the document describes, errors included', () => {
    expect(checker.problems(json('GET', '/health', 200, health))).toEqual([]);
    expect(checker.problems(json('GET', '/settlement/reason-codes?x=1', 200, reasonCodes))).toEqual([]);
    expect(checker.problems(json('GET', '/courses/12', 404, { error: { code: 'not_found', message: 'Not found.' } }))).toEqual([]);
    expect(checker.problems({ method: 'POST', path: '/auth/logout', status: 204, headers: new Headers(), text: '' })).toEqual([]);
  });

  it('refuses a property the schema does not list, naming route, status and property', () => {
    const problems = checker.problems(json('GET', '/health', 200, { ...health, uptime: 3 }));
    expect(problems).toEqual([expect.stringContaining('GET /health → 200')]);
    expect(problems[0]).toContain('undocumented property "uptime"');
    const nested = checker.problems(json('GET', '/settlement/reason-codes', 200, { items: [{ ...reasonCodes.items[0], weight: 2 }] }));
    expect(nested.join('\n')).toMatch(/\/items\/0 has the undocumented property "weight"/);
  });

  it('refuses a value outside the documented enum and a wrong type', () => {
    const wrongEnum = checker.problems(json('GET', '/settlement/reason-codes', 200, { items: [{ ...reasonCodes.items[0], outcome: 'defer' }] }));
    expect(wrongEnum.join('\n')).toContain('/items/0/outcome is "defer", not one of the documented ["approve","refuse"]');
    expect(checker.problems(json('GET', '/health', 200, { status: 1 })).length).toBeGreaterThan(0);
    // An error body is held to the Error schema too.
    expect(checker.problems(json('GET', '/courses/12', 404, { error: { code: 'not_found', message: 'x', stack: 'at …' } })).join('\n')).toContain(
      'GET /courses/{id} → 404: /error has the undocumented property "stack"',
    );
  });

  it('refuses an undocumented route, method or success status', () => {
    expect(checker.problems(json('GET', '/nowhere', 200, {}))).toEqual([expect.stringContaining('no documented path matches /nowhere')]);
    expect(checker.problems(json('DELETE', '/health', 200, health))).toEqual([expect.stringContaining('/health documents no DELETE')]);
    expect(checker.problems(json('GET', '/health', 201, health))).toEqual([expect.stringContaining('status 201 is not documented for this route')]);
  });

  it('takes a 405 for an undocumented method only with an Allow header naming the documented ones', () => {
    const refused = { error: { code: 'method_not_allowed', message: 'No.' } };
    expect(checker.problems(json('PUT', '/health', 405, refused, { allow: 'GET, HEAD' }))).toEqual([]);
    expect(checker.problems(json('PUT', '/health', 405, refused, { allow: 'GET, HEAD, PUT' }))).toEqual([
      expect.stringContaining('PUT /health → 405: Allow says GET, HEAD, PUT, the document has GET, HEAD'),
    ]);
    expect(checker.problems(json('PUT', '/health', 405, { refused: true }, { allow: 'GET, HEAD' })).join('\n')).toContain('undocumented property "refused"');
  });

  it('refuses an undocumented media type, a body where none is documented, and a missing Retry-After', () => {
    const csv: ObservedResponse = { method: 'GET', path: '/health', status: 200, headers: new Headers({ 'content-type': 'text/csv' }), text: 'a,b' };
    expect(checker.problems(csv)).toEqual([expect.stringContaining('Content-Type text/csv is not documented')]);
    expect(checker.problems(json('POST', '/auth/logout', 204, { ok: true }))).toEqual([expect.stringContaining('the document says no body')]);
    const limited = json('POST', '/auth/login', 429, { error: { code: 'too_many_requests', message: 'Wait.' } });
    expect(checker.problems(limited)).toEqual([expect.stringContaining('POST /auth/login → 429: the documented header Retry-After is missing')]);
    expect(checker.problems(json('POST', '/auth/login', 429, { error: { code: 'too_many_requests', message: 'Wait.' } }, { 'retry-after': '60' }))).toEqual([]);
  });

  it('prefers a concrete path to a templated one', () => {
    expect(checker.template('/me/enrollments')).toBe('/me/enrollments');
    expect(checker.template('/standards/comments/4/disposition')).toBe('/standards/comments/{id}/disposition');
    expect(checker.template('/standards/4/comments.csv')).toBe('/standards/{id}/comments.csv');
  });
});

describe('the document names the answers clients must handle', () => {
  const doc = buildOpenApi(apiRoutes, 'http://portal.test') as unknown as {
    paths: Record<string, Record<string, { responses: Record<string, { description: string; headers?: Record<string, { required?: boolean }>; content?: Record<string, unknown> }> }>>;
  };

  it('sign-in’s 429 with Retry-After and sign-up’s weak-password 400', () => {
    const limited = doc.paths['/auth/login']!.post!.responses['429']!;
    expect(limited.headers?.['Retry-After']?.required).toBe(true);
    expect(limited.content).toHaveProperty(['application/json']);
    expect(doc.paths['/auth/signup']!.post!.responses['400']!.description).toMatch(/weak password.*fields\.password/);
  });

  it('every media type a citation comes in', () => {
    expect(Object.keys(doc.paths['/research/findings/{id}/versions/{n}/cite']!.get!.responses['200']!.content!).sort()).toEqual([
      'application/vnd.citationstyles.csl+json',
      'application/x-bibtex',
      'application/x-research-info-systems',
    ]);
  });
});
