// Showing "An toàn COVID" results: a facility's colour badge (green / yellow / red, grey when not
// assessed today) with the server's bilingual name, a facility's type, an assessment's reasons,
// and the strip of the last 30 days' colours.

import type { AssessmentView, Bilingual, FacilityView } from './api-safety';
import { vietnamToday } from './api-tracing';
import { h } from './dom';
import { lang, t } from './i18n';
import { formatDay } from './ui';

/** `{vi, en}` or a pair of fields, in the current language (the other when one is empty). */
export function inLang(vi: string | null | undefined, en: string | null | undefined): string {
  return (lang() === 'en' ? en || vi : vi || en) ?? '';
}

export function bilingual(b: Bilingual): string {
  return inLang(b.vi, b.en);
}

export function facilityTypeLabel(f: Pick<FacilityView, 'facility_type' | 'type_vi' | 'type_en'>): string {
  return inLang(f.type_vi, f.type_en) || f.facility_type;
}

/** A colour badge: the dot and the colour's name as the server words it (never colour alone). */
export function safetyBadge(colour: string, vi: string, en: string, testid?: string): HTMLElement {
  return h(
    'span',
    { class: ['colour-badge', `colour-${colour}`], 'data-colour': colour, 'data-testid': testid },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    inLang(vi, en) || colour,
  );
}

/** The facility's colour and the day it was assessed ("not assessed today" when grey). */
export function facilityColour(f: FacilityView, testid = 'facility-colour'): HTMLElement {
  return h(
    'span',
    { class: 'facility-colour' },
    safetyBadge(f.colour, f.colour_vi, f.colour_en, testid),
    ' ',
    h(
      'span',
      { class: 'muted small', 'data-testid': `${testid}-day` },
      f.assessed_on ? t('safety_assessed_on', { day: formatDay(f.assessed_on) }) : t('safety_never_assessed'),
    ),
  );
}

/** The reasons of an assessment's colour, as a list. */
export function reasonList(a: Pick<AssessmentView, 'reasons'>, testid = 'assessment-reasons'): HTMLElement {
  return a.reasons.length === 0
    ? h('p', { class: 'muted', 'data-testid': testid }, t('safety_no_reasons'))
    : h('ul', { class: 'reason-list', 'data-testid': testid }, a.reasons.map((r) => h('li', null, bilingual(r))));
}

/** The last `days` days, oldest first, each with its assessment's colour (grey when none). */
export function historyStrip(assessments: AssessmentView[], days = 30): HTMLElement {
  const byDay = new Map(assessments.map((a) => [a.day, a]));
  const cells = Array.from({ length: days }, (_, i) => vietnamToday(i - days + 1));
  const assessed = cells.filter((d) => byDay.has(d)).length;
  return h(
    'div',
    { class: 'history' },
    h(
      'ol',
      { class: 'history-strip', 'aria-label': t('safety_history_label', { days, assessed }), 'data-testid': 'facility-history' },
      cells.map((day) => {
        const a = byDay.get(day);
        const colour = a ? a.colour : 'grey';
        const name = a ? inLang(a.colour_vi, a.colour_en) : t('safety_not_assessed');
        const text = `${formatDay(day)}: ${name}`;
        return h(
          'li',
          { class: ['history-day', `colour-${colour}`], 'data-day': day, 'data-colour': colour, title: text },
          h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
          h('span', { class: 'sr-only' }, text),
        );
      }),
    ),
    h('p', { class: 'history-scale muted small', 'aria-hidden': 'true' }, h('span', null, formatDay(cells[0])), h('span', null, t('safety_today'))),
  );
}
