/** The shared text fields: one line means no control character; several lines keep only tab, LF and CR. */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../db/client';
import { emailOutbox } from '../db/schema';
import { CONTROL_CHARACTER_MESSAGE, SINGLE_LINE_MESSAGE, multiLine, singleLine } from '../src/lib/forms/text';
import { headerSafe, queueEmail } from '../src/lib/notifications/notify';
import { dictionaries } from '../src/i18n/dict';
import { translateError } from '../src/i18n/errors';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues.map((i) => i.message) ?? [];

const hostile = {
  'CR LF': 'Evil\r\nBcc: x@y',
  LF: 'two\nlines',
  tab: 'a\tb',
  NUL: 'a\u0000b',
  DEL: 'a\u007fb',
  'C1 NEL': 'a\u0085b',
  'line separator': 'a\u2028b',
  'paragraph separator': 'a\u2029b',
  'right-to-left override': 'invoice\u202Efdp.exe',
  'left-to-right embedding': 'a\u202Ab',
  'first strong isolate': 'a\u2068b',
  'pop directional isolate': 'a\u2069b',
};

describe('singleLine', () => {
  const field = singleLine(20);

  it('trims and accepts ordinary text in any script', () => {
    expect(field.parse('  Fudan University ')).toBe('Fudan University');
    expect(field.parse('复旦大学 · 上海')).toBe('复旦大学 · 上海');
    expect(field.parse('جامعة')).toBe('جامعة');
  });

  it.each(Object.entries(hostile))('refuses %s inside the text', (_, value) => {
    expect(messages(field.safeParse(value))).toEqual([SINGLE_LINE_MESSAGE]);
  });

  it('says too long in its own words, and keeps a caller’s messages', () => {
    expect(messages(field.safeParse('x'.repeat(21)))).toEqual(['Use at most 20 characters.']);
    const titled = singleLine(5, { error: 'Enter a title.', tooLong: 'Shorter, please.' });
    expect(messages(titled.safeParse(undefined))).toEqual(['Enter a title.']);
    expect(messages(titled.safeParse('abcdefg'))).toEqual(['Shorter, please.']);
  });
});

describe('multiLine', () => {
  const field = multiLine(100);

  it('keeps line breaks and tabs inside the text', () => {
    expect(field.parse('# Title\r\n\n- one\n\t- two\n')).toBe('# Title\r\n\n- one\n\t- two');
  });

  it.each(Object.entries(hostile).filter(([name]) => !['CR LF', 'LF', 'tab'].includes(name)))('refuses %s', (_, value) => {
    expect(messages(field.safeParse(value))).toEqual([CONTROL_CHARACTER_MESSAGE]);
  });
});

describe('messages', () => {
  it('exist in Chinese, and any "Use at most N characters." is translated', () => {
    expect(dictionaries['zh-cn'][`err:${SINGLE_LINE_MESSAGE}`]).toMatch(/一行/);
    expect(dictionaries['zh-cn'][`err:${CONTROL_CHARACTER_MESSAGE}`]).toMatch(/控制字符/);
    expect(translateError('zh-cn', 'Use at most 37 characters.')).toBe('最多 37 个字符。');
    expect(translateError('en', SINGLE_LINE_MESSAGE)).toBe(SINGLE_LINE_MESSAGE);
  });
});

describe('mail subjects', () => {
  it('never carry CR, LF or other controls into the outbox, whatever the caller passes', () => {
    const db = openDatabase(':memory:');
    queueEmail(db, 'owner@example.com', 'Welcome to Evil\r\nBcc: victim@example.com\u2028X-Y: z', 'Body\nwith lines');
    const mail = db.select().from(emailOutbox).get()!;
    expect(mail.subject).toBe('Welcome to Evil Bcc: victim@example.com X-Y: z');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.body).toBe('Body\nwith lines');
    expect(headerSafe('a\u202Eb\tc')).toBe('a b c');
  });
});
