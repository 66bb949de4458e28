/**
 * Driving a page as a keyboard user does: Tab and Shift+Tab move focus, Enter and Space act, and
 * typing goes into the focused field. A test that can only reach a control by clicking it fails here.
 */
import type { Page } from 'playwright-core';

/** The focused element's accessible name, roughly as a screen reader says it (aria-label, its label, its text). */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return '';
    const squash = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
    const aria = el.getAttribute('aria-label');
    if (aria) return squash(aria);
    const by = el.getAttribute('aria-labelledby');
    if (by) return squash(by.split(/\s+/).map((id) => document.getElementById(id)?.textContent).join(' '));
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length) {
      // A label's aria-hidden "*" (required) is not part of the name.
      return squash([...labels].map((l) => {
        const copy = l.cloneNode(true) as HTMLElement;
        copy.querySelectorAll('[aria-hidden="true"], input, select, textarea').forEach((n) => n.remove());
        return copy.textContent;
      }).join(' '));
    }
    return squash(el.textContent) || squash((el as HTMLInputElement).value);
  });
}

/**
 * Presses Tab (or Shift+Tab) until the focused element's name matches: a RegExp, or a string the name
 * must equal. Fails after `max` presses, naming what it passed on the way.
 */
export async function tabTo(page: Page, name: RegExp | string, { max = 120, back = false }: { max?: number; back?: boolean } = {}) {
  const matches = (s: string) => (typeof name === 'string' ? s === name : name.test(s));
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const focused = await focusedName(page);
    if (matches(focused)) return;
    seen.push(focused);
  }
  throw new Error(`Tab never reached ${name} on ${page.url()} after ${max} presses; passed: ${seen.slice(0, 60).join(' | ')}`);
}

/** Replaces what the focused field holds with `text`, as a person selecting all and typing over it does. */
export async function typeOver(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
}

/**
 * Types an ISO date (2026-12-25) into the focused date field, segment by segment. Chromium lays the
 * segments out in its own UI language, not the page's: month/day/year in the headless browser here.
 */
export async function typeDate(page: Page, iso: string) {
  const [year, month, day] = iso.split('-');
  await page.keyboard.type(`${month}${day}${year}`);
}

/** Tabs to the field named `label` and types `text` into it. */
export async function fill(page: Page, label: RegExp | string, text: string) {
  await tabTo(page, label);
  await typeOver(page, text);
}

/**
 * Presses a key and waits for the page it leads to (a link followed, a form submitted and redirected):
 * the next document the tab commits, even at the same address.
 */
export async function pressAndWait(page: Page, key: 'Enter' | 'Space') {
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame(), timeout: 30_000 });
  await page.keyboard.press(key);
  await navigated;
  await page.waitForLoadState();
}

/** Fails when the page is wider than the viewport: at 360 px nothing may scroll sideways. */
export async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
