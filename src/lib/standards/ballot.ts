/**
 * Review-ballot arithmetic, in integers so no rounding decides a vote.
 * Interpretation: turnout (approve + disapprove + abstain) counts towards the quorum; the
 * threshold is measured against votes cast, which are approvals and disapprovals only —
 * abstentions take part but are not "cast" (as in GB/T 1.1 practice and ISO directives).
 */
export interface BallotRules {
  quorumNumerator: number;
  quorumDenominator: number;
  passNumerator: number;
  passDenominator: number;
}

export const DEFAULT_RULES: BallotRules = { quorumNumerator: 2, quorumDenominator: 3, passNumerator: 3, passDenominator: 4 };

export interface Tally {
  eligible: number;
  approve: number;
  disapprove: number;
  abstain: number;
}

export interface BallotOutcome extends Tally {
  turnout: number;
  cast: number;
  /** Smallest turnout that meets the quorum. */
  quorumNeeded: number;
  /** Smallest number of approvals that passes, given the disapprovals so far. */
  approvalsNeeded: number;
  quorumMet: boolean;
  thresholdMet: boolean;
  passes: boolean;
  rules: BallotRules;
}

export function ballotOutcome(tally: Tally, rules: BallotRules = DEFAULT_RULES): BallotOutcome {
  const turnout = tally.approve + tally.disapprove + tally.abstain;
  const cast = tally.approve + tally.disapprove;
  const quorumNeeded = Math.max(1, Math.ceil((tally.eligible * rules.quorumNumerator) / rules.quorumDenominator));
  // approve / (approve + disapprove) >= p/q  ⇔  approve·(q − p) >= p·disapprove
  const spare = rules.passDenominator - rules.passNumerator;
  const approvalsNeeded = spare === 0 ? (tally.disapprove > 0 ? Infinity : 1) : Math.max(1, Math.ceil((rules.passNumerator * tally.disapprove) / spare));
  const quorumMet = tally.eligible > 0 && turnout >= quorumNeeded;
  const thresholdMet = cast > 0 && tally.approve * rules.passDenominator >= rules.passNumerator * cast;
  return { ...tally, turnout, cast, quorumNeeded, approvalsNeeded, quorumMet, thresholdMet, passes: quorumMet && thresholdMet, rules };
}
