import { z } from 'zod';
import { COURSE_CATEGORIES, COURSE_LANGUAGES, COURSE_LEVELS, COURSE_MODES, ENROLLMENT_STATUSES } from '@db/schema';
import { multiLine, singleLine } from '~/lib/forms/text';

const optionalText = (max: number) =>
  multiLine(max)
    .optional()
    .transform((v) => (v ? v : undefined));

const optionalLine = (max: number) =>
  singleLine(max)
    .optional()
    .transform((v) => (v ? v : undefined));

/** Forms send one string per checkbox or a comma list; the API sends arrays. */
const stringList = (item: z.ZodType<string>, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v),
    z.array(item).max(max, `Give at most ${max}.`),
  );

/** Zones already found valid: building a DateTimeFormat to try one costs more than the rest of a session's checks. */
const knownZones = new Set<string>();

export const isTimeZone = (tz: string) => {
  if (knownZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    return false; // not kept: what is kept is bounded by the zones that exist
  }
  knownZones.add(tz);
  return true;
};

export const courseInput = z.object({
  organizationSlug: singleLine(100, { error: 'Choose the lead organization.' }).min(1, 'Choose the lead organization.'),
  partnerSlugs: stringList(singleLine(100).min(1), 10).optional(),
  title: singleLine(200, { error: 'Enter the course title.' }).min(3, 'Enter a course title of at least 3 characters.'),
  titleZh: optionalLine(200),
  summary: multiLine(500, { error: 'Enter a short summary.' }).min(10, 'Enter a summary of at least 10 characters.'),
  summaryZh: optionalText(500),
  descriptionMd: optionalText(30_000),
  category: z.enum(COURSE_CATEGORIES, { error: 'Choose a category.' }),
  languages: stringList(z.enum(COURSE_LANGUAGES, { error: 'Choose Chinese or English.' }), 2).refine((v) => v.length > 0, 'Choose at least one teaching language.'),
  mode: z.enum(COURSE_MODES, { error: 'Choose online, in person or blended.' }),
  level: z.enum(COURSE_LEVELS, { error: 'Choose a level.' }).optional(),
  prerequisites: optionalText(2000),
  priceCny: z.coerce
    .number({ error: 'Enter a price in yuan (0 for free).' })
    .int('Enter whole yuan.')
    .min(0, 'The price cannot be negative.')
    .max(1_000_000, 'Enter at most 1,000,000 yuan.'),
  tags: stringList(singleLine(40).min(1), 20).optional(),
});
export type CourseInput = z.infer<typeof courseInput>;

export const courseUpdate = courseInput.omit({ organizationSlug: true }).partial();
export type CourseUpdate = z.infer<typeof courseUpdate>;

/** ISO 8601 with an offset or Z for the API; forms convert local times before validation. */
const instant = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), message)
    .transform((v) => new Date(v));

const optionalInstant = (message: string) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), instant(message).optional());

export const sessionInput = z.object({
  startsAt: instant('Enter the start as an ISO 8601 date and time with an offset.'),
  endsAt: instant('Enter the end as an ISO 8601 date and time with an offset.'),
  timezone: singleLine(100, { error: 'Choose a time zone.' }).refine(isTimeZone, 'Choose a time zone such as Asia/Shanghai.'),
  location: optionalLine(300),
  onlineUrl: singleLine(500)
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(z.url({ protocol: /^https?$/, error: 'Enter a link starting with https://.' }).optional()),
  capacity: z.coerce.number({ error: 'Enter the number of seats.' }).int('Enter a whole number.').min(1, 'Offer at least one seat.').max(100_000),
  waitlistLimit: z.coerce.number({ error: 'Enter the waitlist size (0 for none).' }).int('Enter a whole number.').min(0, 'The waitlist cannot be negative.').max(100_000),
  enrollmentOpensAt: optionalInstant('Enter an ISO 8601 date and time with an offset.'),
  enrollmentClosesAt: optionalInstant('Enter an ISO 8601 date and time with an offset.'),
  cancellationDeadline: optionalInstant('Enter an ISO 8601 date and time with an offset.'),
});
export type SessionInput = z.infer<typeof sessionInput>;

export const sessionUpdate = sessionInput.partial().extend({
  cancelled: z.boolean().optional(),
  cancelReason: optionalText(1000),
});
export type SessionUpdate = z.infer<typeof sessionUpdate>;

export const COURSE_SORTS = ['soonest', 'newest', 'price', 'title'] as const;

export const courseListQuery = z.object({
  category: z.enum(COURSE_CATEGORIES).optional().catch(undefined),
  language: z.enum(COURSE_LANGUAGES).optional().catch(undefined),
  mode: z.enum(COURSE_MODES).optional().catch(undefined),
  provider: optionalLine(100).catch(undefined),
  price: z.enum(['free', 'paid']).optional().catch(undefined),
  /** Only courses with a session starting within this many days. */
  startsWithin: z.coerce.number().int().min(1).max(3650).optional().catch(undefined),
  sort: z.enum(COURSE_SORTS).default('soonest').catch('soonest'),
  page: z.coerce.number().int().min(1).max(10_000).default(1).catch(1),
  perPage: z.coerce.number().int().min(1).max(100).default(20).catch(20),
});
export type CourseListQuery = z.infer<typeof courseListQuery>;

export const completionInput = z.object({
  enrollmentId: z.coerce.number().int().positive(),
  completed: z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean({ error: 'Say completed or not completed.' })),
});

export const sessionOutput = z.object({
  id: z.number(),
  courseId: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  timezone: z.string(),
  location: z.string(),
  onlineUrl: z.string().nullable(),
  capacity: z.number(),
  seatsTaken: z.number(),
  seatsLeft: z.number(),
  waitlistLimit: z.number(),
  waitlistLength: z.number(),
  enrollmentOpensAt: z.string(),
  enrollmentClosesAt: z.string(),
  cancellationDeadline: z.string(),
  status: z.enum(['scheduled', 'cancelled']),
});

const providerOutput = z.object({ slug: z.string(), name: z.string(), nameZh: z.string().nullable(), type: z.string(), role: z.enum(['lead', 'partner']) });

export const courseOutput = z.object({
  id: z.number(),
  status: z.enum(['draft', 'published', 'unpublished']),
  title: z.string(),
  titleZh: z.string().nullable(),
  summary: z.string(),
  summaryZh: z.string().nullable(),
  descriptionMd: z.string(),
  category: z.enum(COURSE_CATEGORIES),
  languages: z.array(z.string()),
  mode: z.enum(COURSE_MODES),
  level: z.enum(COURSE_LEVELS),
  prerequisites: z.string(),
  priceCny: z.number(),
  tags: z.array(z.string()),
  providers: z.array(providerOutput),
  nextStartsAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  sessions: z.array(sessionOutput).optional(),
});

export const enrollmentOutput = z.object({
  id: z.number(),
  sessionId: z.number(),
  status: z.enum(ENROLLMENT_STATUSES),
  position: z.number().nullable(),
});
