/**
 * CPU seconds a process has used (user + system, from /proc): divided by the requests a server
 * answered, a cost per request that other work on the same cores disturbs far less than requests
 * per second. NaN where /proc is not there.
 */
import { readFileSync } from 'node:fs';

export function processCpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}
