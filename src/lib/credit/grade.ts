/**
 * The grade arithmetic: a total of integer points, and the best band whose minimum it reaches.
 * Integers only, so no rounding decides a grade at a band's edge.
 */
import type { IndicatorScore, SchemeBand, SchemeIndicator } from '@db/schema';

export interface Computed {
  score: number;
  maxScore: number;
  grade: string;
}

export const maxScore = (indicators: readonly SchemeIndicator[]) => indicators.reduce((sum, i) => sum + i.maxPoints, 0);

/** The best band (bands are ordered best first) whose minimum the score reaches; the last band otherwise. */
export function gradeFor(score: number, bands: readonly SchemeBand[]): string {
  for (const band of bands) if (score >= band.minScore) return band.grade;
  return bands[bands.length - 1]!.grade;
}

/** Why a set of scores cannot be computed (a missing or out-of-range indicator), or the result. */
export function computeGrade(
  indicators: readonly SchemeIndicator[],
  bands: readonly SchemeBand[],
  scores: Record<string, Pick<IndicatorScore, 'points'>>,
): { ok: true; value: Computed } | { ok: false; indicator: string; problem: 'missing' | 'range' } {
  let score = 0;
  for (const indicator of indicators) {
    const given = scores[indicator.key];
    if (!given) return { ok: false, indicator: indicator.key, problem: 'missing' };
    if (!Number.isInteger(given.points) || given.points < 0 || given.points > indicator.maxPoints) return { ok: false, indicator: indicator.key, problem: 'range' };
    score += given.points;
  }
  return { ok: true, value: { score, maxScore: maxScore(indicators), grade: gradeFor(score, bands) } };
}
