// Showing risk reports ("Phản ánh") to their reporter and to officials: the status badge, the
// category, where it is, the official's note, and the photo — fetched with the session's token
// (only the reporter and the officials in scope may see it) and shown on demand.

import { toProblem, type Problem } from './api';
import { safetyApi, type MyRiskReport } from './api-safety';
import { h, type Child } from './dom';
import { pick, t } from './i18n';
import { inLang } from './safety-view';
import { timeEl } from './ui';

/** The status as a badge with its name (open, in progress, closed). */
export function reportStatusBadge(r: Pick<MyRiskReport, 'status' | 'status_vi' | 'status_en'>): HTMLElement {
  return h(
    'span',
    { class: ['report-status', `report-status-${r.status}`], 'data-status': r.status, 'data-testid': 'report-status' },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    inLang(r.status_vi, r.status_en) || r.status,
  );
}

export function reportCategory(r: Pick<MyRiskReport, 'category' | 'category_vi' | 'category_en'>): string {
  return inLang(r.category_vi, r.category_en) || r.category;
}

/** Unit, address and point of a report, on one line. */
export function reportPlace(r: MyRiskReport): string {
  const parts = [r.unit ? r.unit.path || r.unit.name : r.unit_code];
  if (r.address) parts.push(r.address);
  if (r.lat !== null && r.lon !== null) parts.push(`${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}`);
  return parts.join(' · ');
}

interface Loaded {
  url?: string;
  busy?: boolean;
  problem?: Problem;
}

/** Report photos loaded on demand, kept as object URLs until `dispose`. */
export class ReportPhotos {
  private readonly loaded = new Map<number, Loaded>();

  constructor(private readonly rerender: () => void) {}

  private async load(r: MyRiskReport): Promise<void> {
    if (!r.photo_url) return;
    this.loaded.set(r.id, { busy: true });
    this.rerender();
    try {
      const blob = await safetyApi.reportPhoto(r.photo_url);
      this.loaded.set(r.id, { url: URL.createObjectURL(blob) });
    } catch (err) {
      this.loaded.set(r.id, { problem: toProblem(err) });
    }
    this.rerender();
  }

  /** The photo (once loaded) or the button that loads it; nothing without a photo. */
  render(r: MyRiskReport): Child {
    if (!r.photo_url) return null;
    const state = this.loaded.get(r.id);
    if (state?.url) return h('img', { class: 'report-photo', src: state.url, alt: t('report_photo_alt'), 'data-testid': 'report-photo' });
    return h(
      'p',
      null,
      h(
        'button',
        { type: 'button', class: 'button ghost small', disabled: state?.busy, 'data-testid': 'report-photo-load', onclick: () => void this.load(r) },
        state?.busy ? t('loading') : t('report_photo_show'),
      ),
      state?.problem && h('span', { class: 'field-error' }, ' ', pick(state.problem.message)),
    );
  }

  dispose(): void {
    for (const state of this.loaded.values()) if (state.url) URL.revokeObjectURL(state.url);
    this.loaded.clear();
  }
}

/** A report's text, place, times and the official's note (what both the reporter and officials see). */
export function reportBody(r: MyRiskReport, photos: ReportPhotos): Child[] {
  return [
    h('p', { class: 'report-meta muted small' }, reportStatusBadge(r), ' ', h('strong', null, reportCategory(r)), ' · ', timeEl(r.created_at)),
    h('p', { class: 'report-place small' }, reportPlace(r)),
    h('p', { class: 'report-text', 'data-testid': 'report-text' }, r.text),
    photos.render(r),
    r.note &&
      h(
        'div',
        { class: 'report-note', 'data-testid': 'report-note' },
        h('p', { class: 'small muted' }, t('report_note_from'), ' ', timeEl(r.updated_at)),
        h('p', null, r.note),
      ),
  ];
}
