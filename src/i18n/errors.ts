/**
 * Services and schemas speak English (the API's language). Forms show their messages in the UI
 * language: each domain dictionary may carry `err:<English message>` keys with the Chinese text.
 */
import type { Lang } from './index';
import { dictionaries } from './dict';

export function translateError(lang: Lang, message: string): string {
  if (lang === 'en') return message;
  return dictionaries['zh-cn'][`err:${message}`] ?? message;
}
