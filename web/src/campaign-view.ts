// Shared pieces of the campaign pages: labels of populations, unit kinds and goals, numbers and
// percentages in the UI language, the late / behind badges, and a target's two progress bars
// side by side (reported and measured) with the marker of where it should be by now.

import type { TargetProgress } from './api-campaigns';
import { h } from './dom';
import { hasKey, locale, t } from './i18n';

function labelFor(key: string, fallback: string): string {
  return hasKey(key) ? t(key) : fallback;
}

export const populationLabel = (p: string): string => labelFor(`population_${p}`, p);
export const orgKindLabel = (k: string): string => labelFor(`org_kind_${k}`, k);
export const goalLabel = (g: string): string => labelFor(`goal_${g}`, g);

export function formatCount(n: number | null | undefined): string {
  return n == null ? t('none') : new Intl.NumberFormat(locale()).format(n);
}

export function formatPercent(p: number | null | undefined): string {
  return p == null ? t('none') : `${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(p)}%`;
}

/** "Chậm báo cáo" (red) and "Chậm tiến độ" (amber): text and colour, never colour alone. */
export function statusBadges(s: { late: boolean; behind: boolean }, testid?: string): HTMLElement {
  return h(
    'span',
    { class: 'campaign-badges', 'data-testid': testid },
    s.late && h('span', { class: 'campaign-badge late', 'data-testid': 'badge-late' }, t('campaign_late')),
    s.behind && h('span', { class: 'campaign-badge behind', 'data-testid': 'badge-behind' }, t('campaign_behind')),
    !s.late && !s.behind && h('span', { class: 'campaign-badge on-track', 'data-testid': 'badge-on-track' }, t('campaign_on_track')),
  );
}

/** One bar: the filled share, the target and the expected-by-now marker (decorative; the text says it). */
function bar(kind: 'reported' | 'measured', percent: number | null, p: TargetProgress): HTMLElement {
  const width = Math.max(0, Math.min(100, percent ?? 0));
  const reached = percent != null && percent >= p.target_percent;
  const behind = percent == null || percent < p.expected_percent;
  return h(
    'div',
    { class: ['bar', `bar-${kind}`, reached ? 'reached' : behind ? 'under' : 'ok'], 'aria-hidden': 'true' },
    h('span', { class: 'bar-fill', style: `width:${width}%` }),
    h('span', { class: 'bar-target', style: `left:${Math.min(100, p.target_percent)}%` }),
    h('span', { class: 'bar-expected', style: `left:${Math.min(100, p.expected_percent)}%` }),
  );
}

function barLine(kind: 'reported' | 'measured', count: number | null, percent: number | null, p: TargetProgress): HTMLElement {
  const label = t(kind === 'reported' ? 'campaign_reported' : 'campaign_measured');
  const figure = count == null ? t('campaign_no_figure') : `${formatPercent(percent)} (${formatCount(count)})`;
  return h(
    'div',
    { class: 'bar-line', 'data-testid': `bar-${kind}`, 'data-count': count ?? '', 'data-percent': percent ?? '' },
    h('span', { class: 'bar-label' }, h('span', { class: 'bar-kind' }, label), ' ', h('span', { class: 'bar-figure' }, figure)),
    bar(kind, percent, p),
  );
}

/**
 * A target's progress: reported and measured bars side by side, the head count and the target,
 * and the percentage expected by now (the dashed marker). A unit without anyone of the
 * population shows "not applicable".
 */
export function targetProgress(p: TargetProgress, testid = 'target-progress'): HTMLElement {
  const attrs = {
    class: ['target-progress', p.behind && 'is-behind'],
    'data-testid': testid,
    'data-population': p.population,
    'data-reported': p.reported ?? '',
    'data-measured': p.measured ?? '',
    'data-behind': String(p.behind),
  };
  if (p.head_count === 0) return h('div', { ...attrs, class: 'target-progress not-applicable' }, h('span', { class: 'muted small' }, t('campaign_not_applicable')));
  return h(
    'div',
    attrs,
    h('div', { class: 'bar-pair' }, barLine('reported', p.reported, p.reported_percent, p), barLine('measured', p.measured, p.measured_percent, p)),
    h(
      'p',
      { class: 'bar-caption small muted' },
      t('campaign_target_of', { target: formatPercent(p.target_percent), count: formatCount(p.target_count), heads: formatCount(p.head_count) }),
      ' · ',
      h('span', { class: 'expected-key' }, t('campaign_expected_now', { percent: formatPercent(p.expected_percent) })),
    ),
  );
}
