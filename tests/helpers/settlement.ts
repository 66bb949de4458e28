/**
 * A settlement application submitted through the API as its applicant would: the overseas-returnee
 * route's answers, its four required documents (PDFs), then submit. For tests that start where
 * the applicant's part ends (the officer's queue, confirmations, the decision letter).
 */
import { expect } from 'vitest';
import type { TestServer } from './server';

/** The smallest file the upload's content check accepts as a PDF. */
export const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n');

export async function submittedApplication(server: TestServer, applicant: string, fullName: string): Promise<{ id: number; reference: string }> {
  const { body } = await server.api.post('/settlement/applications', { route: 'overseas-returnee-entrepreneur' }, applicant);
  const id = body.id as number;
  const patched = await server.api.patch(`/settlement/applications/${id}`, {
    answers: {
      personal: { fullName, nationality: 'Germany', idType: 'passport', idNumber: 'C01X00T47', dateOfBirth: '1992-08-15', phone: '+86 21 5555 0202' },
      criteria: { overseas_degree: 'yes', returned_within_years: '2' },
      company: { name: 'Jing’an Parcel Data Ltd.', creditCode: '91310106MA1FL5678Q', role: 'Founder', employees: 5 },
      declaration: { agreed: true, signedName: fullName },
    },
  }, applicant);
  expect(patched.status).toBe(200);
  for (const item of ['identity', 'overseas_degree_certificate', 'degree_verification', 'business_licence']) {
    const form = new FormData();
    form.set('item', item);
    form.set('file', new Blob([PDF], { type: 'application/pdf' }), `${item}.pdf`);
    const res = await fetch(`${server.url}/api/v1/settlement/applications/${id}/documents`, { method: 'POST', headers: { authorization: `Bearer ${applicant}` }, body: form });
    expect(res.status).toBe(201);
  }
  const submitted = await server.api.post(`/settlement/applications/${id}/submit`, {}, applicant);
  expect(submitted.status).toBe(200);
  return { id, reference: submitted.body.reference as string };
}
