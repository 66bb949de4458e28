import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { emailOutbox, notifications, users } from '@db/schema';

export interface Notice {
  kind: string;
  title: string;
  body?: string;
  url?: string;
  /** Also queue an email to the user's address. */
  email?: boolean;
}

/** Tells a user about a change that concerns them: in the app, and by mail when asked. */
export function notify(db: DbOrTx, userId: string, notice: Notice) {
  db.insert(notifications)
    .values({ userId, kind: notice.kind, title: notice.title, body: notice.body ?? '', url: notice.url ?? null })
    .run();
  if (notice.email) {
    const user = db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
    if (user) queueEmail(db, user.email, notice.title, [notice.body, notice.url].filter(Boolean).join('\n\n'));
  }
}

/**
 * A mail subject is one header line: CR, LF and every other control or separator character
 * become a space, so no text that reached a subject (an organization's name, a course title) can
 * add a header. The schemas refuse such text already (src/lib/forms/text.ts); this is the last
 * line of defence for anything stored before they did.
 */
export function headerSafe(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
}

export function queueEmail(db: DbOrTx, to: string, subject: string, body: string) {
  db.insert(emailOutbox).values({ toAddress: headerSafe(to), subject: headerSafe(subject), body }).run();
}

export function listNotifications(db: DbOrTx, userId: string, { page = 1, perPage = 20 } = {}) {
  const rows = db
    .select()
    .from(notifications)
    .where(eq(notifications.userId, userId))
    .orderBy(desc(notifications.id))
    .limit(perPage)
    .offset((page - 1) * perPage)
    .all();
  const total = db.select({ n: count() }).from(notifications).where(eq(notifications.userId, userId)).get()!.n;
  return { rows, total, page, perPage };
}

export function unreadCount(db: DbOrTx, userId: string): number {
  return db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .get()!.n;
}

export function markRead(db: DbOrTx, userId: string, ids?: number[]) {
  db.update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        ids?.length ? inArray(notifications.id, ids) : undefined,
      ),
    )
    .run();
}
