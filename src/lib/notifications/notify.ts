import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import { prepared, type DbOrTx } from '@db/client';
import { emailOutbox, notifications } from '@db/schema';
import { formatDate, localizePath, pick, useTranslations, type Lang } from '~/i18n';
import { dictionaries } from '~/i18n/dict';
import { publicOrigin } from '~/lib/http/origin';
import { MAIL_LIFETIME_MS } from '~/lib/mail/outbox';

const hasText = (key: string) => key in dictionaries.en;

/** A name given in both languages (a course's or organization's title): each reader gets theirs. */
export type Both = { en: string | null | undefined; zh: string | null | undefined };

export type NoticeParam = string | number | Date | Both;

export interface Notice {
  /**
   * What happened, and the dictionary key of its text: the title is `notice.<kind>` and the body
   * `notice.<kind>.body` when the dictionary has one (src/i18n/dict/notices.ts).
   */
  kind: string;
  /** Filled into the texts: names in both languages are picked, dates formatted, per reader. */
  params?: Record<string, NoticeParam>;
  /** Someone's own words (a reason, a comment), shown as written under the text. */
  note?: string | null;
  /** A path inside the portal, without a language prefix. */
  url?: string;
  /** Also mail it to the user's address. */
  email?: boolean;
}

export const both = (en: string | null | undefined, zh: string | null | undefined): Both => ({ en, zh });

/** A term from the dictionaries (a role, a decision) in both languages. */
export const termInBoth = (key: string): Both => ({ en: dictionaries.en[key], zh: dictionaries['zh-cn'][key] });

/** A term in the middle of an English sentence: "You are now owner of…". */
export const lowerEnglish = (term: Both): Both => ({ en: term.en?.toLowerCase(), zh: term.zh });

export function langOf(locale: string | null | undefined): Lang {
  return locale === 'en' ? 'en' : 'zh-cn';
}

/** A notice's title and body in one language. */
export function renderNotice(lang: Lang, notice: Pick<Notice, 'kind' | 'params' | 'note'>): { title: string; body: string } {
  const t = useTranslations(lang);
  const vars: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(notice.params ?? {})) {
    vars[name] = value instanceof Date ? formatDate(lang, value) : typeof value === 'object' ? pick(lang, value.en, value.zh) : value;
  }
  const bodyKey = `notice.${notice.kind}.body`;
  const text = hasText(bodyKey) ? t(bodyKey, vars) : '';
  return { title: t(`notice.${notice.kind}`, vars), body: [text, notice.note?.trim()].filter(Boolean).join('\n\n') };
}

/**
 * Tells a user about a change that concerns them: in the app, and by mail when asked, written in
 * their language (`users.locale`, which follows the language they last used the site in) at the
 * moment it happens.
 */
export function notify(db: DbOrTx, userId: string, notice: Notice) {
  // kept statements: a comment or a publication notifies each editor, so these run as often as writes do
  const user = prepared(db, `SELECT email, locale FROM users WHERE id = ?`).get(userId) as { email: string; locale: string | null } | undefined;
  if (!user) return;
  const lang = langOf(user.locale);
  const { title, body } = renderNotice(lang, notice);
  prepared(db, `INSERT INTO notifications (user_id, kind, title, body, url, created_at) VALUES (?, ?, ?, ?, ?, ?)`).run(userId, notice.kind, title, body, notice.url ?? null, Date.now());
  if (notice.email) {
    const link = notice.url ? useTranslations(lang)('notice.mail.link', { url: `${publicOrigin()}${localizePath(notice.url, lang)}` }) : '';
    queueEmail(db, user.email, title, [body, link].filter(Boolean).join('\n\n'));
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

/** `expiresAt`: when the mail is no longer worth sending; mail with an expiring link passes its token's. */
export function queueEmail(db: DbOrTx, to: string, subject: string, body: string, expiresAt = new Date(Date.now() + MAIL_LIFETIME_MS)) {
  db.insert(emailOutbox).values({ toAddress: headerSafe(to), subject: headerSafe(subject), body, expiresAt }).run();
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
