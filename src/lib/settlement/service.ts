/**
 * The settlement service: routes and rules (admins), applications and their state machine,
 * documents, internal notes. Every write runs in one BEGIN IMMEDIATE transaction with its audit
 * entry and the notifications it causes.
 */
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import { write, type Db, type DbOrTx, type Tx } from '@db/client';
import {
  settlementApplications,
  settlementDocuments,
  settlementEvents,
  settlementNotes,
  settlementPointRules,
  settlementReferenceCounters,
  settlementRoutes,
  users,
  type ApplicationState,
  type ChecklistItem,
  type DocumentType,
  type RequestItem,
} from '@db/schema';
import type { SessionUser } from '~/lib/auth/sessions';
import { recordAudit } from '~/lib/audit/log';
import { Conflict, Forbidden, Invalid, NotFound, UnsupportedMediaType, zodFields, type FieldErrors } from '~/lib/errors';
import { CONTROL_CHARACTER_MESSAGE, isMultiLineText } from '~/lib/forms/text';
import { notify } from '~/lib/notifications/notify';
import { isAdmin } from '~/lib/organizations/policy';
import { estimatePoints, type EstimateInput } from './estimator';
import { caseVisibleTo, isApplicant, isApprover, isOfficer } from './policy';
import { refusalOf } from './lifecycle';
import { reasonByCode } from './reasons';
import {
  companySection,
  declarationSection,
  personalSection,
  SECTIONS,
  type EstimateInputData,
  type Section,
  type TransitionInput,
} from './schemas';
import { noticeFor } from './notices';
import { removeStoredFile } from './storage';

export type Application = typeof settlementApplications.$inferSelect;
export type Route = typeof settlementRoutes.$inferSelect;

const SUBJECT = 'settlement_application';

// ---------------------------------------------------------------- routes and rules

export function listRoutes(db: DbOrTx, { includeInactive = false } = {}) {
  return db
    .select()
    .from(settlementRoutes)
    .where(includeInactive ? undefined : eq(settlementRoutes.active, true))
    .orderBy(asc(settlementRoutes.sort), asc(settlementRoutes.id))
    .all();
}

export function getRoute(db: DbOrTx, slug: string): Route {
  const route = db.select().from(settlementRoutes).where(eq(settlementRoutes.slug, slug)).get();
  if (!route) throw new NotFound('No settlement route has that name.');
  return route;
}

export function listRules(db: DbOrTx) {
  return db.select().from(settlementPointRules).orderBy(asc(settlementPointRules.sort), asc(settlementPointRules.id)).all();
}

export function estimate(db: DbOrTx, input: EstimateInputData) {
  return estimatePoints(listRules(db), input as unknown as EstimateInput);
}

export function updateRoute(db: Db, user: SessionUser, slug: string, changes: Partial<Omit<Route, 'id' | 'slug' | 'updatedAt'>>) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins edit settlement routes.');
  return write(db, (tx) => {
    const before = getRoute(tx, slug);
    tx.update(settlementRoutes).set({ ...changes, updatedAt: new Date() }).where(eq(settlementRoutes.id, before.id)).run();
    recordAudit(tx, { actorId: user.id, action: 'settlement.route_updated', subjectType: 'settlement_route', subjectId: before.id, details: { slug, changed: Object.keys(changes) } });
    return getRoute(tx, slug);
  });
}

export function updateRule(db: Db, user: SessionUser, id: number, changes: Partial<typeof settlementPointRules.$inferInsert>) {
  if (!isAdmin(user)) throw new Forbidden('Only platform admins edit the points rules.');
  return write(db, (tx) => {
    const before = tx.select().from(settlementPointRules).where(eq(settlementPointRules.id, id)).get();
    if (!before) throw new NotFound('No points rule has that id.');
    tx.update(settlementPointRules).set({ ...changes, updatedAt: new Date() }).where(eq(settlementPointRules.id, id)).run();
    recordAudit(tx, { actorId: user.id, action: 'settlement.rule_updated', subjectType: 'settlement_point_rule', subjectId: id, details: { before, changes } });
    return tx.select().from(settlementPointRules).where(eq(settlementPointRules.id, id)).get()!;
  });
}

// ---------------------------------------------------------------- dates

const yearFormat = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' });
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date in Shanghai as YYYY-MM-DD: due dates are Shanghai calendar days. */
export const shanghaiToday = (now = new Date()) => dayFormat.format(now);

// ---------------------------------------------------------------- applications

export function createApplication(db: Db, user: SessionUser, routeSlug: string) {
  return write(db, (tx) => {
    const route = getRoute(tx, routeSlug);
    if (!route.active) throw new Conflict('This route is not open for applications.', 'route_closed');
    const app = tx
      .insert(settlementApplications)
      .values({ routeId: route.id, applicantId: user.id, state: 'draft', answers: {} })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'settlement.created', subjectType: SUBJECT, subjectId: app.id, details: { route: route.slug } });
    tx.insert(settlementEvents).values({ applicationId: app.id, actorId: user.id, fromState: null, toState: 'draft' }).run();
    return app;
  });
}

function findApplication(db: DbOrTx, id: number) {
  return db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get();
}

/** The case if `user` may see it (the one visibility rule, `caseVisibleTo`, that the queue uses too). */
function findVisible(db: DbOrTx, user: SessionUser | null, id: number) {
  return db.select().from(settlementApplications).where(and(eq(settlementApplications.id, id), caseVisibleTo(user))).get();
}

/**
 * The case as the user may see it, or 404. A case whose due date has passed lapses here, on
 * access, as well as in the scheduled check.
 */
export function loadCase(db: Db, user: SessionUser | null, id: number): Application {
  let app = findVisible(db, user, id);
  if (!app) throw new NotFound('No application with that number is visible to you.');
  if (isOverdue(app)) {
    lapseOverdue(db, new Date(), id);
    app = findVisible(db, user, id); // a lapsed case leaves the officers' queue
    if (!app) throw new NotFound('No application with that number is visible to you.');
  }
  return app;
}

const LAPSABLE: ApplicationState[] = ['incomplete', 'information_requested'];
const isOverdue = (app: Application, now = new Date()) => LAPSABLE.includes(app.state) && !!app.dueDate && app.dueDate < shanghaiToday(now);

/** Lapses every case (or one) whose due date has passed. Returns how many lapsed. */
export function lapseOverdue(db: Db, now = new Date(), onlyId?: number): number {
  return write(db, (tx) => {
    const due = tx
      .select()
      .from(settlementApplications)
      .where(
        and(
          inArray(settlementApplications.state, LAPSABLE),
          lt(settlementApplications.dueDate, shanghaiToday(now)),
          onlyId ? eq(settlementApplications.id, onlyId) : undefined,
        ),
      )
      .all();
    for (const app of due) move(tx, app, 'lapsed', null, { dueDate: app.dueDate });
    return due.length;
  });
}

export function listMyApplications(db: DbOrTx, user: SessionUser) {
  return db
    .select({ app: settlementApplications, route: settlementRoutes })
    .from(settlementApplications)
    .innerJoin(settlementRoutes, eq(settlementRoutes.id, settlementApplications.routeId))
    .where(eq(settlementApplications.applicantId, user.id))
    .orderBy(sql`${settlementApplications.id} desc`)
    .all();
}

export function routeOf(db: DbOrTx, app: Application): Route {
  return db.select().from(settlementRoutes).where(eq(settlementRoutes.id, app.routeId)).get()!;
}

function parseCriteria(route: Route, values: Record<string, unknown>, partial: boolean): { data: Record<string, string>; fields: FieldErrors } {
  const data: Record<string, string> = {};
  const fields: FieldErrors = {};
  for (const c of route.criteria) {
    const raw = values[c.key];
    const v = raw === undefined || raw === null ? '' : String(raw).trim();
    if (v === '') {
      if (!partial && c.required) fields[c.key] = [c.kind === 'yes_no' ? 'Choose yes or no.' : 'Answer this question.'];
      continue;
    }
    if (c.kind === 'yes_no' && v !== 'yes' && v !== 'no') fields[c.key] = ['Choose yes or no.'];
    else if (c.kind === 'number' && (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 1e12)) fields[c.key] = ['Enter a number (0 or more).'];
    else if (c.kind === 'text' && v.length > 2000) fields[c.key] = ['Use at most 2000 characters.'];
    else if (c.kind === 'text' && !isMultiLineText(v)) fields[c.key] = [CONTROL_CHARACTER_MESSAGE];
    else data[c.key] = v;
  }
  for (const key of Object.keys(values)) if (!route.criteria.some((c) => c.key === key)) fields[key] = ['This route does not ask that.'];
  return { data, fields };
}

const SECTION_SCHEMAS = { personal: personalSection, company: companySection, declaration: declarationSection } as const;

/** Validates one section; `partial` (the API's PATCH) lets fields be missing but not wrong. */
export function validateSection(route: Route, section: Section, values: Record<string, unknown>, partial: boolean) {
  if (section === 'criteria') return parseCriteria(route, values, partial);
  const schema = partial ? SECTION_SCHEMAS[section].partial() : SECTION_SCHEMAS[section];
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data as Record<string, unknown>, fields: {} as FieldErrors };
  return { data: {}, fields: zodFields(result.error.issues) };
}

function requireEditableDraft(app: Application, user: SessionUser) {
  if (!isApplicant(user, app)) throw new Conflict('Only the applicant changes the answers.', 'not_applicant');
  if (app.state !== 'draft') throw new Conflict('The answers were frozen when the application was submitted.', 'answers_frozen');
}

/**
 * Merges answers into a draft. Each section merges field by field, so a step saves without
 * touching the others. Invalid values are refused with messages per `section.field`.
 */
export function saveAnswers(db: Db, user: SessionUser, id: number, answers: Partial<Record<Section, Record<string, unknown>>>, { partial = true } = {}) {
  loadCase(db, user, id); // 404 for outsiders, and lapse on access
  return write(db, (tx) => {
    // Read inside the write: a save of another section that committed a moment ago is merged, not lost.
    const app = findVisible(tx, user, id);
    if (!app) throw new NotFound('No application with that number is visible to you.');
    requireEditableDraft(app, user);
    const route = routeOf(tx, app);
    const merged = structuredClone(app.answers);
    const fields: FieldErrors = {};
    for (const section of SECTIONS) {
      const values = answers[section];
      if (!values) continue;
      const result = validateSection(route, section, values, partial);
      for (const [k, v] of Object.entries(result.fields)) fields[partial ? `${section}.${k}` : k] = v;
      merged[section] = { ...(merged[section] ?? {}), ...result.data };
    }
    if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
    tx.update(settlementApplications).set({ answers: merged, updatedAt: new Date() }).where(eq(settlementApplications.id, id)).run();
    recordAudit(tx, { actorId: user.id, action: 'settlement.answers_saved', subjectType: SUBJECT, subjectId: id, details: { sections: Object.keys(answers) } });
    return findApplication(tx, id)!;
  });
}

/** What still stops a submission: unanswered sections and missing required documents. */
export function missingForSubmission(db: DbOrTx, app: Application) {
  const route = routeOf(db, app);
  const sections: Section[] = [];
  for (const section of SECTIONS) {
    const result = validateSection(route, section, app.answers[section] ?? {}, false);
    if (Object.keys(result.fields).length) sections.push(section);
  }
  const present = new Set(currentDocuments(db, app.id).map((d) => d.itemKey));
  const documents = route.checklist.filter((i) => i.required && !present.has(i.key)).map((i) => i.key);
  return { sections, documents };
}

function nextReference(tx: Tx, now: Date): string {
  const year = Number(yearFormat.format(now));
  const row = tx
    .insert(settlementReferenceCounters)
    .values({ year, last: 1 })
    .onConflictDoUpdate({ target: settlementReferenceCounters.year, set: { last: sql`${settlementReferenceCounters.last} + 1` } })
    .returning()
    .get();
  return `SH-TS-${year}-${String(row.last).padStart(6, '0')}`;
}

/** Freezes the answers and issues the reference number, in one transaction. */
export function submitApplication(db: Db, user: SessionUser, id: number) {
  loadCase(db, user, id); // 404 for outsiders, and an overdue resubmission lapses first
  return write(db, (tx) => {
    const app = findVisible(tx, user, id);
    if (!app) throw new NotFound('No application with that number is visible to you.');
    return submitInTx(tx, user, app);
  });
}

function submitInTx(tx: Tx, user: SessionUser, app: Application) {
  const refusal = refusalOf(user, app, 'submitted', []);
  if (refusal) throw new Conflict(refusal.message, refusal.code);
  const missing = missingForSubmission(tx, app);
  if (missing.sections.length || missing.documents.length) {
    const fields: FieldErrors = {};
    if (missing.sections.length) fields.sections = missing.sections;
    if (missing.documents.length) fields.documents = missing.documents;
    throw new Conflict(
      missing.documents.length ? `Upload every required document first: ${missing.documents.join(', ')}.` : `Complete every section first: ${missing.sections.join(', ')}.`,
      missing.documents.length ? 'missing_documents' : 'incomplete_answers',
      fields,
    );
  }
  const now = new Date();
  const reference = app.reference ?? nextReference(tx, now);
  tx.update(settlementApplications)
    .set({ reference, submittedAt: app.submittedAt ?? now, requestItems: null, requestMessage: null, dueDate: null })
    .where(eq(settlementApplications.id, app.id))
    .run();
  move(tx, { ...app, reference }, 'submitted', user.id, { reference });
  return { id: app.id, reference, state: 'submitted' as const };
}

// ---------------------------------------------------------------- transitions

interface Normalized {
  codes: string[];
  text: string;
}

function normalizeReasons(input: TransitionInput, outcome: 'approve' | 'refuse'): Normalized {
  const list = input.reasons ?? [];
  const codes = list.map((r) => (typeof r === 'string' ? r : r.code));
  const texts = list.flatMap((r) => (typeof r === 'string' || !r.text ? [] : [r.text]));
  const text = [input.text, ...texts].filter(Boolean).join('\n').trim();
  const fields: FieldErrors = {};
  if (!codes.length) fields.reasons = ['Choose at least one reason.'];
  for (const code of codes) {
    const reason = reasonByCode.get(code);
    if (!reason) (fields.reasons ??= []).push(`Unknown reason code: ${code}.`);
    else if (reason.outcome !== outcome) (fields.reasons ??= []).push(`Reason ${code} does not support this outcome.`);
  }
  if (text.length < 10) fields.text = ['Explain the reasons in at least 10 characters.'];
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
  return { codes: [...new Set(codes)], text };
}

function normalizeItems(input: TransitionInput, checklist: ChecklistItem[], now: Date): { items: RequestItem[]; dueDate: string } {
  const fields: FieldErrors = {};
  const items: RequestItem[] = [];
  const seen = new Set<string>();
  for (const raw of input.items ?? []) {
    const key = typeof raw === 'string' ? (checklist.some((c) => c.key === raw) ? raw : 'other') : raw.key || 'other';
    const text = typeof raw === 'string' ? (checklist.find((c) => c.key === raw)?.label ?? raw) : raw.text;
    const id = `${key}|${text.toLowerCase()}`;
    if (seen.has(id)) {
      (fields.items ??= []).push(`“${text}” is listed twice; list each missing item once.`);
      continue;
    }
    seen.add(id);
    items.push({ key, text });
  }
  if (!items.length) fields.items = ['List every missing item.'];
  const today = shanghaiToday(now);
  if (!input.dueDate) fields.dueDate = ['Give one due date for all items.'];
  else if (input.dueDate <= today) fields.dueDate = ['The due date must be after today.'];
  else if (Date.parse(input.dueDate) - Date.parse(today) > 90 * 86400_000) fields.dueDate = ['Give at most 90 days.'];
  if (Object.keys(fields).length) throw new Invalid('Some fields are not valid.', fields);
  return { items, dueDate: input.dueDate! };
}

/** Every state the case has been in, for moves made at most once (`once` in the lifecycle). */
export function historyOf(db: DbOrTx, id: number): string[] {
  return db.select({ to: settlementEvents.toState }).from(settlementEvents).where(eq(settlementEvents.applicationId, id)).all().map((e) => e.to);
}

/**
 * Moves a case to `input.to` if the lifecycle (`refusalOf`) lets the actor. Refusals are 409 with
 * the reason; a case the actor may not see is 404.
 */
export function transition(db: Db, user: SessionUser, id: number, input: TransitionInput, now = new Date()) {
  loadCase(db, user, id); // visibility, and lapse on access
  return write(db, (tx) => {
    // checked again inside the transaction: another officer may have just taken the case
    const app = findVisible(tx, user, id);
    if (!app) throw new NotFound('No application with that number is visible to you.');
    const refusal = refusalOf(user, app, input.to, historyOf(tx, id), input);
    if (refusal) throw new Conflict(refusal.message, refusal.code);
    if (input.to === 'submitted') return submitInTx(tx, user, app);
    makeMove(tx, user, app, input, now);
    const after = findApplication(tx, id)!;
    return { id, state: after.state, reference: after.reference };
  });
}

/** What each move does, once the lifecycle has allowed it. */
function makeMove(tx: Tx, user: SessionUser, app: Application, input: TransitionInput, now: Date) {
  const { id } = app;
  const to = input.to;
  switch (to) {
    case 'accepted':
      return move(tx, app, 'accepted', user.id, {});

    case 'incomplete':
    case 'information_requested': {
      const { items, dueDate } = normalizeItems(input, routeOf(tx, app).checklist, now);
      tx.update(settlementApplications).set({ requestItems: items, requestMessage: input.text ?? null, dueDate }).where(eq(settlementApplications.id, id)).run();
      return move(tx, app, to, user.id, { items, dueDate, message: input.text ?? null });
    }

    case 'in_review': {
      if (app.state === 'accepted') {
        const assignee = input.assignee ? officerByEmail(tx, input.assignee) : user.id;
        tx.update(settlementApplications).set({ assigneeId: assignee }).where(eq(settlementApplications.id, id)).run();
        move(tx, { ...app, assigneeId: assignee }, 'in_review', user.id, { assignee: input.assignee ?? user.email });
        if (assignee !== user.id) notify(tx, assignee, noticeFor('assigned', app, {}));
      } else if (app.state === 'information_requested') {
        tx.update(settlementApplications).set({ requestItems: null, dueDate: null }).where(eq(settlementApplications.id, id)).run();
        move(tx, app, 'in_review', user.id, { reply: input.text ?? null });
        if (isApplicant(user, app) && app.assigneeId) notify(tx, app.assigneeId, noticeFor('replied', app, {}));
      } else {
        // a case in review handed to another officer: no change of state
        const assignee = officerByEmail(tx, input.assignee!);
        tx.update(settlementApplications).set({ assigneeId: assignee, updatedAt: new Date() }).where(eq(settlementApplications.id, id)).run();
        recordAudit(tx, { actorId: user.id, action: 'settlement.reassigned', subjectType: SUBJECT, subjectId: id, details: { from: app.assigneeId, to: assignee } });
        if (assignee !== user.id) notify(tx, assignee, noticeFor('assigned', app, {}));
      }
      return;
    }

    case 'recommended_approve':
    case 'recommended_refuse': {
      const { codes, text } = normalizeReasons(input, to === 'recommended_approve' ? 'approve' : 'refuse');
      tx.update(settlementApplications).set({ recommenderId: user.id, recommendationCodes: codes, recommendationText: text }).where(eq(settlementApplications.id, id)).run();
      return move(tx, app, to, user.id, { internal: true, codes, text });
    }

    case 'approved':
    case 'refused': {
      const { codes, text } = normalizeReasons(input, to === 'approved' ? 'approve' : 'refuse');
      tx.update(settlementApplications).set({ deciderId: user.id, decisionCodes: codes, decisionText: text, decidedAt: now }).where(eq(settlementApplications.id, id)).run();
      return move(tx, app, to, user.id, { codes, text });
    }

    case 'withdrawn':
      return move(tx, app, 'withdrawn', user.id, { reason: input.text ?? null });

    default:
      throw new Error(`The lifecycle allows a move to ${to} that nothing makes.`);
  }
}

function officerByEmail(tx: Tx, email: string): string {
  const row = tx
    .select({ id: users.id, roles: sql<string>`(select group_concat(role) from user_roles where user_id = ${users.id})` })
    .from(users)
    .where(sql`lower(${users.email}) = ${email.toLowerCase()}`)
    .get();
  if (!row || !(row.roles ?? '').split(',').includes('settlement_officer')) {
    throw new Invalid('Some fields are not valid.', { assignee: ['That email does not belong to a settlement officer.'] });
  }
  return row.id;
}

/** Applicant-facing notices; recommendations are internal and tell the applicant nothing. */
const NOTIFY_APPLICANT: Partial<Record<ApplicationState, true>> = {
  submitted: true,
  accepted: true,
  incomplete: true,
  in_review: true,
  information_requested: true,
  approved: true,
  refused: true,
  lapsed: true,
  withdrawn: true,
};

/** Records the state change: row, event, audit entry, and the applicant's notification. */
function move(tx: Tx, app: Application, to: ApplicationState, actorId: string | null, details: Record<string, unknown>) {
  tx.update(settlementApplications).set({ state: to, updatedAt: new Date() }).where(eq(settlementApplications.id, app.id)).run();
  tx.insert(settlementEvents).values({ applicationId: app.id, actorId, fromState: app.state, toState: to, details }).run();
  recordAudit(tx, { actorId, action: `settlement.${to}`, subjectType: SUBJECT, subjectId: app.id, details: { from: app.state, to, reference: app.reference, ...details } });
  if (NOTIFY_APPLICANT[to]) notify(tx, app.applicantId, noticeFor(to, app, details));
}

// ---------------------------------------------------------------- notes

export function addNote(db: Db, user: SessionUser, id: number, body: string) {
  const app = loadCase(db, user, id);
  if (!isOfficer(user) && !isApprover(user)) throw new NotFound('No application with that number is visible to you.');
  return write(db, (tx) => {
    const note = tx.insert(settlementNotes).values({ applicationId: app.id, authorId: user.id, body }).returning().get();
    recordAudit(tx, { actorId: user.id, action: 'settlement.note_added', subjectType: SUBJECT, subjectId: app.id, details: { noteId: note.id } });
    return note;
  });
}

// ---------------------------------------------------------------- documents

export function currentDocuments(db: DbOrTx, applicationId: number) {
  return db
    .select()
    .from(settlementDocuments)
    .where(and(eq(settlementDocuments.applicationId, applicationId), isNull(settlementDocuments.supersededAt)))
    .orderBy(asc(settlementDocuments.id))
    .all();
}

/** States in which the applicant may upload: before submission (replacing) and when asked. */
const UPLOAD_STATES: ApplicationState[] = ['draft', 'incomplete', 'information_requested'];

/** Checked before the body is read, so a refused upload costs nothing. */
export function assertCanUpload(db: Db, user: SessionUser, id: number): Application {
  return requireUploadable(loadCase(db, user, id), user);
}

function requireUploadable(app: Application, user: SessionUser): Application {
  if (!isApplicant(user, app)) throw new Conflict('Only the applicant uploads documents.', 'not_applicant');
  if (!UPLOAD_STATES.includes(app.state)) throw new Conflict('Documents cannot be changed after submission unless an officer asks for them.', 'documents_frozen');
  return app;
}

export interface StoredUpload {
  storedName: string;
  originalName: string;
  size: number;
  sha256: string;
  type: DocumentType | null;
}

/**
 * Records an uploaded file against a checklist item. Before submission it replaces the item's
 * previous file; when an officer asked for more, the previous one is kept as superseded.
 */
export function recordDocument(db: Db, user: SessionUser, id: number, itemKey: string | undefined, file: StoredUpload) {
  const app = assertCanUpload(db, user, id);
  const route = routeOf(db, app);
  const item = route.checklist.find((i) => i.key === itemKey);
  if (!item) throw new Invalid('Some fields are not valid.', { item: [`Choose a checklist item: ${route.checklist.map((i) => i.key).join(', ')}.`] });
  if (!file.type) throw new UnsupportedMediaType('Only PDF, PNG and JPEG files are accepted; this file is none of them.');
  if (!item.accept.includes(file.type)) throw new UnsupportedMediaType(`This item accepts ${item.accept.map((a) => a.toUpperCase()).join(', ')} only.`);
  const replaced: string[] = [];
  const doc = write(db, (tx) => {
    // The state again, inside the write: the case may have been submitted while the file arrived.
    const current = findVisible(tx, user, id);
    if (!current) throw new NotFound('No application with that number is visible to you.');
    requireUploadable(current, user);
    const previous = tx
      .select()
      .from(settlementDocuments)
      .where(and(eq(settlementDocuments.applicationId, id), eq(settlementDocuments.itemKey, item.key), isNull(settlementDocuments.supersededAt)))
      .all();
    for (const p of previous) {
      if (current.state === 'draft') {
        tx.delete(settlementDocuments).where(eq(settlementDocuments.id, p.id)).run();
        replaced.push(p.storedName);
      } else {
        tx.update(settlementDocuments).set({ supersededAt: new Date() }).where(eq(settlementDocuments.id, p.id)).run();
      }
    }
    const row = tx
      .insert(settlementDocuments)
      .values({ applicationId: id, itemKey: item.key, storedName: file.storedName, originalName: file.originalName, type: file.type!, size: file.size, sha256: file.sha256, uploadedBy: user.id })
      .returning()
      .get();
    recordAudit(tx, { actorId: user.id, action: 'settlement.document_uploaded', subjectType: SUBJECT, subjectId: id, details: { documentId: row.id, item: item.key, sha256: file.sha256, size: file.size, replaced: previous.map((p) => p.id) } });
    return row;
  });
  for (const name of replaced) removeStoredFile(name);
  return doc;
}

/** A document for download, or 404. Every view by staff is written to the audit log. */
export function openDocument(db: Db, user: SessionUser | null, id: number, documentId: number) {
  const app = loadCase(db, user, id);
  const doc = db
    .select()
    .from(settlementDocuments)
    .where(and(eq(settlementDocuments.id, documentId), eq(settlementDocuments.applicationId, app.id)))
    .get();
  if (!doc) throw new NotFound('No such document on this application.');
  if (!isApplicant(user, app)) {
    write(db, (tx) =>
      recordAudit(tx, { actorId: user!.id, action: 'settlement.document_viewed', subjectType: SUBJECT, subjectId: app.id, details: { documentId: doc.id, item: doc.itemKey } }),
    );
  }
  return doc;
}
