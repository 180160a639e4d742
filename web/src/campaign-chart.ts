// The campaign's progress over time, drawn by hand as inline SVG: for each target the totals'
// reported percentage (solid line, dots) and measured percentage (dashed line, squares) at each
// point of the timeline, and the straight line of what is expected from 0 at the start to the
// target at the deadline (dotted). Days run from the start to the deadline; the date shown is a
// vertical line. The same figures are in a table beneath for screen readers and for reading
// exact values.

import type { Campaign, TimelinePoint } from './api-campaigns';
import { populationLabel, formatPercent } from './campaign-view';
import { h } from './dom';
import { t } from './i18n';
import { formatDay } from './ui';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 720;
const HEIGHT = 300;
const PAD = { left: 48, right: 16, top: 16, bottom: 40 };
/** One colour per target, in the campaign's order (with the line style, never colour alone). */
const COLOURS = ['#0f766e', '#b45309', '#1d4ed8', '#9d174d', '#4d7c0f'];

function el<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, ...children: (SVGElement | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c);
  return node;
}

/** Days from 1970-01-01 of a YYYY-MM-DD date (no time zone involved). */
function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

const shortDay = (iso: string) => formatDay(iso).replace(/\/\d{4}$/, '');

export function progressChart(campaign: Campaign, timeline: TimelinePoint[], date: string): HTMLElement {
  const first = dayNumber(campaign.start);
  const last = Math.max(dayNumber(campaign.deadline), first + 1);
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (iso: string) => PAD.left + ((Math.min(Math.max(dayNumber(iso), first), last) - first) / (last - first)) * plotW;
  const y = (percent: number) => PAD.top + plotH - (Math.max(0, Math.min(100, percent)) / 100) * plotH;

  const svg = el('svg', {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    class: 'campaign-chart-svg',
    role: 'img',
    'aria-labelledby': 'campaign-chart-title',
    'data-testid': 'campaign-chart-svg',
    preserveAspectRatio: 'xMidYMid meet',
  });
  svg.append(el('title', { id: 'campaign-chart-title' }, t('campaign_chart_alt')));

  // Grid: 0–100% every 25, and a tick at every reporting date.
  for (const p of [0, 25, 50, 75, 100]) {
    svg.append(el('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(p), y2: y(p), class: 'chart-grid' }));
    svg.append(el('text', { x: PAD.left - 6, y: y(p) + 4, 'text-anchor': 'end', class: 'chart-tick' }, `${p}%`));
  }
  for (const d of [campaign.start, ...campaign.reporting_dates]) {
    svg.append(el('line', { x1: x(d), x2: x(d), y1: PAD.top + plotH, y2: PAD.top + plotH + 5, class: 'chart-axis' }));
    svg.append(el('text', { x: x(d), y: HEIGHT - PAD.bottom + 20, 'text-anchor': 'middle', class: 'chart-tick' }, shortDay(d)));
  }
  svg.append(el('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: PAD.top + plotH, y2: PAD.top + plotH, class: 'chart-axis' }));
  svg.append(el('line', { x1: x(date), x2: x(date), y1: PAD.top, y2: PAD.top + plotH, class: 'chart-today' }));
  svg.append(el('text', { x: x(date), y: PAD.top + 10, 'text-anchor': x(date) > WIDTH - 80 ? 'end' : 'start', dx: x(date) > WIDTH - 80 ? -4 : 4, class: 'chart-tick chart-today-label' }, shortDay(date)));

  campaign.targets.forEach((target, i) => {
    const colour = COLOURS[i % COLOURS.length];
    svg.append(
      el('line', { x1: x(campaign.start), y1: y(0), x2: x(campaign.deadline), y2: y(target.percent), stroke: colour, class: 'chart-expected', 'data-testid': 'chart-expected' }),
    );
    for (const kind of ['reported', 'measured'] as const) {
      const points = timeline
        .map((p) => ({ date: p.date, value: p.targets[i]?.[kind === 'reported' ? 'reported_percent' : 'measured_percent'] ?? null }))
        .filter((p): p is { date: string; value: number } => p.value !== null);
      if (points.length === 0) continue;
      if (points.length > 1) {
        svg.append(
          el('polyline', {
            points: points.map((p) => `${x(p.date).toFixed(1)},${y(p.value).toFixed(1)}`).join(' '),
            stroke: colour,
            class: `chart-line chart-${kind}`,
            'data-testid': `chart-${kind}`,
            'data-population': target.population,
          }),
        );
      }
      for (const p of points) {
        const label = `${populationLabel(target.population)} · ${t(kind === 'reported' ? 'campaign_reported' : 'campaign_measured')} · ${formatDay(p.date)}: ${formatPercent(p.value)}`;
        const mark =
          kind === 'reported'
            ? el('circle', { cx: x(p.date), cy: y(p.value), r: 4, fill: colour, class: 'chart-point' }, el('title', {}, label))
            : el('rect', { x: x(p.date) - 3.5, y: y(p.value) - 3.5, width: 7, height: 7, fill: '#fff', stroke: colour, class: 'chart-point' }, el('title', {}, label));
        svg.append(mark);
      }
    }
  });

  return h(
    'figure',
    { class: 'campaign-chart', 'data-testid': 'campaign-chart' },
    svg,
    h(
      'figcaption',
      null,
      h(
        'ul',
        { class: 'chart-legend', 'aria-hidden': 'true' },
        campaign.targets.map((target, i) =>
          h(
            'li',
            null,
            h('span', { class: 'legend-swatch solid', style: `border-color:${COLOURS[i % COLOURS.length]}` }),
            `${populationLabel(target.population)} — ${t('campaign_reported')}`,
            h('span', { class: 'legend-swatch dashed', style: `border-color:${COLOURS[i % COLOURS.length]}` }),
            t('campaign_measured'),
            h('span', { class: 'legend-swatch dotted', style: `border-color:${COLOURS[i % COLOURS.length]}` }),
            t('campaign_expected_line', { percent: target.percent }),
          ),
        ),
      ),
      chartTable(campaign, timeline),
    ),
  );
}

/** The chart's figures as a table (in a disclosure, so sighted users can read exact values too). */
function chartTable(campaign: Campaign, timeline: TimelinePoint[]): HTMLElement {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', null, t('campaign_chart_table')),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'table compact', 'data-testid': 'chart-table' },
        h('caption', { class: 'sr-only' }, t('campaign_chart_alt')),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, t('campaign_col_date')),
            campaign.targets.map((target) => [
              h('th', { scope: 'col' }, `${populationLabel(target.population)} — ${t('campaign_reported')}`),
              h('th', { scope: 'col' }, `${populationLabel(target.population)} — ${t('campaign_measured')}`),
              h('th', { scope: 'col' }, `${populationLabel(target.population)} — ${t('campaign_expected')}`),
            ]),
          ),
        ),
        h(
          'tbody',
          null,
          timeline.map((p) =>
            h(
              'tr',
              null,
              h('th', { scope: 'row' }, formatDay(p.date)),
              campaign.targets.map((_, i) => [
                h('td', { class: 'num' }, formatPercent(p.targets[i]?.reported_percent)),
                h('td', { class: 'num' }, formatPercent(p.targets[i]?.measured_percent)),
                h('td', { class: 'num' }, formatPercent(p.targets[i]?.expected_percent)),
              ]),
            ),
          ),
        ),
      ),
    ),
  );
}
