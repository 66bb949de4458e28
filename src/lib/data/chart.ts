/**
 * Chart geometry for the data pages (issue 18): d3-scale and d3-shape do the arithmetic, the
 * Astro components (src/components/data) write the SVG. Everything here is plain data, so a
 * chart is rendered on the server with no script in the page.
 */
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';
import type { Lang } from '~/i18n';
import type { Figures } from './figures';
import { cellText, codeLabel } from './formats';
import type { Column } from './types';

/** Series colours: each at least 4.5:1 against white, told apart by the legend's words too. */
export const SERIES_COLOURS = ['#1d4f91', '#a84300', '#2b6a2f', '#6a1b9a'];
export const TEXT_COLOUR = '#1a1a1a';
export const AXIS_COLOUR = '#595959';

/** Roughly how wide text is at a font size: CJK characters take a full em, others about half. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += /[\u2e80-\u9fff\uff00-\uffef]/.test(ch) ? 1 : 0.56;
  return em * fontSize;
}

/** The text cut to fit `width`, with an ellipsis when cut (the full text stays in the table and a <title>). */
export function fitText(text: string, width: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= width) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(out + ch + '…', fontSize) > width) break;
    out += ch;
  }
  return out + '…';
}

const columnOf = (f: Figures, key: string): Column => f.dataset.columns.find((c) => c.key === key)!;

/** What names a row in a chart: every non-series column that is not a number, the x column last. */
export function rowLabel(f: Figures, rowIndex: number, lang: Lang): string {
  const chart = f.dataset.chart!;
  const row = f.rows[rowIndex]!;
  const naming = f.dataset.columns.filter((c) => !chart.y.includes(c.key) && c.key !== chart.x && ['string', 'date', 'quarter', 'year'].includes(c.type));
  return [...naming, columnOf(f, chart.x)].map((c) => (row[c.key] === null ? '–' : codeLabel(c, String(row[c.key]), lang))).join(' · ');
}

export interface Series {
  key: string;
  label: string;
  colour: string;
}

export const seriesOf = (f: Figures, lang: Lang): Series[] =>
  f.dataset.chart!.y.map((key, i) => ({ key, label: columnOf(f, key).label[lang], colour: SERIES_COLOURS[i % SERIES_COLOURS.length]! }));

export const WIDTH = 360;

/** What a chart component is given: the figures, the page's language, and the names of its image. */
export interface ChartProps {
  figures: Figures;
  lang: Lang;
  titleId: string;
  descId: string;
  title: string;
  desc: string;
}
const FONT = 13;

export interface BarLayout {
  height: number;
  legend: { x: number; y: number; series: Series }[];
  groups: { label: string; full: string; y: number; bars: { y: number; width: number; colour: string; text: string; textX: number; series: string }[] }[];
}

/** Horizontal bars: each row's label on its own line above its bars, so long labels keep the bars wide at 360 px. */
export function barLayout(f: Figures, lang: Lang): BarLayout {
  const series = seriesOf(f, lang);
  const values = f.rows.flatMap((r) => series.map((s) => r[s.key])).filter((v): v is number => typeof v === 'number');
  const valueRoom = 64;
  const x = scaleLinear().domain([0, Math.max(0, ...values) || 1]).range([0, WIDTH - valueRoom]).nice();
  const legend = series.length > 1 ? series.map((s, i) => ({ x: 0, y: 16 + i * 20, series: s })) : [];
  let y = legend.length ? legend.length * 20 + 12 : 4;
  const barHeight = 16;
  const groups = f.rows.map((row, i) => {
    const full = rowLabel(f, i, lang);
    const labelY = y + FONT;
    y += FONT + 6;
    const bars = series.map((s) => {
      const value = row[s.key] ?? null;
      const width = typeof value === 'number' ? Math.max(0, x(value)) : 0;
      const bar = { y, width, colour: s.colour, series: s.label, text: cellText(columnOf(f, s.key), value, f.suppressed[i]!.has(s.key), lang), textX: width + 4 };
      y += barHeight + 3;
      return bar;
    });
    y += 10;
    return { label: fitText(full, WIDTH, FONT), full, y: labelY, bars };
  });
  return { height: y, legend, groups };
}

export interface LineLayout {
  height: number;
  top: number;
  bottom: number;
  left: number;
  legend: { x: number; y: number; series: Series }[];
  yTicks: { y: number; text: string }[];
  xTicks: { x: number; text: string }[];
  paths: { d: string; colour: string; series: string; points: { x: number; y: number }[] }[];
}

/** A line per series over the x column (quarters, years), in row order; withheld or missing points break the line. */
export function lineLayout(f: Figures, lang: Lang): LineLayout {
  const chart = f.dataset.chart!;
  const series = seriesOf(f, lang);
  const xs = f.rows.map((r) => String(r[chart.x] ?? ''));
  const values = f.rows.flatMap((r) => series.map((s) => r[s.key])).filter((v): v is number => typeof v === 'number');
  const legend = series.map((s, i) => ({ x: 0, y: 16 + i * 20, series: s }));
  const top = legend.length * 20 + 16;
  const left = 48;
  const plotHeight = 180;
  const bottom = top + plotHeight;
  // labels are centred under their points: room for half of 'YYYY-Qn' on either end
  const x = scalePoint<string>().domain(xs).range([left + 28, WIDTH - 28]);
  const y = scaleLinear().domain([0, Math.max(0, ...values) || 1]).range([bottom, top]).nice();
  const firstY = columnOf(f, chart.y[0]!);
  const yTicks = y.ticks(4).map((v) => ({ y: y(v), text: cellText(firstY, v, false, lang) }));
  const every = Math.max(1, Math.ceil(xs.length / 5));
  const xColumn = columnOf(f, chart.x);
  const xTicks = xs.flatMap((v, i) => (i % every === 0 || i === xs.length - 1 ? [{ x: x(v)!, text: codeLabel(xColumn, v, lang) }] : []));
  const paths = series.map((s) => {
    const pts = f.rows.map((r, i) => ({ x: x(xs[i]!)!, value: r[s.key] }));
    const path = line<{ x: number; value: unknown }>()
      .defined((p) => typeof p.value === 'number')
      .x((p) => p.x)
      .y((p) => y(p.value as number));
    return { d: path(pts) ?? '', colour: s.colour, series: s.label, points: pts.filter((p) => typeof p.value === 'number').map((p) => ({ x: p.x, y: y(p.value as number) })) };
  });
  return { height: bottom + 40, top, bottom, left, legend, yTicks, xTicks, paths };
}
