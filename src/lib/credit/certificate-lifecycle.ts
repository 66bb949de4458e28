/**
 * A certificate's lifecycle as data: the moves people make by hand, from which states, by whom,
 * and what a refusal says. The service (`transitionCertificate`) and the body's certificate page
 * read this one table through `refusalOf` and `allowedMoves`, so a page offers exactly the moves
 * the service takes. Moves nobody makes by hand (expiry, suspension for a missed surveillance,
 * withdrawal after six months suspended, supersession by a reassessment) are the scheduled
 * check's and `issueCertificate`'s.
 */
import type { CertificateEventKind, CertificateState } from '@db/schema';

/** `committee`: a committee member of the issuing body. `entity`: an owner or editor of the rated company. */
export type CertificateActor = 'committee' | 'entity';

export interface Refusal {
  message: string;
  code: string;
}

export interface CertificateMove {
  /** What the API and the forms call the move (`to` in POST …/transitions). */
  to: 'suspended' | 'active' | 'withdrawn' | 'surrendered';
  from: readonly CertificateState[];
  by: CertificateActor;
  /** The event recorded in the certificate's history. */
  event: CertificateEventKind;
  reasonRequired: boolean;
  /** What someone who is not `by` is told. */
  refusal: Refusal;
  /** What is said when the certificate is in none of `from`. */
  wrongState: (from: CertificateState) => Refusal;
}

const notCommittee = (message: string): Refusal => ({ message, code: 'not_committee' });
const invalid = (message: string): Refusal => ({ message, code: 'invalid_transition' });

export const CERTIFICATE_MOVES: readonly CertificateMove[] = [
  {
    to: 'suspended',
    from: ['active'],
    by: 'committee',
    event: 'suspended',
    reasonRequired: true,
    refusal: notCommittee('Only a committee member of the issuing body suspends a certificate.'),
    wrongState: (from) => invalid(`A certificate that is ${from} cannot be suspended: only an active certificate can.`),
  },
  {
    to: 'active',
    from: ['suspended'],
    by: 'committee',
    event: 'reinstated',
    reasonRequired: true,
    refusal: notCommittee('Only a committee member of the issuing body reinstates a certificate.'),
    wrongState: (from) => invalid(`A certificate that is ${from} cannot be reinstated: only a suspended certificate can.`),
  },
  {
    to: 'withdrawn',
    from: ['active', 'suspended'],
    by: 'committee',
    event: 'withdrawn',
    reasonRequired: true,
    refusal: notCommittee('Only a committee member of the issuing body withdraws a certificate.'),
    wrongState: (from) => invalid(`A certificate that is ${from} has ended and cannot be withdrawn.`),
  },
  {
    to: 'surrendered',
    from: ['active', 'suspended'],
    by: 'entity',
    event: 'surrendered',
    reasonRequired: false,
    refusal: { message: 'Only an owner or editor of the certified company surrenders its certificate.', code: 'not_entity' },
    wrongState: (from) => invalid(`A certificate that is ${from} has ended and cannot be surrendered.`),
  },
];

/** The states a surveillance may be recorded in: the certificate has not ended. */
export const SURVEILLED_STATES: readonly CertificateState[] = ['active', 'suspended'];

/** The certificate's standing that the lifecycle reads, and who the user is to it. */
export interface CertificateFacts {
  state: CertificateState;
  /** The surveillance due date has passed (Shanghai calendar). */
  surveillanceOverdue: boolean;
}
export interface Roles {
  committee: boolean;
  entity: boolean;
}

const OVERDUE: Refusal = {
  message: 'The surveillance of this certificate is overdue: record a surveillance before reinstating it.',
  code: 'surveillance_overdue',
};

/** Why a user with `roles` may not make the move to `to` now, or null when they may. */
export function refusalOf(roles: Roles, cert: CertificateFacts, to: string): Refusal | null {
  const move = CERTIFICATE_MOVES.find((m) => m.to === to);
  if (!move) return invalid(`Nobody moves a certificate to “${to}” by hand.`);
  if (!roles[move.by]) return move.refusal;
  if (!move.from.includes(cert.state)) return move.wrongState(cert.state);
  if (move.to === 'active' && cert.surveillanceOverdue) return OVERDUE;
  return null;
}

/** The moves a user with `roles` may make on the certificate now: exactly what its page offers. */
export function allowedMoves(roles: Roles, cert: CertificateFacts): CertificateMove[] {
  return CERTIFICATE_MOVES.filter((m) => refusalOf(roles, cert, m.to) === null);
}
