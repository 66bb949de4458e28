/**
 * Driving a page with the keyboard only, as a person without a mouse does: Tab / Shift+Tab to move,
 * Enter / Space to press, typing into the focused field. Shared by the keyboard journey tests.
 */
import type { Page } from 'playwright-core';

export interface Focused {
  /** The element's accessible name, roughly: aria-label, aria-labelledby, its <label>s, or its text; whitespace collapsed. */
  name: string;
  tag: string;
  /** The element's `type` (inputs, buttons) or role, if any. */
  type: string;
  id: string;
  /** True when the element has a visible focus indicator: a computed outline or box-shadow. */
  indicator: boolean;
  /**
   * The contrast ratio of the outline's colour against the background behind the element (WCAG's
   * formula; 1.4.11 asks for at least 3), or null when the indicator is not an outline.
   */
  indicatorContrast: number | null;
  /** True when the element takes up room on screen (not inside a closed <details>, not display: none). */
  visible: boolean;
}

/** What has the keyboard focus now; `null` when nothing does (focus on <body>). */
export async function focused(page: Page): Promise<Focused | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el === document.documentElement) return null;
    const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
    const byIds = (ids: string | null) =>
      squash((ids ?? '').split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' '));
    // A label's aria-hidden "*" (required) and the controls inside it are not part of the name.
    const labelText = (l: HTMLLabelElement) => {
      const copy = l.cloneNode(true) as HTMLElement;
      copy.querySelectorAll('[aria-hidden="true"], input, select, textarea').forEach((n) => n.remove());
      return copy.textContent;
    };
    const labels = 'labels' in el ? Array.from((el as HTMLInputElement).labels ?? []).map(labelText).join(' ') : '';
    const name =
      squash(el.getAttribute('aria-label')) || byIds(el.getAttribute('aria-labelledby')) || squash(labels) || squash(el.textContent) || squash((el as HTMLInputElement).value);
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
    const rect = el.getBoundingClientRect();
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r, g, b]: number[]) =>
      [r!, g!, b!].map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4)).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
    // The outline sits outside the element: what is behind it is the nearest ancestor's background.
    let behind = 'rgb(255, 255, 255)';
    for (let p = el.parentElement; p; p = p.parentElement) {
      const bg = getComputedStyle(p).backgroundColor;
      const [, , , alpha = 1] = rgb(bg);
      if (bg !== 'transparent' && alpha > 0) {
        behind = bg;
        break;
      }
    }
    const [l1, l2] = [luminance(rgb(style.outlineColor)), luminance(rgb(behind))].sort((a, b) => b - a);
    return {
      name,
      tag: el.tagName.toLowerCase(),
      type: el.getAttribute('type') ?? el.getAttribute('role') ?? '',
      id: el.id,
      indicator: outline || shadow,
      indicatorContrast: outline ? Math.round(((l1! + 0.05) / (l2! + 0.05)) * 100) / 100 : null,
      visible: rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden',
    };
  });
}

const matches = (name: string, want: RegExp | string) => (typeof want === 'string' ? name === want : want.test(name));

/**
 * Presses Tab (or Shift+Tab with `backwards`) until the focused element's name matches `want` (a
 * string matches exactly, whitespace collapsed), and returns it. Fails after `max` presses, and
 * when focus lands on something not visible on screen or showing no focus indicator.
 */
export async function tabTo(page: Page, want: RegExp | string, options: { max?: number; backwards?: boolean } = {}): Promise<Focused> {
  const max = options.max ?? 120;
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (!now) continue;
    if (!now.visible) throw new Error(`focus went to an element that is not visible: <${now.tag}> “${now.name}” on ${page.url()}`);
    // A date field's focus sits in its day/month/year parts, which Chromium highlights itself; under
    // playwright the field then does not always match :focus, so its own outline is not asked for.
    if (!now.indicator && !/^date|^datetime/.test(now.type)) throw new Error(`focus went to an element that does not show it (no outline or box-shadow): <${now.tag}> “${now.name}” on ${page.url()}`);
    if (matches(now.name, want)) return now;
    seen.push(now.name.slice(0, 60));
  }
  throw new Error(`Tab never reached ${want} on ${page.url()} after ${max} presses; passed: ${seen.join(' | ')}`);
}

/** The focused element's accessible name ('' when nothing has focus). */
export async function focusedName(page: Page): Promise<string> {
  return (await focused(page))?.name ?? '';
}

/** Tabs to the field named `label` and types `text` into it, replacing what it held. */
export async function fill(page: Page, label: RegExp | string, text: string): Promise<Focused> {
  const field = await tabTo(page, label);
  await typeHere(page, text);
  return field;
}

/** Types `text` into the focused field, replacing what it held. */
export async function typeHere(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  if (text) await page.keyboard.type(text);
}

/**
 * Presses `key` (Enter or Space) on the focused element, waits for the next page to load and
 * returns its URL; fails when the URL does not match `url`.
 */
export async function pressAndWait(page: Page, key: 'Enter' | 'Space', url?: RegExp | ((url: URL) => boolean)): Promise<URL> {
  const loaded = page.waitForEvent('load');
  await page.keyboard.press(key);
  await loaded;
  const now = new URL(page.url());
  if (url && !(typeof url === 'function' ? url(now) : url.test(now.href))) throw new Error(`after ${key}, landed on ${now.href}, not ${url}`);
  return now;
}

/**
 * Types an ISO date (2026-12-25) into the focused date field, segment by segment. Chromium lays the
 * segments out in its own UI language, not the page's: month/day/year in the headless browser here.
 */
export async function typeDate(page: Page, iso: string) {
  const [year, month, day] = iso.split('-');
  await page.keyboard.type(`${month}${day}${year}`);
}

/** The page's width: at 360 px nothing may scroll sideways. */
export async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
