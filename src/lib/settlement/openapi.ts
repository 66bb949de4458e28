import { z } from 'zod';
import { APPLICATION_STATES, DOCUMENT_TYPES, RULE_KINDS } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import type { Estimate } from './estimator';
import { createApplicationInput, estimateInput, noteInput, patchApplicationInput, queueQuery, routeEditInput, ruleEditInput, SECTIONS, transitionInput } from './schemas';
import type { Route } from './service';

export function routeOut(r: Route) {
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    nameZh: r.nameZh,
    summary: r.summary,
    summaryZh: r.summaryZh,
    usesPoints: r.usesPoints,
    active: r.active,
    criteria: r.criteria,
    checklist: r.checklist.map((i) => ({ key: i.key, label: i.label, labelZh: i.labelZh, required: i.required, accept: i.accept })),
  };
}

export function estimateOut(e: Estimate) {
  return {
    indicative: true,
    notice: 'An indication modelled on Shanghai’s published points scheme, not a decision. Rules marked illustrative have not been checked against the official text.',
    points: Object.fromEntries(e.lines.map((l) => [l.indicator, l.points])),
    lines: e.lines,
    total: e.total,
    standard: e.standard,
    meetsStandard: e.meetsStandard,
    shortfall: e.shortfall,
    changes: e.changes,
  };
}

const ruleRef = z.object({ id: z.number(), label: z.string(), labelZh: z.string(), asOf: z.string(), sourceUrl: z.string(), sourceLabel: z.string(), illustrative: z.boolean() });
const estimateOutput = z.object({
  indicative: z.literal(true),
  notice: z.string(),
  points: z.record(z.string(), z.number()),
  lines: z.array(z.object({ indicator: z.string(), points: z.number(), rule: ruleRef.nullable() })),
  total: z.number(),
  standard: z.number(),
  meetsStandard: z.boolean(),
  shortfall: z.number(),
  changes: z.array(z.object({ indicator: z.string(), rule: ruleRef, gain: z.number(), moreUnits: z.number().optional() })),
});
const documentType = z.enum(DOCUMENT_TYPES);
const checklistItem = z.object({ key: z.string(), label: z.string(), labelZh: z.string(), required: z.boolean(), accept: z.array(documentType), hint: z.string().optional(), hintZh: z.string().optional() });
const criterion = z.object({ key: z.string(), label: z.string(), labelZh: z.string(), kind: z.enum(['yes_no', 'number', 'text']), required: z.boolean(), hint: z.string().optional(), hintZh: z.string().optional() });
const routeOutput = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string(),
  nameZh: z.string(),
  summary: z.string(),
  summaryZh: z.string(),
  usesPoints: z.boolean(),
  /** Whether the route takes new applications. */
  active: z.boolean(),
  criteria: z.array(criterion),
  checklist: z.array(checklistItem.omit({ hint: true, hintZh: true })),
});
const rule = z.object({
  id: z.number(),
  indicator: z.string(),
  input: z.string(),
  kind: z.enum(RULE_KINDS),
  match: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  unit: z.number().nullable(),
  cap: z.number().nullable(),
  points: z.number(),
  requiresInput: z.string().nullable(),
  requiresMin: z.number().nullable(),
  label: z.string(),
  labelZh: z.string(),
  asOf: z.string(),
  sourceUrl: z.string(),
  sourceLabel: z.string(),
  illustrative: z.boolean(),
  sort: z.number(),
  updatedAt: z.string(),
});
const reason = z.object({ code: z.string(), label: z.string(), labelZh: z.string(), rule: z.string(), ruleZh: z.string() });
const person = z.object({ email: z.string(), name: z.string() }).nullable();
/** What the applicant sees: the public state, so a recommendation reads `awaiting_decision`. */
const publicStateOutput = z.enum([...APPLICATION_STATES.filter((s) => s !== 'recommended_approve' && s !== 'recommended_refuse'), 'awaiting_decision']);
const applicantCase = z.object({
  id: z.number(),
  reference: z.string().nullable(),
  state: publicStateOutput,
  route: z.object({ id: z.number(), slug: z.string(), name: z.string(), nameZh: z.string(), checklist: z.array(checklistItem), criteria: z.array(criterion) }),
  answers: z.record(z.string(), z.unknown()),
  documents: z.array(z.object({ id: z.number(), item: z.string(), name: z.string(), type: documentType, size: z.number(), sha256: z.string(), uploadedAt: z.string(), superseded: z.boolean(), url: z.string() })),
  /** What still stops a draft or incomplete case from being submitted; null in other states. */
  missing: z.object({ sections: z.array(z.enum(SECTIONS)), documents: z.array(z.string()) }).nullable(),
  request: z.object({ items: z.array(z.object({ key: z.string(), text: z.string() })), dueDate: z.string().nullable(), message: z.string().nullable() }).nullable(),
  events: z.array(z.object({ from: publicStateOutput.nullable(), to: publicStateOutput, at: z.string(), details: z.record(z.string(), z.unknown()) })),
  submittedAt: z.string().nullable(),
  createdAt: z.string(),
  decision: z.object({ outcome: z.enum(['approved', 'refused']), reasons: z.array(reason), text: z.string().nullable(), decidedAt: z.string().nullable() }).nullable(),
});
/** What settlement staff see: the real state, who works on the case, the recommendation and the notes. */
const staffCase = applicantCase.extend({
  state: z.enum(APPLICATION_STATES),
  events: z.array(z.object({ from: z.enum(APPLICATION_STATES).nullable(), to: z.enum(APPLICATION_STATES), at: z.string(), actor: z.string().nullable(), details: z.record(z.string(), z.unknown()) })),
  applicant: person,
  assignee: person,
  recommendation: z.object({ by: person, reasons: z.array(reason), text: z.string().nullable() }).nullable(),
  notes: z.array(z.object({ id: z.number(), body: z.string(), at: z.string(), author: z.string() })),
});
const caseOutput = z.union([applicantCase, staffCase]);
const stateOutput = z.object({ id: z.number(), state: z.enum(APPLICATION_STATES), reference: z.string().nullable() });
const queueItem = z.object({
  id: z.number(),
  reference: z.string().nullable(),
  state: z.enum(APPLICATION_STATES),
  route: z.string(),
  routeName: z.string(),
  routeNameZh: z.string(),
  applicant: z.string(),
  /** Masked: the first two and last two characters only. */
  idNumber: z.string(),
  assignee: z.string().nullable(),
  submittedAt: z.string().nullable(),
  ageDays: z.number(),
  dueDate: z.string().nullable(),
});
const T = 'Settlement';

export const settlementApiRoutes: RouteDoc[] = [
  { method: 'get', path: '/settlement/routes', tag: T, summary: 'Settlement routes with their eligibility criteria and document checklist keys', responses: { 200: z.object({ items: z.array(routeOutput) }) } },
  { method: 'get', path: '/settlement/routes/{slug}', tag: T, summary: 'One settlement route', responses: { 200: routeOutput } },
  { method: 'patch', path: '/settlement/routes/{slug}', tag: T, summary: 'Edit a route: names, criteria, checklist, open or closed (admins; audit-logged)', auth: true, body: routeEditInput, responses: { 200: routeOutput } },
  { method: 'get', path: '/settlement/rules', tag: T, summary: 'The points rules (each with its "as of" date and source link)', responses: { 200: z.object({ items: z.array(rule) }) } },
  { method: 'patch', path: '/settlement/rules/{id}', tag: T, summary: 'Edit one points rule (admins; audit-logged)', auth: true, body: ruleEditInput, responses: { 200: rule } },
  { method: 'get', path: '/settlement/reason-codes', tag: T, summary: 'Reason codes for recommendations and decisions (approve or refuse), each with the rule it rests on', responses: { 200: z.object({ items: z.array(z.object({ code: z.string(), outcome: z.enum(['approve', 'refuse']), label: z.string(), labelZh: z.string(), rule: z.string(), ruleZh: z.string() })) }) } },
  { method: 'post', path: '/settlement/estimate', tag: T, summary: 'Indicative points for the points route: points per indicator, total against 120, what would change the result', body: estimateInput, responses: { 200: estimateOutput } },
  { method: 'get', path: '/settlement/applications', tag: T, summary: 'Your own applications; `state` is the public state (`awaiting_decision` while a recommendation waits for the approver)', auth: true, responses: { 200: z.object({ items: z.array(z.object({ id: z.number(), reference: z.string().nullable(), state: publicStateOutput, route: z.string() })) }) } },
  { method: 'post', path: '/settlement/applications', tag: T, summary: 'Start a draft application on a route (by slug)', auth: true, body: createApplicationInput, responses: { 201: z.object({ id: z.number(), state: z.literal('draft'), route: z.string() }) } },
  { method: 'get', path: '/settlement/applications/{id}', tag: T, summary: 'A case (404 for anybody who may not see it): the applicant sees their own, with the public `state` (`awaiting_decision` instead of a recommendation) and no notes, recommendation or assignee; an officer sees unassigned cases in the queue and the cases assigned to them; an approver sees cases awaiting a decision and the ones they decided', auth: true, responses: { 200: caseOutput } },
  { method: 'patch', path: '/settlement/applications/{id}', tag: T, summary: 'Merge answers into a draft (sections personal, criteria, company, declaration)', auth: true, body: patchApplicationInput, responses: { 200: caseOutput } },
  { method: 'post', path: '/settlement/applications/{id}/documents', tag: T, summary: 'Upload a PDF/PNG/JPEG (at most 10,000,000 bytes) for a checklist item; replaces the item’s file until submission', auth: true, multipart: { item: 'string', file: 'binary' }, responses: { 201: z.object({ id: z.number(), item: z.string(), name: z.string(), type: z.string(), size: z.number(), sha256: z.string(), url: z.string() }) } },
  { method: 'get', path: '/settlement/applications/{id}/documents/{documentId}', tag: T, summary: 'Download a document as an attachment (staff views are audit-logged)', auth: true, responses: { 200: { contentType: ['application/pdf', 'image/png', 'image/jpeg'] } } },
  { method: 'post', path: '/settlement/applications/{id}/submit', tag: T, summary: 'Submit: freezes the answers and issues the reference number (409 when a required document is missing)', auth: true, responses: { 200: z.object({ id: z.number(), reference: z.string(), state: z.literal('submitted') }) } },
  { method: 'post', path: '/settlement/applications/{id}/transitions', tag: T, summary: 'Move a case to another state (409 with the reason when refused). `reasons`: codes from /settlement/reason-codes (or {code, text}) plus `text` of at least 10 characters, for recommendations and decisions; `items` (checklist keys or free text, each once) and one future `dueDate` for incomplete / information_requested; `assignee` (an officer’s email) when starting the review', auth: true, body: transitionInput, responses: { 200: stateOutput } },
  { method: 'post', path: '/settlement/applications/{id}/notes', tag: T, summary: 'Add an internal note (staff only; never shown to the applicant)', auth: true, body: noteInput, responses: { 201: z.object({ id: z.number(), body: z.string(), at: z.string() }) } },
  { method: 'get', path: '/settlement/queue', tag: T, summary: 'The review queue: exactly the cases this officer or approver may open (unassigned queue and own cases; awaiting decision and own decisions), filtered by state, route and age; identity numbers masked', auth: true, query: queueQuery, responses: { 200: z.object({ items: z.array(queueItem), total: z.number(), page: z.number(), perPage: z.number() }) } },
];
