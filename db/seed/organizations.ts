/**
 * One organization still waiting for verification, registered by the demo entrepreneur, so the
 * admin's verification queue (/admin/organizations) has something to show in the demo.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { memberships, organizations, users } from '../schema';
import { DEMO_ACCOUNTS } from './demo-accounts';

export function seedPendingOrganization(db: Db) {
  db.transaction((tx) => {
    const slug = 'qingpu-cross-border-startup-studio';
    if (tx.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug)).get()) return;
    const owner = tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = ${DEMO_ACCOUNTS.entrepreneur.email}`).get();
    if (!owner) return;
    const org = tx
      .insert(organizations)
      .values({
        slug,
        name: 'Qingpu Cross-border Startup Studio',
        nameZh: '青浦跨境创业工作室',
        type: 'company',
        website: 'https://studio.demo.portal.test',
        descriptionMd:
          'A small studio helping first-time sellers open stores on overseas marketplaces. (Demo data.)\n\n帮助首次出海的卖家在海外平台开店的小型工作室。（演示数据）',
      })
      .returning()
      .get();
    tx.insert(memberships).values({ organizationId: org.id, userId: owner.id, role: 'owner' }).run();
  });
}
