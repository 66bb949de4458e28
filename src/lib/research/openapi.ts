import { z } from 'zod';
import type { RouteDoc } from '~/lib/http/openapi';
import { CITATION_MEDIA } from './citation';
import {
  citeQuery,
  diffQuery,
  findingInput,
  findingOutput,
  findingUpdate,
  projectInput,
  projectListQuery,
  projectOutput,
  projectUpdate,
  unpublishInput,
  versionInput,
} from './schemas';

const tag = 'Research';
const listItem = projectOutput
  .omit({ abstractMd: true, organizations: true, people: true, funding: true, findings: true })
  .extend({ lead: z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable() }).nullable() });
const list = z.object({ items: z.array(listItem), total: z.number(), page: z.number(), perPage: z.number() });
const version = z.object({ number: z.number(), publishedAt: z.string().nullable() });

export const researchRoutes: RouteDoc[] = [
  { method: 'get', path: '/research/projects', tag, summary: 'Research projects you may see (public ones, plus those you edit), filtered by status, topic, organization (slug), corridor (CN-US or CN) and year', query: projectListQuery, responses: { 200: list } },
  { method: 'post', path: '/research/projects', tag, summary: 'Register a project led by an organization you edit', auth: true, body: projectInput, responses: { 201: projectOutput } },
  { method: 'get', path: '/research/projects/{id}', tag, summary: 'One project with its organizations, people, funding and findings', responses: { 200: projectOutput } },
  { method: 'patch', path: '/research/projects/{id}', tag, summary: 'Change a project (its people and organizations’ editors); lists sent replace the old ones', auth: true, body: projectUpdate, responses: { 200: projectOutput } },
  { method: 'post', path: '/research/projects/{id}/findings', tag, summary: 'Add a finding (article, report, working paper, dataset, policy brief)', auth: true, body: findingInput, responses: { 201: findingOutput } },
  { method: 'get', path: '/research/findings/{id}', tag, summary: 'One finding with its published versions; bodies are null while embargoed or metadata-only', responses: { 200: findingOutput } },
  { method: 'patch', path: '/research/findings/{id}', tag, summary: 'Change a finding’s metadata (not a published body)', auth: true, body: findingUpdate, responses: { 200: findingOutput } },
  { method: 'post', path: '/research/findings/{id}/versions', tag, summary: 'Add a draft version; after the first, a changelog is required', auth: true, body: versionInput, responses: { 201: version } },
  { method: 'patch', path: '/research/findings/{id}/versions/{n}', tag, summary: 'Edit a draft version (published versions never change: 409)', auth: true, body: versionInput, responses: { 200: version } },
  { method: 'post', path: '/research/findings/{id}/publish', tag, summary: 'Publish the latest draft version (the lead organization must be verified)', auth: true, responses: { 200: z.object({ id: z.number(), status: z.string(), number: z.number() }) } },
  { method: 'post', path: '/research/findings/{id}/unpublish', tag, summary: 'Take a finding out of public view, search and feeds, with a reason (admins; audit-logged)', auth: true, body: unpublishInput, responses: { 200: z.object({ id: z.number(), status: z.string() }) } },
  { method: 'get', path: '/research/findings/{id}/diff', tag, summary: 'Differences between two versions as escaped HTML with <ins>/<del>', query: diffQuery, responses: { 200: z.object({ from: z.number(), to: z.number(), mode: z.string(), html: z.string(), added: z.number(), removed: z.number() }) } },
  { method: 'get', path: '/research/findings/{id}/versions/{n}/cite', tag, summary: 'Cite a published version as BibTeX, RIS or CSL-JSON', query: citeQuery.extend({ lang: z.enum(['zh-cn', 'en']).default('en') }), responses: { 200: { contentType: Object.values(CITATION_MEDIA).map((m) => m.type.split(';')[0]!) } } },
];
