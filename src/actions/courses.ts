import { defineAction } from 'astro:actions';
import { z } from 'zod';
import { parseWith } from '~/lib/http/api';
import { completionInput, courseInput, courseUpdate, sessionInput, sessionUpdate } from '~/lib/courses/schemas';
import {
  cancelEnrollment,
  createCourse,
  createSession,
  enrollInSession,
  markCompletion,
  publishCourse,
  rotateCalendarFeedToken,
  unpublishCourse,
  updateCourse,
  updateSession,
} from '~/lib/courses/service';
import { localToIso } from '~/lib/courses/time';
import { formInput } from '~/lib/forms/input';
import { defineFormAction } from './form';
import { run } from './run';

const id = z.coerce.number().int().positive();
const courseForm = courseInput.extend({ courseId: z.unknown() });
const sessionForm = sessionUpdate.extend({ courseId: z.unknown(), sessionId: z.unknown() });

/** Session forms type wall-clock times in the session's zone; the service wants instants. */
function sessionFields(form: FormData) {
  const raw = formInput(form, sessionForm) as Record<string, unknown>;
  const tz = typeof raw.timezone === 'string' ? raw.timezone : 'Asia/Shanghai';
  for (const key of ['startsAt', 'endsAt', 'enrollmentOpensAt', 'enrollmentClosesAt', 'cancellationDeadline']) {
    if (typeof raw[key] === 'string') raw[key] = localToIso(raw[key] as string, tz);
  }
  return raw;
}

export const courses = {
  create: defineAction({
    accept: 'form',
    handler: (form: FormData, ctx) =>
      run(ctx, ({ db, requireUser }) => ({ id: createCourse(db, requireUser(), parseWith(courseInput, formInput(form, courseInput))).id })),
  }),
  update: defineAction({
    accept: 'form',
    handler: (form: FormData, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { courseId, ...rest } = formInput(form, courseForm) as Record<string, unknown>;
        // The form posts every field, so an empty optional field means "clear it".
        const input = parseWith(courseUpdate, { titleZh: '', summaryZh: '', descriptionMd: '', prerequisites: '', tags: '', ...rest });
        const changes = { ...input, titleZh: input.titleZh ?? null, summaryZh: input.summaryZh ?? null, descriptionMd: input.descriptionMd ?? '', prerequisites: input.prerequisites ?? '', tags: input.tags ?? [] };
        return { id: updateCourse(db, requireUser(), parseWith(id, courseId), changes as typeof input).id };
      }),
  }),
  publish: defineFormAction({
    input: z.object({ courseId: id, publish: z.enum(['publish', 'unpublish']) }),
    handler: ({ courseId, publish }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const course = publish === 'publish' ? publishCourse(db, requireUser(), courseId) : unpublishCourse(db, requireUser(), courseId);
        return { id: course.id, status: course.status };
      }),
  }),
  createSession: defineAction({
    accept: 'form',
    handler: (form: FormData, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { courseId, ...rest } = sessionFields(form);
        return { id: createSession(db, requireUser(), parseWith(id, courseId), parseWith(sessionInput, rest)).id };
      }),
  }),
  updateSession: defineAction({
    accept: 'form',
    handler: (form: FormData, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const { sessionId, cancelled, ...rest } = sessionFields(form);
        const input = parseWith(sessionUpdate, { ...rest, ...(cancelled === true ? { cancelled: true } : {}) });
        const session = updateSession(db, requireUser(), parseWith(id, sessionId), input);
        return { id: session.id, courseId: session.courseId, status: session.status };
      }),
  }),
  enroll: defineFormAction({
    input: z.object({ sessionId: id }),
    handler: ({ sessionId }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const e = enrollInSession(db, requireUser(), sessionId);
        return { id: e.id, sessionId, status: e.status, position: e.position };
      }),
  }),
  cancelEnrollment: defineFormAction({
    input: z.object({ enrollmentId: id }),
    handler: ({ enrollmentId }, ctx) => run(ctx, ({ db, requireUser }) => cancelEnrollment(db, requireUser(), enrollmentId)),
  }),
  /** The roster's button: a provider removes someone; the next in line is promoted and both are told. */
  removeFromRoster: defineFormAction({
    input: z.object({ enrollmentId: id }),
    handler: ({ enrollmentId }, ctx) =>
      run(ctx, ({ db, requireUser }) => {
        const result = cancelEnrollment(db, requireUser(), enrollmentId, { providerOnly: true });
        return { id: result.id, status: result.status, promoted: result.promoted };
      }),
  }),
  markCompletion: defineFormAction({
    input: completionInput,
    handler: ({ enrollmentId, completed }, ctx) => run(ctx, ({ db, requireUser }) => markCompletion(db, requireUser(), enrollmentId, completed)),
  }),
  rotateFeed: defineAction({
    accept: 'form',
    handler: (_form: FormData, ctx) => run(ctx, ({ db, requireUser }) => ({ rotated: !!rotateCalendarFeedToken(db, requireUser().id) })),
  }),
};
