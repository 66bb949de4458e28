/**
 * Refuses passwords that are easy to guess, as NIST SP 800-63B asks (compare a new password with
 * commonly used and breached values, repetitive or sequential characters, and words from the
 * context such as the user's name), using zxcvbn-ts with its common-password and English
 * dictionaries, offline. A password needs zxcvbn's score 3 (about 10^8 guesses) and must not be
 * made mostly of the person's own name or email address (`alice2026alice` for alice@x.test
 * scores 3 on its own).
 *
 * Messages are English sentences; src/i18n/dict/accounts.ts carries their Chinese.
 */
import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

export const MIN_SCORE = 3;

export const TOO_GUESSABLE = 'This password is too common or easy to guess. Try a few unrelated words.';

/** zxcvbn's warning codes, said our way (the library's defaults are the bare codes). */
const WARNINGS: Record<string, string> = {
  straightRow: 'Straight rows of keys like "qwerty" are easy to guess.',
  keyPattern: 'Short keyboard patterns are easy to guess.',
  simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
  extendedRepeat: 'Repeated patterns like "abcabc" are easy to guess.',
  sequences: 'Sequences like "abc" or "123" are easy to guess.',
  recentYears: 'Recent years are easy to guess.',
  dates: 'Dates are easy to guess.',
  topTen: 'This is one of the most used passwords.',
  topHundred: 'This is one of the most used passwords.',
  common: 'This is a commonly used password.',
  similarToCommon: 'This is a commonly used password with small changes.',
  wordByItself: 'A single word is easy to guess.',
  namesByThemselves: 'A name on its own is easy to guess.',
  commonNames: 'Common names are easy to guess.',
  userInputs: 'Do not build it from your name or email address.',
};

// Built on first use: loading the dictionaries takes about 0.3 s. The check runs on the event
// loop, so its cost is capped: only the first 64 characters are judged (a longer password whose
// start is weak is still refused), and at most 6 l33t substitutions are tried (the default, 100,
// took 0.3-1.5 s for random hex; these limits keep any input under about 50 ms here).
let factory: ZxcvbnFactory | undefined;
function zxcvbn() {
  factory ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
    maxLength: 64,
    l33tMaxSubstitutions: 6,
  });
  return factory;
}

/** The words of a person's email address and name that a password should not be built from. */
function personalWords(person: { email?: string; displayName?: string }) {
  const email = person.email?.toLowerCase() ?? '';
  const words = [email, email.split('@')[0] ?? '', person.displayName ?? '', ...(person.displayName ?? '').split(/\s+/)];
  return [...new Set(words.map((w) => w.trim()).filter((w) => w.length >= 2))];
}

/** Share of the (checked part of the) password matched from the person's own words. */
function personalShare(result: ZxcvbnResult) {
  const matched = result.sequence
    .filter((m) => m.pattern === 'dictionary' && 'dictionaryName' in m && m.dictionaryName === 'userInputs')
    .reduce((n, m) => n + m.token.length, 0);
  return matched / Math.max(result.password.length, 1);
}

/**
 * What is wrong with `password` for this person: an empty list when it is fine, else the general
 * message and, where zxcvbn says why, the reason.
 */
export function passwordWeaknesses(password: string, person: { email?: string; displayName?: string }): string[] {
  const result = zxcvbn().check(password, personalWords(person));
  const warning = result.feedback.warning;
  if (personalShare(result) >= 0.5) return [TOO_GUESSABLE, WARNINGS.userInputs!];
  if (result.score >= MIN_SCORE) return [];
  return warning && WARNINGS[warning] ? [TOO_GUESSABLE, WARNINGS[warning]] : [TOO_GUESSABLE];
}
