/**
 * Checks JSON-LD against schema.org's published vocabulary (the subset committed in
 * tests/fixtures/schema-org-vocabulary.json, with its source and version): every type is known,
 * every property is defined for the node's type (domainIncludes, through the supertypes), and every
 * value fits the property's rangeIncludes: a node's type must be one of the range's types or a
 * subtype, a string must be Text, or a URL, Date or DateTime in its proper form where only those are
 * expected. Stricter than schema.org's "text where a thing is expected is tolerated", on purpose.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Vocabulary {
  version: string;
  types: Record<string, { subClassOf: string[] }>;
  properties: Record<string, { domainIncludes: string[]; rangeIncludes: string[] }>;
  /** Enumeration members by name, with the enumeration each belongs to. */
  enumerationMembers?: Record<string, string>;
}

export const vocabulary: Vocabulary = JSON.parse(readFileSync(path.join(import.meta.dirname, '../fixtures/schema-org-vocabulary.json'), 'utf8'));

/** A type and all its supertypes. */
function lineage(type: string): Set<string> {
  const out = new Set<string>();
  const walk = (t: string) => {
    if (out.has(t)) return;
    out.add(t);
    for (const s of vocabulary.types[t]?.subClassOf ?? []) walk(s);
  };
  walk(type);
  return out;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const isAbsoluteUrl = (s: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
};

function literalFits(value: string | number | boolean, range: string[]): boolean {
  if (typeof value === 'boolean') return range.includes('Boolean');
  if (typeof value === 'number') return range.includes('Number') || range.includes('Float') || (range.includes('Integer') && Number.isInteger(value));
  if (range.includes('Text')) return true;
  // an enumeration member, written as its schema.org URL (`https://schema.org/CertificationActive`)
  const member = value.startsWith('https://schema.org/') ? vocabulary.enumerationMembers?.[value.slice('https://schema.org/'.length)] : undefined;
  if (member && range.some((r) => lineage(member).has(r))) return true;
  if (range.includes('URL') && isAbsoluteUrl(value)) return true;
  if (range.includes('Date') && ISO_DATE.test(value)) return true;
  if (range.includes('DateTime') && ISO_DATETIME.test(value)) return true;
  return false;
}

/** Problems with one JSON-LD node (and the nodes inside it), each naming where it is. */
export function schemaOrgProblems(node: unknown, where = '$', expected?: string[]): string[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [`${where}: not a node`];
  const obj = node as Record<string, unknown>;
  const problems: string[] = [];
  if (!expected && obj['@context'] !== 'https://schema.org') problems.push(`${where}: @context is not https://schema.org`);
  const types = [obj['@type']].flat().filter((t): t is string => typeof t === 'string');
  if (!types.length) return [...problems, `${where}: no @type`];
  for (const t of types) if (!vocabulary.types[t]) problems.push(`${where}: unknown type ${t}`);
  if (problems.length) return problems;
  const ancestry = new Set(types.flatMap((t) => [...lineage(t)]));
  if (expected && !expected.some((r) => ancestry.has(r))) problems.push(`${where}: a ${types.join('/')} where ${expected.join(' or ')} is expected`);
  for (const [key, raw] of Object.entries(obj)) {
    if (key.startsWith('@')) continue;
    const at = `${where}.${key}`;
    const property = vocabulary.properties[key];
    if (!property) {
      problems.push(`${at}: no such property for ${types.join('/')}`);
      continue;
    }
    if (!property.domainIncludes.some((d) => ancestry.has(d))) {
      problems.push(`${at}: not a property of ${types.join('/')} (its domain is ${property.domainIncludes.join(', ')})`);
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    values.forEach((value, i) => {
      const here = Array.isArray(raw) ? `${at}[${i}]` : at;
      if (value !== null && typeof value === 'object') problems.push(...schemaOrgProblems(value, here, property.rangeIncludes));
      else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        if (!literalFits(value, property.rangeIncludes)) problems.push(`${here}: ${JSON.stringify(value)} does not fit ${property.rangeIncludes.join(' or ')}`);
      } else problems.push(`${here}: empty value`);
    });
  }
  return problems;
}

/** Every JSON-LD block of an HTML page, parsed. */
export function jsonLdBlocks(html: string): unknown[] {
  return [...html.matchAll(/<script type="application\/ld\+json"[^>]*>([\s\S]*?)<\/script>/g)].map((m) => JSON.parse(m[1]!));
}
