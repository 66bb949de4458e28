/**
 * Services and schemas speak English (the API's language). Forms show their messages in the UI
 * language: each domain dictionary may carry `err:<English message>` keys with the Chinese text,
 * and the messages with a number in them (src/lib/forms/messages.ts, src/lib/forms/text.ts) are
 * matched here. A message nobody translated is never shown raw on a Chinese page, and a raw
 * validator message ("Invalid input: …") is never shown at all: the person sees the fallback.
 */
import type { Lang } from './index';
import { dictionaries } from './dict';
import { schemeParsePatterns } from './dict/credit-schemes';

const WITH_NUMBER: [RegExp, string][] = [
  [/^Use at most ([\d,]+) characters\.$/, '最多 $1 个字符。'],
  [/^Use at least ([\d,]+) characters\.$/, '至少 $1 个字符。'],
  [/^Enter a number of at least (-?[\d,.]+)\.$/, '请输入不小于 $1 的数字。'],
  [/^Enter a number greater than (-?[\d,.]+)\.$/, '请输入大于 $1 的数字。'],
  [/^Enter a number no greater than (-?[\d,.]+)\.$/, '请输入不大于 $1 的数字。'],
  [/^Enter a number less than (-?[\d,.]+)\.$/, '请输入小于 $1 的数字。'],
  [/^Choose at least ([\d,]+)\.$/, '请至少选择 $1 项。'],
  [/^Choose at most ([\d,]+)\.$/, '最多选择 $1 项。'],
  // settlement's refusal of a move the case's state does not allow (src/lib/settlement/lifecycle.ts)
  [/^A case cannot move from “[^”]*” to “[^”]*”\.$/, '申请当前的状态不允许这一步操作，请刷新页面查看最新状态。'],
  // credit assessments' refusals that name states or indicators (src/lib/credit/lifecycle.ts, assessments.ts)
  [/^An assessment cannot move from “[^”]*” to “[^”]*”\.$/, '申请当前的状态不允许这一步操作，请刷新页面查看最新状态。'],
  [/^An application in state “[^”]*” cannot be submitted\.$/, '申请当前的状态不能提交。'],
  [/^Answer every indicator first: (.*)\.$/, '请先回答每一项指标：$1。'],
  [/^Choose an indicator: (.*)\.$/, '请选择指标：$1。'],
  // a credit scheme's parse of a standard's tables names the clause and row (src/lib/credit/parse.ts)
  ...schemeParsePatterns,
];

/** What zod says when nobody worded the issue: developer English, never shown. */
const RAW_VALIDATOR = /^(Invalid input|Invalid option|Invalid string|Invalid (email|url|UUID|date)|Too (small|big)|Unrecognized key|Expected |Required$)|expected \w+, received/i;

/** Field messages fall back to "Check this field."; a whole form's message to "Something went wrong. Try again.". */
export function translateError(lang: Lang, message: string, fallback = 'Something went wrong. Try again.'): string {
  if (RAW_VALIDATOR.test(message)) return translateError(lang, fallback);
  if (lang === 'en') return message;
  const known = dictionaries['zh-cn'][`err:${message}`];
  if (known) return known;
  for (const [pattern, zh] of WITH_NUMBER) if (pattern.test(message)) return message.replace(pattern, zh);
  return dictionaries['zh-cn'][`err:${fallback}`] ?? fallback;
}

/** A message shown next to a field. */
export const translateFieldError = (lang: Lang, message: string) => translateError(lang, message, 'Check this field.');
