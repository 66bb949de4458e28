import { request } from 'node:http';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courseSessions } from '../db/schema';
import { seed } from '../db/seed';
import { escapeText, foldLine, sessionsToIcs } from '../src/lib/courses/ics';
import { startServer, type TestServer } from './helpers/server';

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

describe('iCalendar from the real server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ ALLOWED_HOSTS: 'http://calendar.example.net' });
    await seed(server.db);
  });
  afterAll(() => server?.stop());

  /** GET with a Host header of our choosing (fetch would send the URL's). */
  const getWithHost = (path: string, host: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const url = new URL(path, server.url);
      const req = request({ hostname: url.hostname, port: url.port, path: url.pathname, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('gives a session the same UID whatever Host header the request carried, from SITE_URL', async () => {
    const session = server.db.select().from(courseSessions).where(eq(courseSessions.status, 'scheduled')).get()!;
    const uids = [];
    for (const host of [new URL(server.url).host, 'calendar.example.net', 'evil.example']) {
      const res = await getWithHost(`/calendar/sessions/${session.id}.ics`, host);
      expect(res.status).toBe(200);
      uids.push(/^UID:(.*)$/m.exec(res.body.replace(/\r\n /g, ''))![1]!.trim());
    }
    expect(new Set(uids).size).toBe(1);
    expect(uids[0]).toBe(`course-session-${session.id}@${new URL(server.url).hostname}`);
  });
});
