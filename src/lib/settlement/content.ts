/** Route explanations: Markdown in content/settlement/<slug>.<lang>.md, rendered by the one renderer. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Lang } from '~/i18n';
import { renderMarkdown } from '~/lib/markdown/render';

export function routeExplanationHtml(slug: string, lang: Lang): string | null {
  if (!/^[a-z0-9-]+$/.test(slug)) return null;
  const dir = path.resolve(process.env.CONTENT_DIR ?? 'content', 'settlement');
  for (const l of [lang, lang === 'en' ? 'zh-cn' : 'en']) {
    try {
      return renderMarkdown(readFileSync(path.join(dir, `${slug}.${l}.md`), 'utf8'), { lang });
    } catch {
      /* try the other language */
    }
  }
  return null;
}
