/** The session form's time zone check: real zones pass (and are remembered), anything else is refused every time. */
import { describe, expect, it } from 'vitest';
import { isTimeZone, sessionInput } from '../src/lib/courses/schemas';

const session = (timezone: string) => sessionInput.safeParse({ startsAt: '2031-09-01T01:00:00Z', endsAt: '2031-09-01T04:00:00Z', timezone, capacity: 10, waitlistLimit: 0 });

describe('time zones', () => {
  it('accept real zones, again and again, and refuse made-up ones each time they are asked', () => {
    for (let i = 0; i < 3; i++) {
      expect(isTimeZone('Asia/Shanghai')).toBe(true);
      expect(isTimeZone('Europe/Berlin')).toBe(true);
      expect(isTimeZone('UTC')).toBe(true);
      expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
      expect(isTimeZone('')).toBe(false);
      expect(session('Asia/Shanghai').success).toBe(true);
      const refused = session('Asia/Atlantis');
      expect(refused.success).toBe(false);
      expect(refused.error?.issues.map((i) => i.message)).toContain('Choose a time zone such as Asia/Shanghai.');
    }
  });
});
