/**
 * Holds every API response a test receives to the OpenAPI document the server publishes: the
 * route (method and path template) and status must be documented, a JSON body must match the
 * documented schema (unknown properties, wrong types and enum values are errors), any other body
 * must have a documented media type, and documented required headers (Retry-After on 429) must be
 * there. Error statuses a route does not name fall to its `default` response; a 2xx or 3xx it
 * does not name is undocumented.
 *
 * Ajv (draft 2020-12, the dialect OpenAPI 3.1 and zod's toJSONSchema use) with ajv-formats, so
 * `format: email`/`date-time` are checked too.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

interface MediaType {
  schema?: unknown;
}
interface ResponseDoc {
  content?: Record<string, MediaType>;
  headers?: Record<string, { required?: boolean }>;
}
interface Operation {
  responses: Record<string, ResponseDoc>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: unknown;
}

export interface ObservedResponse {
  method: string;
  /** The path relative to the API's base (/api/v1), with or without a query string. */
  path: string;
  status: number;
  headers: Headers;
  /** The raw body text. */
  text: string;
}

/** The document itself is the one route it does not describe. */
const SELF = '/openapi.json';

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

export class ContractChecker {
  private readonly ajv: Ajv2020;
  private readonly templates: { template: string; pattern: RegExp; literal: number }[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApiDocument) {
    this.ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false });
    addFormats.default(this.ajv);
    this.ajv.addSchema(doc as object, 'openapi.json');
    this.templates = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.split(/\{\w+\}/).map(escapeRegExp).join('[^/]+')}$`),
      // The most literal template wins, as OpenAPI matches concrete paths before templated ones.
      literal: template.replace(/\{\w+\}/g, '').length,
    }));
  }

  /** The route template a request path is served by, if the document has one. */
  template(path: string): string | undefined {
    const bare = path.split('?')[0]!;
    return this.templates.filter((t) => t.pattern.test(bare)).sort((a, b) => b.literal - a.literal)[0]?.template;
  }

  /** What is wrong with this response against the document: empty when it conforms. */
  problems(res: ObservedResponse): string[] {
    const method = res.method.toLowerCase();
    const bare = res.path.split('?')[0]!;
    if (bare === SELF) return [];
    const template = this.template(bare);
    const where = `${method.toUpperCase()} ${template ?? bare} → ${res.status}`;
    if (!template) return [`${where}: no documented path matches ${bare} (add the route to src/lib/<domain>/openapi.ts)`];
    const op = this.doc.paths[template]![method];
    if (!op && res.status === 405) return this.methodNotAllowed(where, template, res);
    if (!op) return [`${where}: ${template} documents no ${method.toUpperCase()} (add it to src/lib/<domain>/openapi.ts)`];
    let key = String(res.status);
    if (!op.responses[key]) {
      if (res.status >= 400 && op.responses.default) key = 'default';
      else return [`${where}: status ${res.status} is not documented for this route (documented: ${Object.keys(op.responses).join(', ')})`];
    }
    const documented = op.responses[key]!;
    const out: string[] = [];
    for (const [name, header] of Object.entries(documented.headers ?? {})) {
      if (header.required && !res.headers.has(name)) out.push(`${where}: the documented header ${name} is missing`);
    }
    const content = documented.content;
    if (!content) {
      if (res.text !== '') out.push(`${where}: the document says no body, the response has one (${res.text.slice(0, 80)})`);
      return out;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!(type in content)) {
      out.push(`${where}: Content-Type ${type || '(none)'} is not documented (documented: ${Object.keys(content).join(', ')})`);
      return out;
    }
    if (!/^application\/(.+\+)?json$/.test(type) || content[type]!.schema === undefined) return out;
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return [...out, `${where}: the body is not JSON although Content-Type says ${type}`];
    }
    const validate = this.validator(template, method, key, type);
    if (!validate(body)) out.push(...(validate.errors ?? []).map((e) => `${where}: ${describe(e)}`));
    return out;
  }

  /** Throws an Error naming every problem, for the test client. */
  assert(res: ObservedResponse) {
    const problems = this.problems(res);
    if (problems.length) {
      throw new Error(
        `The response does not match the OpenAPI document (fix src/lib/<domain>/openapi.ts, or the route if the response is what is wrong):\n  ${problems.join('\n  ')}\nBody: ${res.text.slice(0, 600)}`,
      );
    }
  }

  /**
   * A method the route does not take is HTTP's business, not the route's: 405 with an Error body
   * and an Allow header that names exactly the documented methods (HEAD with GET).
   */
  private methodNotAllowed(where: string, template: string, res: ObservedResponse): string[] {
    const out: string[] = [];
    const documented = Object.keys(this.doc.paths[template]!).map((m) => m.toUpperCase());
    if (documented.includes('GET')) documented.push('HEAD');
    const allow = (res.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase()).filter(Boolean);
    if (allow.sort().join(', ') !== documented.sort().join(', ')) out.push(`${where}: Allow says ${allow.join(', ') || '(nothing)'}, the document has ${documented.join(', ')}`);
    const validate = this.compile(`openapi.json#/${pointer('components', 'schemas', 'Error')}`);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      return [...out, `${where}: the body is not JSON`];
    }
    if (!validate(body)) out.push(...(validate.errors ?? []).map((e) => `${where}: ${describe(e)}`));
    return out;
  }

  private validator(template: string, method: string, status: string, type: string): ValidateFunction {
    return this.compile(`openapi.json#/${pointer('paths', template, method, 'responses', status, 'content', type, 'schema')}`);
  }

  private compile(ref: string): ValidateFunction {
    let validate = this.compiled.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.compiled.set(ref, validate);
    }
    return validate;
  }
}

function describe(e: ErrorObject): string {
  const at = e.instancePath || '(the body)';
  if (e.keyword === 'additionalProperties') return `${at} has the undocumented property "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  if (e.keyword === 'enum') return `${at} is ${JSON.stringify(e.data)}, not one of the documented ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues)}`;
  if (e.keyword === 'const') return `${at} is ${JSON.stringify(e.data)}, documented as ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  return `${at} ${e.message} (schema ${e.schemaPath}; value ${JSON.stringify(e.data)?.slice(0, 120)})`;
}

function escapeRegExp(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
