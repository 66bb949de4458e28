/**
 * A real SMTP server on a loopback port (the smtp-server package), for tests that send the mail
 * outbox: it takes, refuses or delays mail as a test says and parses what it takes with mailparser.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** What the server answers to a recipient: undefined takes it, `[code, text]` refuses it. */
export type Answer = (to: string) => [number, string] | undefined;

export interface TestSmtpServer {
  /** SMTP_URL for the portal, with the credentials the server checks. */
  url: string;
  received: ParsedMail[];
  /** How many messages were being received at once, at most. */
  maxConcurrent: number;
  answer: Answer;
  /** Waits until `n` messages in all have arrived (or fails after `ms`). */
  waitFor(n: number, ms?: number): Promise<ParsedMail[]>;
  stop(): Promise<void>;
}

export const SMTP_USER = 'portal';
export const SMTP_PASS = 'mail secret';

/**
 * `delayMs` holds each message before answering; `pairUp` holds the first message until a second
 * one is on its way (or 15 s passed), so two senders are known to overlap.
 */
export async function startSmtpServer({ delayMs = 0, pairUp = false }: { delayMs?: number; pairUp?: boolean } = {}): Promise<TestSmtpServer> {
  let inFlight = 0;
  let released = !pairUp;
  const waiting: (() => void)[] = [];
  const state: TestSmtpServer = {
    url: '',
    received: [],
    maxConcurrent: 0,
    answer: () => undefined,
    async waitFor(n, ms = 20_000) {
      const deadline = Date.now() + ms;
      while (state.received.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} messages, the SMTP server got ${state.received.length}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return state.received;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const refuse = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });
  const server = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASS) callback(null, { user: auth.username });
      else callback(refuse(535, 'Authentication failed'));
    },
    onRcptTo(address, _session, callback) {
      const refusal = state.answer(address.address);
      callback(refusal ? refuse(...refusal) : null);
    },
    onData(stream, _session, callback) {
      inFlight++;
      state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
      if (inFlight >= 2 && !released) {
        released = true;
        for (const go of waiting.splice(0)) go();
      }
      const hold = released
        ? new Promise((r) => setTimeout(r, delayMs))
        : new Promise<void>((r) => {
            waiting.push(r);
            setTimeout(r, 15_000);
          });
      simpleParser(stream)
        .then(async (mail) => {
          await hold;
          state.received.push(mail);
          callback();
        }, callback)
        .finally(() => inFlight--);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  state.url = `smtp://${SMTP_USER}:${encodeURIComponent(SMTP_PASS)}@127.0.0.1:${port}`;
  return state;
}
