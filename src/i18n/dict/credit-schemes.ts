/**
 * Credit certification: schemes, credit roles, conflicts of interest and credit codes (issue 16).
 * Written as [key, 中文, English] so both languages always have the same keys.
 */
import { USCC_MESSAGES } from '~/lib/identifiers/uscc';

const USCC_ZH = {
  'uscc.format': '请输入营业执照上的 18 位统一社会信用代码，例如 91310115MA1K4B2C3J。',
  'uscc.check': '统一社会信用代码的最后一位（校验码）与前 17 位不符，请对照营业执照核对。',
} as const;

const rows: [string, string, string][] = [
  ['uscc.format', USCC_ZH['uscc.format'], USCC_MESSAGES['uscc.format']],
  ['uscc.check', USCC_ZH['uscc.check'], USCC_MESSAGES['uscc.check']],
  [`err:${USCC_MESSAGES['uscc.format']}`, USCC_ZH['uscc.format'], USCC_MESSAGES['uscc.format']],
  [`err:${USCC_MESSAGES['uscc.check']}`, USCC_ZH['uscc.check'], USCC_MESSAGES['uscc.check']],
  ['err:Another organization on the portal is registered with that unified social credit code.', '门户上已有其他组织登记了这个统一社会信用代码。', 'Another organization on the portal is registered with that unified social credit code.'],
  ['err:Choose a clause other than the indicator clause for the grade bands.', '请为等级划分选择指标条款以外的另一个条款。', 'Choose a clause other than the indicator clause for the grade bands.'],
  ['org.field.creditCode', '统一社会信用代码', 'Unified social credit code'],
  ['org.field.creditCodeHint', '18 位，见营业执照；企业申请信用评价时必须填写。', '18 characters, on the business licence; a company needs it to apply for a credit grade.'],
];

/** Parse problems carry a clause, a row or numbers: matched by pattern (src/i18n/errors.ts). */
export const schemeParsePatterns: [RegExp, string][] = [
  [/^Row (\d+) of the table in clause (\S+): the points or weight must be a whole number greater than 0, like 40, 40 分 or 40%, not “(.*)”\.$/s, '条款 $2 表格第 $1 行：分值或权重须为大于 0 的整数（如 40、40 分或 40%），而不是“$3”。'],
  [/^Row (\d+) of the table in clause (\S+) gives no minimum score like ≥ 90, 80–89 or < 60: “(.*)”\.$/s, '条款 $2 表格第 $1 行没有给出最低分（如 ≥ 90、80–89 或 < 60）：“$3”。'],
  [/^Row (\d+) of the table in clause (\S+) names no grade like AAA or B: “(.*)”\.$/s, '条款 $2 表格第 $1 行没有给出等级（如 AAA 或 B）：“$3”。'],
  [/^Row (\d+) of the table in clause (\S+) repeats the grade (\S+)\.$/, '条款 $2 表格第 $1 行重复了等级 $3。'],
  [/^Row (\d+) of the table in clause (\S+): minimum scores must fall from the best grade to the worst, but (\S+) starts at (\d+) after (\S+) at (\d+)\.$/, '条款 $2 表格第 $1 行：最低分须从最高等级到最低等级依次递减，但 $3 的最低分 $4 不低于 $5 的 $6。'],
  [/^Row (\d+) of the table in clause (\S+) names no indicator\.$/, '条款 $2 表格第 $1 行没有指标名称。'],
  [/^Clause (\S+) has no table of indicators \(indicator, maximum points or weight\)\.$/, '条款 $1 没有指标表（指标、最高分值或权重）。'],
  [/^Clause (\S+) has no table of grade bands \(grade, minimum score\)\.$/, '条款 $1 没有等级划分表（等级、最低分）。'],
  [/^Clause (\S+) does not exist in the standard\.$/, '标准中没有条款 $1。'],
  [/^Clause (\S+) mixes weights in per cent with points; use one or the other\.$/, '条款 $1 混用了百分比权重和分值，请只用其中一种。'],
  [/^The weights in clause (\S+) add up to (\d+)%, not 100%\.$/, '条款 $1 的权重合计为 $2%，而不是 100%。'],
  [/^The grade (\S+) needs (\d+) points, but the indicators give at most (\d+)\.$/, '等级 $1 需要 $2 分，但各指标满分合计只有 $3 分。'],
  [/^Clause (\S+) lists fewer than two grades\.$/, '条款 $1 列出的等级少于两个。'],
  [/^Clause (\S+) lists (\d+) scores without grades; name the grades in the table\.$/, '条款 $1 列出了 $2 个分数但没有等级名称，请在表中写明等级。'],
];

export default {
  'zh-cn': Object.fromEntries(rows.map(([key, zh]) => [key, zh])) as Record<string, string>,
  en: Object.fromEntries(rows.map(([key, , en]) => [key, en])) as Record<string, string>,
};
