/** Notices of settlement events; their texts are `notice.settlement.<kind>` in src/i18n/dict/notices.ts. */
import type { Notice } from '~/lib/notifications/notify';

/** What is worth a mail as well; the rest only shows in the portal. */
const MAILED = new Set(['submitted', 'accepted', 'incomplete', 'information_requested', 'approved', 'refused', 'lapsed']);

export function noticeFor(kind: string, app: { id: number; reference: string | null }, details: Record<string, unknown>): Notice {
  const due = typeof details.dueDate === 'string' ? new Date(details.dueDate) : '';
  return {
    kind: `settlement.${kind}`,
    params: { ref: app.reference ?? `#${app.id}`, due },
    url: `/settlement/applications/${app.id}`,
    email: MAILED.has(kind),
  };
}
