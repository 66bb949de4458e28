/**
 * Cost of the guessable-password check (src/lib/auth/password-strength.ts), which runs on the
 * event loop at sign-up, password change and reset: the first call (loading the dictionaries)
 * and the mean of later calls for typical and for costly inputs.
 */
import { randomBytes } from 'node:crypto';
import { passwordWeaknesses } from '../../src/lib/auth/password-strength';

const person = { email: 'someone@example.com', displayName: 'Some One' };
const started = performance.now();
passwordWeaknesses('a first password', person);
console.log(`first call, dictionaries loaded: ${(performance.now() - started).toFixed(0)} ms`);

const inputs: [string, string][] = [
  ['typical phrase (21 chars)', 'the original password'],
  ['demo password', 'demo-password-2026'],
  ['common password', 'password123'],
  ['own name and year', 'someone2026someone'],
  ['random hex, 32 chars', randomBytes(16).toString('hex')],
  ['random hex, 100 chars', randomBytes(50).toString('hex')],
  ['random hex, 1,000 chars', randomBytes(500).toString('hex')],
  ['"p@ssw0rd" × 125', 'p@ssw0rd'.repeat(125)],
];
for (const [label, password] of inputs) {
  const runs = 20;
  const t = performance.now();
  for (let i = 0; i < runs; i++) passwordWeaknesses(password, person);
  console.log(`${label}: ${((performance.now() - t) / runs).toFixed(1)} ms a call`);
}
