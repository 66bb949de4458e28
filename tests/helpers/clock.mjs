/**
 * Preloaded into a test server (`NODE_OPTIONS=--import …/clock.mjs`, TEST_CLOCK_FILE=<file>): the
 * process's clock runs ahead by the number of milliseconds written in the file, so a test can let
 * a day pass (an embargo end, a due date) while the server keeps running. Read on every call, so
 * the test moves the clock by rewriting the file.
 */
import { readFileSync } from 'node:fs';

const file = process.env.TEST_CLOCK_FILE;
const RealDate = Date;
const offset = () => {
  try {
    return Number(readFileSync(file, 'utf8')) || 0;
  } catch {
    return 0;
  }
};

globalThis.Date = class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + offset());
    else super(...args);
  }
  static now() {
    return RealDate.now() + offset();
  }
};
