/**
 * The indicative points estimator. The arithmetic is here; every figure comes from
 * `settlement_point_rules` rows, so a change of policy is a data edit, not a release.
 */
import type { settlementPointRules } from '@db/schema';

export type PointRule = typeof settlementPointRules.$inferSelect;

export const STANDARD_POINTS = 120;

export interface EstimateLine {
  indicator: string;
  points: number;
  /** The rule row that gave the points, or null when none matched (0 points). */
  rule: RuleRef | null;
}

export interface RuleRef {
  id: number;
  label: string;
  labelZh: string;
  asOf: string;
  sourceUrl: string;
  sourceLabel: string;
  illustrative: boolean;
}

export interface Change {
  indicator: string;
  /** What would differ: the rule row that would then apply. */
  rule: RuleRef;
  gain: number;
  /** For per-unit rules: how many more units it takes (e.g. years of social insurance). */
  moreUnits?: number;
}

export interface Estimate {
  lines: EstimateLine[];
  total: number;
  standard: number;
  meetsStandard: boolean;
  shortfall: number;
  /** Improvements that would raise the total, largest first (age is never suggested). */
  changes: Change[];
}

export type EstimateInput = Record<string, string | number>;

const ref = (r: PointRule): RuleRef => ({
  id: r.id,
  label: r.label,
  labelZh: r.labelZh,
  asOf: r.asOf,
  sourceUrl: r.sourceUrl,
  sourceLabel: r.sourceLabel,
  illustrative: r.illustrative,
});

function gateOpen(rule: PointRule, input: EstimateInput): boolean {
  if (!rule.requiresInput) return true;
  return Number(input[rule.requiresInput] ?? 0) >= (rule.requiresMin ?? 0);
}

/** Points a rule gives for an input, ignoring its gate. */
export function rulePoints(rule: PointRule, value: string | number | undefined): number {
  if (value === undefined || value === '') return 0;
  switch (rule.kind) {
    case 'match':
      return String(value) === rule.match ? rule.points : 0;
    case 'range': {
      const n = Number(value);
      if (!Number.isFinite(n)) return 0;
      if (rule.min !== null && n < rule.min) return 0;
      if (rule.max !== null && n > rule.max) return 0;
      return rule.points;
    }
    case 'per_unit': {
      const n = Number(value);
      if (!Number.isFinite(n) || n < (rule.min ?? 0)) return 0;
      const units = Math.floor(n / (rule.unit ?? 1) + 1e-9);
      const raw = units * rule.points;
      return rule.cap !== null ? Math.min(raw, rule.cap) : raw;
    }
  }
}

function best(rules: PointRule[], input: EstimateInput): { points: number; rule: PointRule | null } {
  let top: { points: number; rule: PointRule | null } = { points: 0, rule: null };
  for (const rule of rules) {
    if (!gateOpen(rule, input)) continue;
    const points = rulePoints(rule, input[rule.input]);
    if (points > top.points) top = { points, rule };
  }
  return top;
}

/** Indicators in the order their first rule appears (rules come sorted). */
function byIndicator(rules: PointRule[]): Map<string, PointRule[]> {
  const map = new Map<string, PointRule[]>();
  for (const rule of [...rules].sort((a, b) => a.sort - b.sort || a.id - b.id)) {
    const list = map.get(rule.indicator) ?? [];
    list.push(rule);
    map.set(rule.indicator, list);
  }
  return map;
}

/** Inputs a person cannot change by their own effort, so never suggested. */
const FIXED_INPUTS = new Set(['age']);

export function estimatePoints(rules: PointRule[], input: EstimateInput, standard = STANDARD_POINTS): Estimate {
  const lines: EstimateLine[] = [];
  const changes: Change[] = [];
  for (const [indicator, group] of byIndicator(rules)) {
    const current = best(group, input);
    lines.push({ indicator, points: current.points, rule: current.rule ? ref(current.rule) : null });
    // The smallest step up within this indicator, holding every other input still.
    let step: Change | null = null;
    for (const rule of group) {
      if (FIXED_INPUTS.has(rule.input)) continue;
      const candidate = improvement(rule, input, current.points);
      if (candidate && (!step || candidate.gain < step.gain)) step = { indicator, ...candidate };
    }
    if (step) changes.push(step);
  }
  const total = lines.reduce((sum, l) => sum + l.points, 0);
  changes.sort((a, b) => b.gain - a.gain);
  return { lines, total, standard, meetsStandard: total >= standard, shortfall: Math.max(0, standard - total), changes };
}

function improvement(rule: PointRule, input: EstimateInput, currentPoints: number): Omit<Change, 'indicator'> | null {
  const gated = !gateOpen(rule, input);
  if (rule.kind === 'per_unit') {
    const value = Number(input[rule.input] ?? 0) || 0;
    const unit = rule.unit ?? 1;
    const from = Math.max(value, rule.min ?? 0);
    const nextUnits = Math.floor(from / unit + 1e-9) + 1;
    const points = Math.min(nextUnits * rule.points, rule.cap ?? Infinity);
    if (points <= currentPoints || gated) return null;
    return { rule: ref(rule), gain: points - currentPoints, moreUnits: +(nextUnits * unit - value).toFixed(2) };
  }
  if (rule.points <= currentPoints) return null;
  if (gated) return null;
  if (rule.kind === 'match' && String(input[rule.input] ?? '') === rule.match) return null;
  return { rule: ref(rule), gain: rule.points - currentPoints };
}
