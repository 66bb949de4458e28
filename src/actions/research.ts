/**
 * Research forms. The project form sends repeated rows (people, partners, funding, corridors) as
 * parallel fields; `projectFromForm` turns them into the API's shape so one zod schema validates
 * both doors, and field errors come back keyed by the row the user typed in.
 */
import { z } from 'zod';
import { Invalid, type FieldErrors } from '~/lib/errors';
import { parseWith } from '~/lib/http/api';
import { parseMajorAmount } from '~/lib/research/codes';
import { findingInput, findingUpdate, projectInput, projectUpdate, unpublishInput, versionInput } from '~/lib/research/schemas';
import { addVersion, createFinding, createProject, publishFinding, unpublishFinding, updateDraftVersion, updateFinding, updateProject } from '~/lib/research/service';
import { defineFormAction } from './form';
import { run } from './run';

const text = z.string().optional();
const rows = z.array(z.string()).optional();

export const projectForm = z.object({
  id: z.coerce.number().int().optional(),
  organizationSlug: text,
  title: text,
  titleZh: text,
  acronym: text,
  abstractMd: text,
  status: text,
  startDate: text,
  endDate: text,
  keywords: text,
  topics: rows,
  personName: rows,
  personRole: rows,
  personOrcid: rows,
  personEmail: rows,
  partnerSlug: rows,
  partnerRole: rows,
  funder: rows,
  awardNumber: rows,
  amount: rows,
  currency: rows,
  corridorOrigin: rows,
  corridorDestination: rows,
});
type ProjectForm = z.infer<typeof projectForm>;

/** Rows with anything typed in them, remembering where each sat on the form. */
function filledRows<T>(count: number, build: (i: number) => T, filled: (i: number) => boolean) {
  const at: number[] = [];
  const items: T[] = [];
  for (let i = 0; i < count; i++) {
    if (!filled(i)) continue;
    at.push(i);
    items.push(build(i));
  }
  return { items, at };
}

const blank = (v: string | undefined) => !v || !v.trim();

export function projectFromForm(f: ProjectForm) {
  const g = (list: string[] | undefined, i: number) => list?.[i]?.trim() ?? '';
  const people = filledRows(
    f.personName?.length ?? 0,
    (i) => ({ name: g(f.personName, i), role: g(f.personRole, i), orcid: g(f.personOrcid, i), email: g(f.personEmail, i) }),
    (i) => !blank(f.personName?.[i]) || !blank(f.personOrcid?.[i]) || !blank(f.personEmail?.[i]),
  );
  const partners = filledRows(
    f.partnerSlug?.length ?? 0,
    (i) => ({ organizationSlug: g(f.partnerSlug, i), role: g(f.partnerRole, i) }),
    (i) => !blank(f.partnerSlug?.[i]),
  );
  const funding = filledRows(
    f.funder?.length ?? 0,
    (i) => {
      const currency = g(f.currency, i).toUpperCase();
      const amount = g(f.amount, i);
      let amountMinor: number | undefined;
      if (amount) {
        try {
          amountMinor = parseMajorAmount(amount, currency || 'CNY') ?? Number.NaN;
        } catch {
          amountMinor = Number.NaN; // an unknown currency: its own message explains
        }
      }
      return { funder: g(f.funder, i), awardNumber: g(f.awardNumber, i), amountMinor, currency };
    },
    (i) => !blank(f.funder?.[i]) || !blank(f.amount?.[i]) || !blank(f.awardNumber?.[i]),
  );
  const corridors = filledRows(
    f.corridorOrigin?.length ?? 0,
    (i) => ({ origin: g(f.corridorOrigin, i), destination: g(f.corridorDestination, i) }),
    (i) => !blank(f.corridorOrigin?.[i]) || !blank(f.corridorDestination?.[i]),
  );
  const value = {
    organizationSlug: f.organizationSlug,
    title: f.title,
    titleZh: f.titleZh,
    acronym: f.acronym,
    abstractMd: f.abstractMd,
    status: f.status,
    startDate: f.startDate,
    endDate: f.endDate,
    keywords: (f.keywords ?? '').split(/[,，;；\n]/).map((k) => k.trim()).filter(Boolean),
    topics: f.topics ?? [],
    people: people.items,
    partners: partners.items,
    funding: funding.items,
    corridors: corridors.items,
  };
  const positions: Record<string, number[]> = { people: people.at, partners: partners.at, funding: funding.at, corridors: corridors.at };
  /** Moves `people.1.orcid` to the form row the person was typed in. */
  const remap = (fields: FieldErrors | undefined): FieldErrors =>
    Object.fromEntries(
      Object.entries(fields ?? {}).map(([key, messages]) => {
        const m = /^(people|partners|funding|corridors)\.(\d+)\.(.+)$/.exec(key);
        return [m ? `${m[1]}.${positions[m[1]!]![Number(m[2])]}.${m[3]}` : key, messages];
      }),
    );
  return { value, remap };
}

function withRowErrors<T>(remap: (f: FieldErrors | undefined) => FieldErrors, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof Invalid) throw new Invalid(err.message, remap(err.fields));
    throw err;
  }
}

const findingForm = z.object({
  projectId: z.coerce.number().int(),
  type: text,
  title: text,
  titleZh: text,
  licence: text,
  access: text,
  embargoUntil: text,
  doi: text,
});

export const research = {
  createProject: defineFormAction({
    input: projectForm,
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        const { value, remap } = projectFromForm(input);
        const project = withRowErrors(remap, () => createProject(db, user, parseWith(projectInput, value)));
        return { id: project.id };
      }),
  }),
  updateProject: defineFormAction({
    input: projectForm,
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        const { value, remap } = projectFromForm(input);
        const { organizationSlug: _lead, ...rest } = value;
        const project = withRowErrors(remap, () =>
          updateProject(db, user, input.id ?? 0, parseWith(projectUpdate, { ...rest, endDate: rest.endDate?.trim() ? rest.endDate : null })),
        );
        return { id: project.id };
      }),
  }),
  createFinding: defineFormAction({
    input: findingForm,
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { projectId, ...fields } = input;
        const finding = createFinding(db, requireUser(), projectId, parseWith(findingInput, fields));
        return { id: finding.id };
      }),
  }),
  updateFinding: defineFormAction({
    input: findingForm.extend({ findingId: z.coerce.number().int() }).omit({ projectId: true }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { findingId, ...fields } = input;
        const finding = updateFinding(db, requireUser(), findingId, parseWith(findingUpdate, fields));
        return { id: finding.id };
      }),
  }),
  /** Adds a version, or saves the draft when `number` names one. */
  saveVersion: defineFormAction({
    input: z.object({ findingId: z.coerce.number().int(), number: z.coerce.number().int().optional(), bodyMd: text, changelog: text }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        const body = parseWith(versionInput, { bodyMd: input.bodyMd, changelog: input.changelog });
        const version = input.number
          ? updateDraftVersion(db, user, input.findingId, input.number, body)
          : addVersion(db, user, input.findingId, body);
        return { findingId: input.findingId, number: version.number };
      }),
  }),
  publish: defineFormAction({
    input: z.object({ findingId: z.coerce.number().int() }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { number } = publishFinding(db, requireUser(), input.findingId);
        return { findingId: input.findingId, number };
      }),
  }),
  unpublish: defineFormAction({
    input: z.object({ findingId: z.coerce.number().int(), reason: text }),
    handler: (input, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const user = requireUser();
        unpublishFinding(db, user, input.findingId, parseWith(unpublishInput, { reason: input.reason }).reason);
        return { findingId: input.findingId };
      }),
  }),
};
