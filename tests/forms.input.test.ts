/**
 * The one conversion from a submitted form to an action's input, and the plain messages that
 * replace zod's own: an empty field is "not given", and no validator wording reaches a person.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { dictionaries } from '../src/i18n/dict';
import { translateError, translateFieldError } from '../src/i18n/errors';
import { formInput } from '../src/lib/forms/input';
import { parseWith } from '../src/lib/http/api';
import { Invalid } from '../src/lib/errors';
import { commentInput, proposeInput, transitionInput, voteInput } from '../src/lib/standards/schemas';
import { courseInput } from '../src/lib/courses/schemas';

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

function fieldErrors(schema: z.ZodType, value: unknown) {
  try {
    parseWith(schema, value);
    return {};
  } catch (err) {
    if (err instanceof Invalid) return err.fields ?? {};
    throw err;
  }
}

describe('formInput', () => {
  it('leaves out empty and blank fields, so optional ones are simply not given', () => {
    const f = form([['organizationSlug', 'scbea'], ['title', 'Seller credit grading'], ['titleZh', ''], ['scopeMd', '  \n ']]);
    expect(formInput(f, proposeInput)).toEqual({ organizationSlug: 'scbea', title: 'Seller credit grading' });
    expect(proposeInput.parse(formInput(f, proposeInput))).toEqual({ organizationSlug: 'scbea', title: 'Seller credit grading' });
  });

  it('accepts every standards form with only its required fields', () => {
    expect(transitionInput.safeParse(formInput(form([['to', 'drafting'], ['reason', ''], ['commentPeriodDays', ''], ['effectiveDate', '']]), transitionInput)).success).toBe(true);
    expect(commentInput.safeParse(formInput(form([['version', ''], ['clause', '4.2'], ['type', 'general'], ['text', 'Too short.'], ['proposedChange', '']]), commentInput)).success).toBe(true);
    expect(voteInput.safeParse(formInput(form([['position', 'approve'], ['reason', '']]), voteInput)).success).toBe(true);
  });

  it('keeps repeated fields in order, blanks included, so parallel rows stay aligned', () => {
    const schema = z.object({ personName: z.array(z.string()).optional(), personEmail: z.array(z.string()).optional() });
    const f = form([['personName', ''], ['personEmail', 'a@example.com'], ['personName', 'Li'], ['personEmail', '']]);
    expect(formInput(f, schema)).toEqual({ personName: ['', 'Li'], personEmail: ['a@example.com', ''] });
  });

  it('reads checkboxes as booleans, numbers as numbers and a comma list typed in one box as text', () => {
    const schema = z.object({ votingMember: z.boolean().optional(), ids: z.array(z.number()), n: z.number().optional() });
    expect(formInput(form([['ids', '3'], ['ids', '4'], ['n', ' 7 ']]), schema)).toEqual({ votingMember: false, ids: [3, 4], n: 7 });
    expect(formInput(form([['votingMember', 'on'], ['n', '']]), schema)).toEqual({ votingMember: true, ids: [] });
    const course = formInput(form([['tags', ''], ['languages', 'zh']]), courseInput) as Record<string, unknown>;
    expect(course.tags).toBeUndefined();
    expect(course.languages).toBe('zh');
  });

  it('gives a schema that is not an object the FormData itself', () => {
    const f = form([['id', '1']]);
    expect(formInput(f, z.instanceof(FormData))).toBe(f);
  });
});

describe('messages a person sees', () => {
  const schema = z.object({
    name: z.string(),
    count: z.coerce.number().int().min(1).max(10),
    email: z.email(),
    kind: z.enum(['a', 'b']),
    code: z.string().min(3).max(5),
    tags: z.array(z.string()).max(2),
  });
  const errors = fieldErrors(schema, { count: 'x', email: 'nope', kind: 'c', code: 'abcdefg', tags: ['1', '2', '3'], name: null });

  it('are plain sentences, never zod’s developer messages', () => {
    expect(errors).toEqual({
      name: ['This field is required.'],
      count: ['Enter a number.'],
      email: ['Enter an email address like name@example.com.'],
      kind: ['Choose one of the options.'],
      code: ['Use at most 5 characters.'],
      tags: ['Choose at most 2.'],
    });
    expect(fieldErrors(schema, { name: 'x', count: '0', email: 'a@b.cn', kind: 'a', code: 'ab', tags: [] })).toEqual({
      count: ['Enter a number of at least 1.'],
      code: ['Use at least 3 characters.'],
    });
    expect(fieldErrors(z.object({ n: z.coerce.number().int() }), { n: '1.5' })).toEqual({ n: ['Enter a whole number.'] });
  });

  it('have a Chinese text each, the ones with numbers included', () => {
    const all = [...Object.values(errors).flat(), 'Enter a number of at least 1.', 'Use at least 3 characters.', 'Enter a whole number.', 'Check this field.', 'Check the format of this field.', 'Enter a valid date.', 'Enter a full link starting with https://.', 'Choose at least 2.', 'Enter a number greater than 0.', 'Enter a number less than 9.', 'Enter a number no greater than 9.'];
    for (const message of all) {
      const zh = translateFieldError('zh-cn', message);
      expect(zh, message).toMatch(/[\u4e00-\u9fff]/);
      expect(zh, message).not.toBe(message);
    }
    expect(translateFieldError('zh-cn', 'Use at most 5 characters.')).toBe('最多 5 个字符。');
  });

  it('a schema’s own message still wins', () => {
    expect(fieldErrors(proposeInput, { organizationSlug: 'x' })).toEqual({ title: ['Enter a title.'] });
  });

  it('raw validator wording and untranslated English fall back to a generic text in the page’s language', () => {
    expect(translateFieldError('en', 'Invalid input: expected string, received null')).toBe('Check this field.');
    expect(translateFieldError('zh-cn', 'Invalid input: expected string, received null')).toBe(dictionaries['zh-cn']['err:Check this field.']);
    expect(translateFieldError('zh-cn', 'Some sentence nobody translated.')).toBe('请检查此项。');
    expect(translateFieldError('en', 'Some sentence nobody translated.')).toBe('Some sentence nobody translated.');
    expect(translateError('zh-cn', 'Too small: expected number to be >=1')).toBe('出了点问题，请重试。');
    expect(translateError('zh-cn', 'A case cannot move from “approved” to “in_review”.')).toBe('申请当前的状态不允许这一步操作，请刷新页面查看最新状态。');
  });
});
