/**
 * A research project's person given by email: the answer is the same whether or not the address
 * has an account (it does not reveal who has one), and the person is linked to the account, with
 * its edit rights, only once the address is verified.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberships, organizations } from '../db/schema';
import { userId, verifyEmail } from './helpers/accounts';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let editor: string;

beforeAll(async () => {
  server = await startServer();
  editor = await server.api.signUp('lead-editor@uni.test', 'Lead Editor');
  const org = server.db.insert(organizations).values({ slug: 'fudan-lab', name: 'Fudan Lab', type: 'university', status: 'verified' }).returning().get();
  server.db.insert(memberships).values({ organizationId: org.id, userId: userId(server, 'lead-editor@uni.test'), role: 'editor' }).run();
});
afterAll(() => server?.stop());

const project = (email: string) => ({
  organizationSlug: 'fudan-lab',
  title: 'Parcel returns across borders',
  abstractMd: 'Who pays for returned parcels, and how long it takes.',
  status: 'active',
  startDate: '2026-03-01',
  people: [{ name: 'Zhao Min', role: 'researcher', email }],
});

describe('a project person’s email', () => {
  it('answers the same for an address with an account and one without', async () => {
    const known = await server.api.signUp('known.researcher@uni.test', 'Known');
    await verifyEmail(server, 'known.researcher@uni.test');
    const withAccount = await server.api.post('/research/projects', project('known.researcher@uni.test'), editor);
    const without = await server.api.post('/research/projects', project('unknown.researcher@uni.test'), editor);
    expect(withAccount.status).toBe(201);
    expect(without.status).toBe(201);
    const strip = (body: any) => JSON.stringify({ ...body, id: 0 });
    expect(strip(withAccount.body)).toBe(strip(without.body));
    // The verified account is linked (and may edit); the unknown address waits.
    expect((await server.api.patch(`/research/projects/${withAccount.body.id}`, { acronym: 'PRX' }, known)).status).toBe(200);
  });

  it('links the person once the address is verified, not at sign-up', async () => {
    const res = await server.api.post('/research/projects', project('Later.Researcher@uni.test'), editor);
    expect(res.status).toBe(201);
    const later = await server.api.signUp('later.researcher@uni.test', 'Later');
    expect((await server.api.patch(`/research/projects/${res.body.id}`, { acronym: 'EARLY' }, later)).status).toBe(403);
    await verifyEmail(server, 'later.researcher@uni.test');
    const edit = await server.api.patch(`/research/projects/${res.body.id}`, { acronym: 'LATE' }, later);
    expect(edit.status).toBe(200);
    expect(edit.body.acronym).toBe('LATE');
  });
});
