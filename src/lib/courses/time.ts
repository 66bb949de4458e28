/** Wall-clock times in a session's own time zone, for forms that type local times. */

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formats = new Map<string, Intl.DateTimeFormat>();

function offsetMs(instant: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (!format) formats.set(timeZone, (format = zoneFormat(timeZone)));
  const parts = format.formatToParts(new Date(instant));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

function zoneFormat(timeZone: string) {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/** `2026-03-01T09:30` read as a wall-clock time in `timeZone` → ISO 8601 in UTC. Null when unreadable. */
export function localToIso(local: string | undefined, timeZone: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local?.trim() ?? '');
  if (!m) return local?.trim() || undefined;
  const wall = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  let guess = wall - offsetMs(wall, timeZone);
  guess = wall - offsetMs(guess, timeZone); // second pass settles DST edges
  return new Date(guess).toISOString();
}

/** An instant as the `datetime-local` value in `timeZone`, for refilling forms. */
export function isoToLocal(value: Date, timeZone: string): string {
  const shifted = new Date(value.getTime() + offsetMs(value.getTime(), timeZone));
  return shifted.toISOString().slice(0, 16);
}
