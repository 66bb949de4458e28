import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, sessionsToIcs } from '../src/lib/courses/ics';

const unfold = (text: string) => text.replace(/\r\n /g, '');

describe('iCalendar output', () => {
  it('escapes backslashes, semicolons, commas and newlines in text', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds at 75 octets without splitting a Chinese character, and unfolds to the original', () => {
    const line = `SUMMARY:${'跨境电商物流实务'.repeat(12)}`;
    const folded = foldLine(line);
    for (const physical of folded.split('\r\n')) expect(Buffer.byteLength(physical)).toBeLessThanOrEqual(75);
    expect(unfold(folded)).toBe(line);
    expect(folded).not.toContain('\uFFFD');
  });

  it('writes UTC times and CRLF line ends', () => {
    const session = { id: 9, startsAt: new Date('2031-05-01T01:00:00Z'), endsAt: new Date('2031-05-01T04:00:00Z'), location: '上海, 黄浦区', onlineUrl: null, status: 'scheduled', createdAt: new Date(0), updatedAt: new Date(0) };
    const course = { id: 3, title: 'Logistics', titleZh: '物流', summary: 'Short; sweet', summaryZh: null };
    const ics = sessionsToIcs([{ session, course } as never], { origin: 'https://portal.example', calendarName: 'Test' });
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    expect(ics).toContain('DTSTART:20310501T010000Z\r\n');
    expect(ics).toContain('LOCATION:上海\\, 黄浦区\r\n');
    expect(ics).toContain('UID:course-session-9@portal.example\r\n');
  });
});
