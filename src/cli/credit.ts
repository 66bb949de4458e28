/**
 * `npm run credit -- <command>`: credit certification from the command line, thin over the services.
 *   deadlines                                  applies every credit deadline due now (also `npm run credit:deadlines`)
 *   verify <number>                            the certificate's status, grade and validity as JSON; exit 1 when unknown
 *   certificates [--status=] [--grade=] [--since=]   every certificate, one JSON line each, in the order they changed
 *   schemes                                    active and retired schemes, one JSON line each
 * Reads DATABASE_PATH as the server does.
 */
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '@db/client';
import { CERTIFICATE_STATES, organizations, type CertificateState } from '@db/schema';
import { certificateFeed } from '~/lib/credit/certificate-queries';
import { findCertificate, refreshCertificate } from '~/lib/credit/certificates';
import { normalizeNumber } from '~/lib/credit/public';
import { applyCreditDeadlines } from '~/lib/credit/schedule';
import { listPublicSchemes } from '~/lib/credit/schemes';

const USAGE = `Usage: npm run credit -- <command>
  deadlines                                        apply every credit deadline due now
  verify <number>                                  a certificate's status, grade and validity (JSON)
  certificates [--status=S] [--grade=G] [--since=ISO-date]   certificates as JSON lines
  schemes                                          active and retired schemes as JSON lines`;

interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** `--name=value` options and the rest as positional arguments. */
function parseArgs(args: string[]) {
  const options: Record<string, string> = {};
  const positional: string[] = [];
  for (const a of args) {
    const m = /^--([a-z-]+)=(.*)$/.exec(a);
    if (m) options[m[1]!] = m[2]!;
    else positional.push(a);
  }
  return { options, positional };
}

function verify(db: Db, raw: string | undefined, io: Io): number {
  if (!raw) {
    io.err('Give the certificate number: npm run credit -- verify SCBEA-XY-2026-00001');
    return 2;
  }
  const number = normalizeNumber(raw);
  refreshCertificate(db, number);
  const cert = findCertificate(db, number);
  if (!cert) {
    io.err(`No certificate has the number ${number}.`);
    return 1;
  }
  const entity = db.select({ slug: organizations.slug, name: organizations.name, nameZh: organizations.nameZh, creditCode: organizations.creditCode }).from(organizations).where(eq(organizations.id, cert.entityId)).get()!;
  io.out(
    JSON.stringify(
      {
        number: cert.number,
        status: cert.state,
        valid: cert.state === 'active',
        grade: cert.grade,
        score: cert.score,
        maxScore: cert.maxScore,
        adjusted: cert.adjusted,
        validFrom: cert.validFrom,
        validUntil: cert.validUntil,
        nextSurveillance: cert.nextSurveillance,
        stateReason: cert.state === 'active' ? null : cert.stateReason,
        company: entity,
        standard: { number: cert.standardNumber, version: cert.standardVersion },
      },
      null,
      2,
    ),
  );
  return 0;
}

function certificates(db: Db, options: Record<string, string>, io: Io): number {
  const status = options.status;
  if (status !== undefined && !(CERTIFICATE_STATES as readonly string[]).includes(status)) {
    io.err(`--status is one of ${CERTIFICATE_STATES.join(', ')}.`);
    return 2;
  }
  let since: Date | undefined;
  if (options.since !== undefined) {
    since = new Date(options.since);
    if (Number.isNaN(since.getTime())) {
      io.err('--since is a date or moment, e.g. 2026-01-31 or 2026-01-31T08:00:00Z.');
      return 2;
    }
  }
  let cursor: string | undefined;
  do {
    const page = certificateFeed(db, { status: status as CertificateState | undefined, grade: options.grade || undefined, updatedSince: since, cursor, limit: 200 });
    for (const item of page.items) io.out(JSON.stringify({ ...item, updatedAt: item.updatedAt.toISOString() }));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return 0;
}

function schemes(db: Db, io: Io): number {
  for (let page = 1; ; page++) {
    const { items, total, perPage } = listPublicSchemes(db, { page, perPage: 100 });
    for (const s of items) io.out(JSON.stringify(s));
    if (page * perPage >= total) return 0;
  }
}

/** Runs one command; returns the exit code (0 done, 1 not found, 2 wrong usage). */
export function runCredit(db: Db, args: string[], io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) }): number {
  const [command, ...rest] = args;
  const { options, positional } = parseArgs(rest);
  switch (command) {
    case 'deadlines':
      io.out(`Applied ${applyCreditDeadlines(db)} credit deadline change(s).`);
      return 0;
    case 'verify':
      return verify(db, positional[0], io);
    case 'certificates':
      return certificates(db, options, io);
    case 'schemes':
      return schemes(db, io);
    default:
      io.err(command ? `Unknown command: ${command}\n${USAGE}` : USAGE);
      return 2;
  }
}

// run as a script (tsx src/cli/credit.ts …), not when imported
if (process.argv[1] && /[/\\]credit\.ts$/.test(process.argv[1])) {
  const db = openDatabase();
  try {
    process.exitCode = runCredit(db, process.argv.slice(2));
  } finally {
    db.$client.close();
  }
}
