/**
 * Services and schemas speak English (the API's language). Forms show their messages in the UI
 * language: each domain dictionary may carry `err:<English message>` keys with the Chinese text.
 */
import type { Lang } from './index';
import { dictionaries } from './dict';

export function translateError(lang: Lang, message: string): string {
  if (lang === 'en') return message;
  const known = dictionaries['zh-cn'][`err:${message}`];
  if (known) return known;
  // The shared text fields (src/lib/forms/text.ts) say this for any length.
  const tooLong = /^Use at most ([\d,]+) characters\.$/.exec(message);
  return tooLong ? `最多 ${tooLong[1]} 个字符。` : message;
}
