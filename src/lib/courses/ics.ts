/**
 * iCalendar (RFC 5545) for sessions, written by hand: CRLF line ends, TEXT escaping (\\ ; , and
 * newlines), lines folded at 75 octets without splitting a UTF-8 character, times in UTC.
 */
import type { courses, courseSessions } from '@db/schema';

type Row = { session: typeof courseSessions.$inferSelect; course: typeof courses.$inferSelect };

export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds one content line: at most 75 octets per physical line, continuation lines start with a space. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let bytes = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines spend one octet on the leading space
    if (bytes + size > limit) {
      out.push(current);
      current = '';
      bytes = 0;
    }
    current += ch;
    bytes += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

const utc = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** `origin` is SITE_URL's (publicOrigin): UIDs are on its host, never the request's Host header. */
export function sessionsToIcs(rows: Row[], options: { origin: string; calendarName: string }): string {
  const host = new URL(options.origin).hostname;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Shanghai CBEC Portal//Courses//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(options.calendarName)}`,
  ];
  const stamp = utc(new Date());
  for (const { session, course } of rows) {
    const title = course.titleZh ? `${course.title} / ${course.titleZh}` : course.title;
    const url = `${options.origin}/courses/${course.id}`;
    const description = [course.summary, course.summaryZh, session.onlineUrl, url].filter(Boolean).join('\n');
    lines.push(
      'BEGIN:VEVENT',
      `UID:course-session-${session.id}@${host}`,
      `DTSTAMP:${stamp}`,
      `DTSTART:${utc(session.startsAt)}`,
      `DTEND:${utc(session.endsAt)}`,
      `SUMMARY:${escapeText(title)}`,
      `DESCRIPTION:${escapeText(description)}`,
      `URL:${url}`,
      ...(session.location || session.onlineUrl ? [`LOCATION:${escapeText(session.location || session.onlineUrl || '')}`] : []),
      `STATUS:${session.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED'}`,
      `SEQUENCE:${Math.floor(session.updatedAt.getTime() / 1000) - Math.floor(session.createdAt.getTime() / 1000)}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
