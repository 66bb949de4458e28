/** Posting HTML forms (Astro Actions) the way a browser on the site does, and reading accounts back. */
import type { TestServer } from './server';

/**
 * POSTs `fields` to the form action `action` on the page `path`, from the site's own origin (so
 * Astro's origin check lets it through), signed in with `token` as the session cookie if given.
 * Redirects are not followed, so tests see the 303.
 */
export function postForm(
  server: TestServer,
  path: string,
  action: string,
  fields: Record<string, string | string[]>,
  token?: string,
): Promise<Response> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) body.append(k, one);
  const sep = path.includes('?') ? '&' : '?';
  return fetch(`${server.url}${path}${sep}_action=${encodeURIComponent(action)}`, {
    method: 'POST',
    headers: {
      origin: server.url,
      'content-type': 'application/x-www-form-urlencoded',
      ...(token ? { cookie: `portal_session=${token}` } : {}),
    },
    body,
    redirect: 'manual',
  });
}

/** GETs a page as a browser would, signed in with `token` if given. */
export function getPage(server: TestServer, path: string, token?: string): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    headers: { accept: 'text/html', cookie: ['portal_lang_seen=seen', token && `portal_session=${token}`].filter(Boolean).join('; ') },
    redirect: 'manual',
  });
}

/** The session token a response sets, if any. */
export function sessionCookie(res: Response): string | null {
  for (const c of res.headers.getSetCookie()) {
    const m = /^portal_session=([^;]+)/.exec(c);
    if (m && m[1]) return m[1];
  }
  return null;
}

export function userId(server: TestServer, email: string): string {
  const row = server.db.$client.prepare('select id from users where lower(email) = lower(?)').get(email) as { id: string } | undefined;
  if (!row) throw new Error(`no user ${email}`);
  return row.id;
}

/** Gives an existing user platform roles directly in the database (arranging a test). */
export function grantRoles(server: TestServer, email: string, roles: string[]) {
  const id = userId(server, email);
  const insert = server.db.$client.prepare('insert or ignore into user_roles (user_id, role, created_at) values (?, ?, ?)');
  for (const role of roles) insert.run(id, role, Date.now());
}

/** The mails queued to an address, oldest first. */
export function outbox(server: TestServer, to: string): { subject: string; body: string }[] {
  return server.db.$client.prepare('select subject, body from email_outbox where lower(to_address) = lower(?) order by id').all(to) as { subject: string; body: string }[];
}

/** The token of the newest link to `path` (e.g. `/verify-email`) mailed to an address. */
export function mailedToken(server: TestServer, to: string, path: string): string {
  for (const mail of outbox(server, to).reverse()) {
    const line = mail.body.split('\n').find((l) => l.includes(`${path}?token=`));
    if (line) return line.slice(line.indexOf('?token=') + '?token='.length).trim().split('&')[0]!;
  }
  throw new Error(`no ${path} link mailed to ${to}`);
}

/** Verifies an address with the link mailed to it (over the API); returns the session token it gives. */
export async function verifyEmail(server: TestServer, email: string): Promise<string> {
  const res = await server.api.post('/auth/verify', { token: mailedToken(server, email, '/verify-email') });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

/**
 * Makes an existing account a member the way people do: an owner invites the address, and its
 * owner accepts through the mailed link while signed in.
 */
export async function addMember(server: TestServer, slug: string, member: { email: string; role: string; votingMember?: boolean }, ownerToken: string, memberToken: string) {
  const invited = await server.api.post(`/organizations/${slug}/members`, member, ownerToken);
  if (invited.status !== 202) throw new Error(`invitation failed: ${invited.status} ${JSON.stringify(invited.body)}`);
  const accepted = await server.api.post('/invitations/accept', { token: mailedToken(server, member.email, '/invitations/accept') }, memberToken);
  if (accepted.status !== 200) throw new Error(`acceptance failed: ${accepted.status} ${JSON.stringify(accepted.body)}`);
}
