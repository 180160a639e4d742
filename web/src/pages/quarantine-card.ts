// The citizen's quarantine card on the home page: "You are F1 — quarantine until …" with the
// kind, day N of the total and today's tasks (the daily health update, linking to that
// declaration; a test when one is due). The dates come from the server's plan, the same one the
// officials see.

import { nextTest, totalDays, vietnamToday, type QuarantineOrder } from '../api-tracing';
import { h } from '../dom';
import { t } from '../i18n';
import { formatDay } from '../ui';
import { quarantineKindLabel } from './quarantine';

/** The order to show: the active one under way or next to start (the earliest end first). */
export function currentOrder(orders: QuarantineOrder[], today = vietnamToday()): QuarantineOrder | null {
  const active = orders.filter((o) => o.status === 'active' && o.ends_on >= today);
  active.sort((a, b) => a.starts_on.localeCompare(b.starts_on));
  return active.find((o) => o.day !== null) ?? active[0] ?? null;
}

export function quarantineCard(o: QuarantineOrder, onUpdate: () => void): HTMLElement {
  const total = totalDays(o);
  const level = `F${o.level}`;
  const test = nextTest(o);
  return h(
    'section',
    { class: 'card quarantine-card', 'aria-labelledby': 'my-quarantine-heading', 'data-testid': 'my-quarantine', 'data-level': o.level, 'data-ends-on': o.ends_on },
    h('h2', { id: 'my-quarantine-heading' }, t('my_quarantine_title', { level, end: formatDay(o.ends_on) })),
    h('p', null, t('my_quarantine_kind', { kind: quarantineKindLabel(o.kind) })),
    o.day !== null && total !== null
      ? h('p', { 'data-testid': 'my-quarantine-day' }, t('my_quarantine_day', { day: o.day, total }))
      : h('p', { 'data-testid': 'my-quarantine-day' }, t('my_quarantine_upcoming', { start: formatDay(o.starts_on) })),
    o.day !== null &&
      h(
        'div',
        { class: 'quarantine-tasks' },
        h('h3', null, t('my_quarantine_tasks')),
        h(
          'ul',
          { class: 'task-list', 'data-testid': 'my-quarantine-tasks' },
          h(
            'li',
            { class: ['task', o.updated_today && 'done'], 'data-testid': 'task-update', 'data-done': String(o.updated_today) },
            o.updated_today
              ? [h('span', { 'aria-hidden': 'true' }, '✓ '), t('my_quarantine_updated')]
              : h('button', { type: 'button', class: 'button primary', 'data-testid': 'my-quarantine-update', onclick: onUpdate }, t('my_quarantine_update')),
          ),
          o.test_today && h('li', { class: 'task', 'data-testid': 'task-test' }, t('my_quarantine_test')),
        ),
      ),
    test && !o.test_today && h('p', { class: 'muted' }, t('my_quarantine_next_test', { date: formatDay(test) })),
    o.monitoring_until > o.ends_on && h('p', { class: 'muted small' }, t('my_quarantine_monitoring', { date: formatDay(o.monitoring_until) })),
  );
}
