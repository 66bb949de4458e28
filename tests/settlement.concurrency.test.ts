/**
 * Two server processes on one database save different steps of the same drafts at the same moment:
 * every save survives (answers are merged with what is read inside the write transaction).
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settlementApplications, settlementDocuments } from '../db/schema';
import { seedSettlement } from '../db/seed/settlement';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
let second: TestServer;
beforeAll(async () => {
  server = await startServer();
  await server.api.get('/settlement/routes'); // migrate
  seedSettlement(server.db);
  second = await startServer({ DATABASE_PATH: server.databasePath, DATA_DIR: server.dataDir });
}, 120_000);
afterAll(async () => {
  await second?.stop();
  await server?.stop();
});

const sections = {
  personal: { fullName: 'Amir Rahman', nationality: 'Malaysia', idType: 'passport', idNumber: 'A12345678', dateOfBirth: '1990-04-02', phone: '+86 21 5555 0101' },
  company: { name: 'Bund Bridge Trading Co., Ltd.', creditCode: '91310000MA1FL1234Q', role: 'Founder', employees: 12 },
};

describe('saving steps at once', () => {
  it('keeps both sections when two processes save different sections of one draft at the same moment', async () => {
    const token = await server.api.signUp('concurrent-steps@example.com');
    const created = await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token);
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    // Hold the database's write lock, so both saves arrive and wait for it at the same moment; then let go.
    const sqlite = server.db.$client;
    sqlite.exec('BEGIN IMMEDIATE');
    let results;
    try {
      const saves = [
        server.api.patch(`/settlement/applications/${id}`, { answers: { personal: sections.personal } }, token),
        second.api.patch(`/settlement/applications/${id}`, { answers: { company: sections.company } }, token),
      ];
      await new Promise((r) => setTimeout(r, 1500));
      sqlite.exec('COMMIT');
      results = await Promise.all(saves);
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
    expect(results.map((r) => r.status)).toEqual([200, 200]);

    const { answers } = server.db.select().from(settlementApplications).where(eq(settlementApplications.id, id)).get()!;
    expect(answers.personal).toMatchObject({ fullName: 'Amir Rahman' });
    expect(answers.company).toMatchObject({ creditCode: '91310000MA1FL1234Q' });
    // and both saves were written in turn, each with the other's section kept
    const both = await server.api.get(`/settlement/applications/${id}`, token);
    expect(Object.keys(both.body.answers).sort()).toEqual(['company', 'personal']);
  }, 60_000);

  it('refuses a document whose case was submitted while the file was arriving', async () => {
    const token = await server.api.signUp('concurrent-upload@example.com');
    const id = (await server.api.post('/settlement/applications', { route: 'entrepreneur-talent' }, token)).body.id as number;
    // The case is submitted in a transaction that commits while the upload waits to write.
    const sqlite = server.db.$client;
    sqlite.exec('BEGIN IMMEDIATE');
    let status: number;
    try {
      sqlite.prepare('UPDATE settlement_applications SET state = ? WHERE id = ?').run('submitted', id);
      const form = new FormData();
      form.set('item', 'identity');
      form.set('file', new Blob([Buffer.from('%PDF-1.4\n%%EOF\n')], { type: 'application/pdf' }), 'identity.pdf');
      const upload = fetch(`${second.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
      await new Promise((r) => setTimeout(r, 1500));
      sqlite.exec('COMMIT');
      status = (await upload).status;
    } finally {
      if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
    }
    expect(status).toBe(409);
    expect(server.db.select().from(settlementDocuments).where(eq(settlementDocuments.applicationId, id)).all()).toEqual([]);
  }, 60_000);
});
