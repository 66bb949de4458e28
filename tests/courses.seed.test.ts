import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { courses } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_COURSE_TITLE } from '../db/seed/courses';
import { getCourse } from '../src/lib/courses/queries';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

describe('course seed', () => {
  it('publishes a bilingual course co-offered by the university and the company with two sessions, once', async () => {
    await seed(db);
    await seed(db);
    const rows = db.select().from(courses).where(eq(courses.title, DEMO_COURSE_TITLE)).all();
    expect(rows).toHaveLength(1);
    const course = getCourse(db, null, rows[0]!.id);
    expect(course.titleZh).toMatch(/跨境电商物流/);
    expect(course.providers.map((p) => p.slug)).toEqual(['huangpu-university-of-commerce', 'pujiang-bridge-logistics']);
    expect(course.sessions).toHaveLength(2);
    expect(db.select().from(courses).all().filter((c) => c.status === 'published').length).toBeGreaterThanOrEqual(4);
  });
});
