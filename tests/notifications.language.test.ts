/**
 * Notices and their mail are written in the recipient's language (the language they last used the
 * pages in), names in that language's variant; the Chinese notifications page shows no English
 * notice text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRoles } from '../db/schema';
import { seed } from '../db/seed';
import { DEMO_PASSWORD } from '../db/seed/demo-accounts';
import { dictionaries } from '../src/i18n/dict';
import { getPage, outbox, userId } from './helpers/accounts';
import { providerSetup, publishedSession } from './courses.fixtures';
import { startServer, type TestServer } from './helpers/server';

let server: TestServer;
type Person = { email: string; id: string; token: string };
let zh: Person;
let en: Person;

async function person(email: string, pageLanguage: 'zh' | 'en'): Promise<Person> {
  const token = await server.api.signUp(email);
  // Using the pages in a language makes it the language of that person's notices and mail.
  expect((await getPage(server, pageLanguage === 'en' ? '/en/account' : '/account', token)).status).toBe(200);
  return { email, id: userId(server, email), token };
}

const localeOf = (p: Person) => (server.db.$client.prepare('select locale from users where id = ?').get(p.id) as { locale: string }).locale;
const noticesOf = (p: Person, kind: string) =>
  server.db.$client.prepare('select title, body, url from notifications where user_id = ? and kind = ? order by id').all(p.id, kind) as { title: string; body: string; url: string }[];

beforeAll(async () => {
  server = await startServer();
  zh = await person('zh-reader@example.com', 'zh');
  en = await person('en-reader@example.com', 'en');
});
afterAll(() => server?.stop());

describe('notices in the recipient’s language', () => {
  it('follows the language a person last used the pages in', async () => {
    expect(localeOf(zh)).toBe('zh-cn');
    expect(localeOf(en)).toBe('en');
    const switcher = await person('switcher@example.com', 'en');
    await getPage(server, '/courses', switcher.token);
    expect(localeOf(switcher)).toBe('zh-cn');
  });

  it('a waitlist promotion: notice and mail in Chinese for a Chinese reader, in English for an English one', async () => {
    const p = await providerSetup(server, 'lang-provider@example.com', 'lang');
    const { courseId, sessionId } = await publishedSession(server, p, { capacity: 1, waitlistLimit: 5 });
    const holder = await server.api.signUp('seat-holder@example.com');
    const seat = await server.api.post(`/sessions/${sessionId}/enrollments`, {}, holder);
    for (const who of [zh, en]) expect((await server.api.post(`/sessions/${sessionId}/enrollments`, {}, who.token)).body.status).toBe('waitlisted');
    expect((await server.api.delete(`/enrollments/${seat.body.id}`, holder)).status).toBe(200);
    const mine = (await server.api.get('/me/enrollments', zh.token)).body.items[0];
    expect((await server.api.delete(`/enrollments/${mine.id}`, zh.token)).status).toBe(200);

    expect(noticesOf(zh, 'course.promoted')).toEqual([
      { title: '您已获得名额：跨境物流实务', body: '有名额空出，您是候补名单上的下一位，现已报名成功。', url: `/courses/${courseId}` },
    ]);
    expect(noticesOf(en, 'course.promoted')).toEqual([
      { title: 'You have a seat: Cross-border logistics in practice', body: 'A seat came free and you were next on the waitlist, so you are now enrolled.', url: `/courses/${courseId}` },
    ]);
    const zhMail = outbox(server, zh.email).at(-1)!;
    expect(zhMail.subject).toBe('您已获得名额：跨境物流实务');
    expect(zhMail.body).toBe(`有名额空出，您是候补名单上的下一位，现已报名成功。\n\n查看详情：${server.url}/courses/${courseId}`);
    const enMail = outbox(server, en.email).at(-1)!;
    expect(enMail.subject).toBe('You have a seat: Cross-border logistics in practice');
    expect(enMail.body).toBe(`A seat came free and you were next on the waitlist, so you are now enrolled.\n\nDetails: ${server.url}/en/courses/${courseId}`);
  });

  it('a standards disposition: the decision in the reader’s words, the standard’s title in their language', async () => {
    await seed(server.db);
    const editor = await server.api.post('/auth/login', { email: 'standards@demo.portal.test', password: DEMO_PASSWORD });
    const list = await server.api.get('/standards?stage=public_comment');
    const standard = list.body.items.find((s: { organization: { code: string } }) => s.organization.code === 'SCBEA');
    const full = (await server.api.get(`/standards/${standard.id}`)).body;
    const comment = async (who: Person) => {
      const res = await server.api.post(`/standards/${standard.id}/comments`, { clause: '4.2', type: 'technical', text: 'Twelve months is too short.' }, who.token);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    const dispose = async (id: number, decision: string) => {
      const res = await server.api.post(`/standards/comments/${id}/disposition`, { decision, reason: '改为 24 个月。 Use 24 months.' }, editor.body.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    };
    await dispose(await comment(zh), 'accepted');
    await dispose(await comment(en), 'not_accepted');

    const [zhNotice] = noticesOf(zh, 'standard.comment.disposed');
    expect(zhNotice!.title).toBe(`您对“${full.titleZh}”第 4.2 条的意见：采纳`);
    expect(zhNotice!.body).toBe('改为 24 个月。 Use 24 months.');
    const [enNotice] = noticesOf(en, 'standard.comment.disposed');
    expect(enNotice!.title).toBe(`Your comment on clause 4.2 of “${full.title}”: Not accepted`);
    expect(outbox(server, zh.email).at(-1)).toEqual({ subject: zhNotice!.title, body: `改为 24 个月。 Use 24 months.\n\n查看详情：${server.url}${zhNotice!.url}` });
    expect(outbox(server, en.email).at(-1)!.subject).toBe(enNotice!.title);
    expect(outbox(server, en.email).at(-1)!.body).toContain(`Details: ${server.url}/en/standards/${standard.id}/resolution#comment-`);
  });

  it('an organization verification: the organization’s name in the reader’s language', async () => {
    const admin = await server.api.signUp('lang-admin@example.com');
    server.db.insert(userRoles).values({ userId: userId(server, 'lang-admin@example.com'), role: 'admin' }).run();
    for (const who of [zh, en]) {
      const org = await server.api.post('/organizations', { name: `Hongqiao Trade School ${who === zh ? 'A' : 'B'}`, nameZh: `虹桥贸易学校${who === zh ? '甲' : '乙'}`, type: 'university' }, who.token);
      expect(org.status, JSON.stringify(org.body)).toBe(201);
      expect((await server.api.post(`/organizations/${org.body.slug}/verify`, {}, admin)).status).toBe(200);
    }
    expect(noticesOf(zh, 'organization.verified').map((n) => n.title)).toEqual(['虹桥贸易学校甲 已通过认证']);
    expect(noticesOf(en, 'organization.verified').map((n) => n.title)).toEqual(['Hongqiao Trade School B is verified']);
    expect(outbox(server, zh.email).at(-1)!.subject).toBe('虹桥贸易学校甲 已通过认证');
    expect(outbox(server, zh.email).at(-1)!.body).toMatch(/^查看详情：http.*\/organizations\/[a-z0-9-]+$/);
    expect(outbox(server, en.email).at(-1)!.subject).toBe('Hongqiao Trade School B is verified');
    expect(outbox(server, en.email).at(-1)!.body).toMatch(/^Details: http.*\/en\/organizations\/[a-z0-9-]+$/);
  });

  it('the audit log names actions and object types in the page’s language', async () => {
    const admin = (await server.api.post('/auth/login', { email: 'lang-admin@example.com', password: 'correct horse battery' })).body.token;
    const zhPage = await (await getPage(server, '/admin/audit?action=organization.verified', admin)).text();
    expect(zhPage).toMatch(/<td[^>]*>机构通过认证<br[^>]*><code[^>]*>organization\.verified<\/code><\/td>/);
    expect(zhPage).toMatch(/<td[^>]*>机构 \d+<\/td>/);
    const enPage = await (await getPage(server, '/en/admin/audit?action=organization.verified', admin)).text();
    expect(enPage).toContain('Organization verified');
    expect(enPage).toMatch(/<option value="organization"[^>]*>Organization<\/option>/);
  });

  it('a course page writes lists, label colons and a one-day session in the page’s language', async () => {
    const p = await providerSetup(server, 'typography-provider@example.com', 'typo');
    const { courseId } = await publishedSession(server, p, { startsAt: '2031-12-26T09:00:00+08:00', endsAt: '2031-12-26T17:00:00+08:00', location: 'Room 5' });
    const zhPage = await (await getPage(server, `/courses/${courseId}`)).text();
    expect(zhPage).toContain('中文、英文');
    expect(zhPage).toContain('2031年12月26日 09:00–17:00');
    expect(zhPage).toContain('（Asia/Shanghai）');
    expect(zhPage).toContain('地点：Room 5');
    const enPage = await (await getPage(server, `/en/courses/${courseId}`)).text();
    expect(enPage).toContain('Chinese, English');
    expect(enPage).not.toContain('Chinese、English');
    expect(enPage).toContain('26 Dec 2031, 09:00–17:00');
    expect(enPage).toContain('Where: Room 5');
  });

  it('the Chinese notifications page shows a Chinese reader no English notice text', async () => {
    const html = await (await getPage(server, '/notifications', zh.token)).text();
    expect(html).toContain('您已获得名额：跨境物流实务');
    expect(html).toContain('虹桥贸易学校甲 已通过认证');
    // The fixed part of every English notice text (before its first parameter) is absent.
    const english = Object.entries(dictionaries.en)
      .filter(([key]) => key.startsWith('notice.'))
      .map(([, text]) => text.split('{')[0]!.trim())
      .filter((text) => text.length > 6);
    expect(english.length).toBeGreaterThan(20);
    for (const text of english) expect(html, text).not.toContain(text);
    expect(localeOf(zh)).toBe('zh-cn');
  });
});
