import { afterAll, describe, expect, it } from 'vitest';
import { seed } from '../db/seed';
import { listOrganizations, listPendingOrganizations } from '../src/lib/organizations/queries';
import { testDb } from './helpers/db';

const db = testDb();
afterAll(() => db.cleanup());

describe('demo organizations', () => {
  it('give the admin queue one pending organization, once, and the directory every type', async () => {
    await seed(db);
    await seed(db);
    const { items: pending, total } = listPendingOrganizations(db);
    expect(total).toBe(1);
    expect(pending.map((o) => o.slug)).toEqual(['qingpu-cross-border-startup-studio']);
    expect(pending[0]!.owners.map((o) => o.email)).toEqual(['entrepreneur@demo.portal.test']);
    const types = new Set(listOrganizations(db, { perPage: 100 }).items.map((o) => o.type));
    expect([...types].sort()).toEqual(['company', 'government', 'industry_body', 'ngo', 'research_facility', 'training_agency', 'university']);
  });
});
