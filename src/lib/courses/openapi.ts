import { z } from 'zod';
import { ENROLLMENT_STATUSES } from '@db/schema';
import type { RouteDoc } from '~/lib/http/openapi';
import { completionInput, courseInput, courseListQuery, courseOutput, courseUpdate, enrollmentOutput, sessionInput, sessionOutput, sessionUpdate } from './schemas';

const list = z.object({ items: z.array(courseOutput), total: z.number(), page: z.number(), perPage: z.number() });
const rosterEntry = z.object({ id: z.number(), name: z.string(), email: z.string(), status: z.string(), position: z.number().nullable(), enrolledAt: z.string().nullable(), requestedAt: z.string(), certificateCode: z.string().nullable() });
const certificate = z.object({ code: z.string(), valid: z.boolean(), recipientName: z.string(), courseId: z.number(), courseTitle: z.string(), courseTitleZh: z.string().nullable(), providers: z.array(z.object({ name: z.string(), nameZh: z.string().nullable(), slug: z.string() })), sessionStartsAt: z.string(), issuedAt: z.string() });
const mine = z.object({ items: z.array(z.object({ id: z.number(), status: z.enum(ENROLLMENT_STATUSES), position: z.number().nullable(), sessionId: z.number(), startsAt: z.string(), endsAt: z.string(), timezone: z.string(), location: z.string(), onlineUrl: z.string().nullable(), cancellationDeadline: z.string(), course: z.object({ id: z.number(), title: z.string(), titleZh: z.string().nullable() }), certificateCode: z.string().nullable() })), calendarFeedUrl: z.string() });

export const courseRoutes: RouteDoc[] = [
  { method: 'get', path: '/courses', tag: 'Courses', summary: 'Courses you may see (published ones, plus drafts and unpublished courses of organizations you edit for), filtered (category, language, mode, provider, price, startsWithin days), sorted and paginated', query: courseListQuery, responses: { 200: list } },
  { method: 'post', path: '/courses', tag: 'Courses', summary: 'Create a draft course for a verified providing organization you edit, with partner organizations', auth: true, body: courseInput, responses: { 201: courseOutput } },
  { method: 'get', path: '/courses/{id}', tag: 'Courses', summary: 'One course with its providers and sessions (drafts only to its editors)', responses: { 200: courseOutput } },
  { method: 'patch', path: '/courses/{id}', tag: 'Courses', summary: 'Edit a course (editors of the lead or a partner organization)', auth: true, body: courseUpdate, responses: { 200: courseOutput } },
  { method: 'post', path: '/courses/{id}/publish', tag: 'Courses', summary: 'Publish a course: it appears in the catalog and in search', auth: true, responses: { 200: courseOutput } },
  { method: 'post', path: '/courses/{id}/unpublish', tag: 'Courses', summary: 'Unpublish a course: it leaves the catalog and search', auth: true, responses: { 200: courseOutput } },
  { method: 'post', path: '/courses/{id}/sessions', tag: 'Courses', summary: 'Add a session; enrollment opens now and closes at the start, cancellation until 24 hours before the start, unless given', auth: true, body: sessionInput, responses: { 201: sessionOutput } },
  { method: 'get', path: '/sessions/{id}', tag: 'Courses', summary: 'One session with seats left and waitlist length', responses: { 200: sessionOutput } },
  { method: 'patch', path: '/sessions/{id}', tag: 'Courses', summary: 'Edit a session; raising capacity promotes from the waitlist, lowering it below the seats taken is refused (409); `cancelled: true` cancels it and notifies everyone on it; a changed start, end, time zone, location or online link notifies everyone enrolled or waitlisted (in-app and by email) with old → new', auth: true, body: sessionUpdate, responses: { 200: sessionOutput } },
  { method: 'post', path: '/sessions/{id}/enrollments', tag: 'Courses', summary: 'Enroll: a seat if one is left, else the waitlist with a position; 409 `already_enrolled`, 409 `full` when the waitlist is full too', auth: true, responses: { 201: enrollmentOutput } },
  { method: 'get', path: '/sessions/{id}/roster', tag: 'Courses', summary: 'The roster of a session (its providers); `?format=csv` for CSV with a UTF-8 BOM', auth: true, responses: { 200: { json: z.object({ session: sessionOutput, entries: z.array(rosterEntry) }), contentType: 'text/csv' } } },
  { method: 'delete', path: '/enrollments/{id}', tag: 'Courses', summary: 'Cancel your enrollment (before the cancellation deadline) or waitlist place, or remove someone from your roster (status `removed`; they are notified); the first waitlisted person is promoted', auth: true, responses: { 200: z.object({ id: z.number(), status: z.string(), promoted: z.array(z.number()) }) } },
  { method: 'post', path: '/enrollments/{id}/completion', tag: 'Courses', summary: 'Mark a participant completed (issues a certificate) or not completed (providers, after the session started)', auth: true, body: completionInput.omit({ enrollmentId: true }), responses: { 200: z.object({ id: z.number(), status: z.string(), certificateCode: z.string().nullable() }) } },
  { method: 'get', path: '/me/enrollments', tag: 'Courses', summary: 'Your enrollments and the address of your personal calendar feed', auth: true, responses: { 200: mine } },
  { method: 'get', path: '/certificates/{code}', tag: 'Courses', summary: 'Verify a certificate by its code; 404 when there is no valid certificate with it', responses: { 200: certificate } },
];
