/** Notification texts for settlement events, in the recipient's language. */
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@db/client';
import { users } from '@db/schema';
import type { Notice } from '~/lib/notifications/notify';

type Kind = string;

const TEXT: Record<Kind, { en: string; zh: string; email?: boolean }> = {
  submitted: { en: 'Application {ref} received', zh: '已收到申请 {ref}', email: true },
  accepted: { en: 'Application {ref} accepted for review', zh: '申请 {ref} 已受理', email: true },
  incomplete: { en: 'Application {ref}: documents or information missing (due {due})', zh: '申请 {ref} 材料不全，请于 {due} 前补正', email: true },
  in_review: { en: 'Application {ref} is under review', zh: '申请 {ref} 正在审核' },
  information_requested: { en: 'Application {ref}: information requested (due {due})', zh: '申请 {ref} 需要补充信息，请于 {due} 前提交', email: true },
  approved: { en: 'Decision on application {ref}: approved', zh: '申请 {ref} 审批结果：批准', email: true },
  refused: { en: 'Decision on application {ref}: refused', zh: '申请 {ref} 审批结果：不予批准', email: true },
  lapsed: { en: 'Application {ref} lapsed: the due date passed', zh: '申请 {ref} 已逾期失效', email: true },
  withdrawn: { en: 'Application {ref} withdrawn', zh: '申请 {ref} 已撤回' },
  assigned: { en: 'Case {ref} assigned to you', zh: '案件 {ref} 已分配给您' },
  replied: { en: 'The applicant replied on case {ref}', zh: '申请人已就案件 {ref} 作出答复' },
};

export function noticeFor(db: DbOrTx, userId: string, kind: Kind, app: { id: number; reference: string | null }, details: Record<string, unknown>): Notice {
  const locale = db.select({ locale: users.locale }).from(users).where(eq(users.id, userId)).get()?.locale ?? 'zh-cn';
  const text = TEXT[kind] ?? { en: 'Application {ref} changed', zh: '申请 {ref} 有更新' };
  const template = locale === 'en' ? text.en : text.zh;
  const title = template.replace('{ref}', app.reference ?? `#${app.id}`).replace('{due}', String(details.dueDate ?? ''));
  const url = `${locale === 'en' ? '/en' : ''}/settlement/applications/${app.id}`;
  return { kind: `settlement.${kind}`, title, url, email: !!text.email };
}
