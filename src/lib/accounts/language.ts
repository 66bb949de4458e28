import { eq } from 'drizzle-orm';
import { write, type Db } from '@db/client';
import { users } from '@db/schema';
import type { Lang } from '~/i18n';

/**
 * The language a person last used the pages in becomes the language of their notices and mail
 * (`users.locale`). Called only when it changed, so an ordinary page view writes nothing.
 */
export function rememberLanguage(db: Db, userId: string, lang: Lang) {
  write(db, (tx) => tx.update(users).set({ locale: lang }).where(eq(users.id, userId)).run());
}
