// The citizen's risk report form ("Phản ánh"): the category, the unit it concerns (the unit search,
// the citizen's own unit to start with), an optional point picked on a small map or typed as
// latitude and longitude, an address, what happened, and an optional photo. The unit's officials
// receive it; the reporter stays anonymous to everyone else.

import * as L from 'leaflet';
import { localProblem, toProblem, type CitizenMe, type Problem } from '../api';
import { mapApi, type MapConfig } from '../api-map';
import { safetyApi, type MyRiskReport, type RiskCategoryView, type RiskReportBody } from '../api-safety';
import { h, type Child } from '../dom';
import { t, type MessageKey } from '../i18n';
import { createBaseMap } from '../map/base';
import { PhotoField } from '../photo-field';
import { bilingual } from '../safety-view';
import { announce, announceProblem, focusFirstError, problemBanner, selectField, textAreaField, textField } from '../ui';
import { UnitPicker } from '../unit-picker';

const FIELDS = ['category', 'unit_code', 'lat', 'lon', 'address', 'text', 'photo'];

export class RiskReportForm {
  private categories: RiskCategoryView[] = [];
  private category = '';
  private lat = '';
  private lon = '';
  private address = '';
  private text = '';
  private busy = false;
  private problem: Problem | null = null;
  private readonly picker: UnitPicker;
  private readonly photo: PhotoField;
  private readonly mapEl: HTMLElement;
  private map: L.Map | null = null;
  private marker: L.CircleMarker | null = null;

  constructor(
    me: CitizenMe,
    private readonly o: { rerender: () => void; sent: (report: MyRiskReport) => void },
  ) {
    this.picker = new UnitPicker({
      id: 'report-unit',
      name: 'unit_code',
      label: () => t('report_unit'),
      selected: me.unit,
      emptyText: () => t('report_unit_none'),
      testid: 'report-unit',
    });
    this.photo = new PhotoField({ id: 'report-photo', testid: 'report-photo-input', onChange: () => o.rerender() });
    this.mapEl = h('div', { class: 'map-canvas small', 'data-testid': 'report-map', role: 'region', 'aria-label': t('report_map_label') });
  }

  /** Loads the categories and makes the point map (once the form is on the page). */
  async start(): Promise<void> {
    const [categories, config] = await Promise.all([
      safetyApi.reportCategories().catch((err: unknown) => {
        this.problem = toProblem(err);
        return [] as RiskCategoryView[];
      }),
      mapApi.config().catch((): MapConfig | null => null),
    ]);
    this.categories = categories;
    this.o.rerender();
    if (this.map) return;
    this.map = createBaseMap(this.mapEl, config);
    this.map.on('click', (e: L.LeafletMouseEvent) => {
      this.lat = e.latlng.lat.toFixed(6);
      this.lon = e.latlng.lng.toFixed(6);
      this.placeMarker();
      announce(t('report_point_set', { lat: this.lat, lon: this.lon }));
      this.o.rerender();
    });
  }

  dispose(): void {
    this.map?.remove();
    this.map = null;
  }

  private point(): [number, number] | null {
    const lat = Number(this.lat.replace(',', '.'));
    const lon = Number(this.lon.replace(',', '.'));
    if (!this.lat.trim() || !this.lon.trim() || !Number.isFinite(lat) || !Number.isFinite(lon)) return null;
    return [lat, lon];
  }

  private placeMarker(): void {
    const map = this.map;
    if (!map) return;
    const p = this.point();
    this.marker?.remove();
    this.marker = p ? L.circleMarker(p, { radius: 8, color: '#7a1209', weight: 2, fillColor: '#d92d20', fillOpacity: 0.9 }).addTo(map) : null;
  }

  private check(): { field: string; key: MessageKey }[] {
    const errors: { field: string; key: MessageKey }[] = [];
    if (!this.category) errors.push({ field: 'category', key: 'error_field_required' });
    if (!this.picker.code) errors.push({ field: 'unit_code', key: 'error_field_required' });
    if (!this.text.trim()) errors.push({ field: 'text', key: 'error_field_required' });
    const some = this.lat.trim() || this.lon.trim();
    if (some && !this.point()) errors.push({ field: this.lat.trim() ? 'lon' : 'lat', key: 'report_point_incomplete' });
    return errors;
  }

  private async submit(): Promise<void> {
    const errors = this.check();
    if (errors.length) {
      this.problem = localProblem(errors);
      announceProblem(this.problem);
      this.o.rerender();
      focusFirstError(document.getElementById('report-form'));
      return;
    }
    const p = this.point();
    const body: RiskReportBody = {
      category: this.category,
      unit_code: this.picker.code ?? '',
      text: this.text.trim(),
      ...(p ? { lat: p[0], lon: p[1] } : {}),
      ...(this.address.trim() ? { address: this.address.trim() } : {}),
      ...(this.photo.dataUrl ? { photo: this.photo.dataUrl } : {}),
    };
    this.busy = true;
    this.problem = null;
    this.o.rerender();
    try {
      const report = await safetyApi.report(body);
      this.category = '';
      this.lat = '';
      this.lon = '';
      this.address = '';
      this.text = '';
      this.photo.clear();
      this.placeMarker();
      announce(t('report_sent'));
      this.o.sent(report);
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.o.rerender();
    if (this.problem) focusFirstError(document.getElementById('report-form'));
  }

  render(): HTMLElement {
    if (this.map) window.requestAnimationFrame(() => this.map?.invalidateSize({ pan: false }));
    const p = this.problem;
    return h(
      'form',
      {
        class: 'form card report-form',
        id: 'report-form',
        novalidate: true,
        'data-testid': 'report-form',
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          void this.submit();
        },
      },
      h('h2', { id: 'report-form-title' }, t('report_form_title')),
      h('p', { class: 'muted small' }, t('report_form_intro')),
      problemBanner(p, FIELDS),
      selectField({
        id: 'report-category',
        name: 'category',
        label: t('report_category'),
        value: this.category,
        placeholder: t('choose'),
        required: true,
        problem: p,
        testid: 'report-category',
        options: this.categories.map((c) => ({ value: c.id, label: bilingual(c) })),
        onchange: (v) => (this.category = v),
      }),
      this.picker.render(p),
      this.renderPoint(p),
      textField({ id: 'report-address', name: 'address', label: t('report_address'), value: this.address, problem: p, testid: 'report-address', maxlength: 300, oninput: (v) => (this.address = v) }),
      textAreaField({
        id: 'report-text',
        name: 'text',
        label: t('report_text'),
        hint: t('report_text_hint'),
        value: this.text,
        rows: 4,
        required: true,
        maxlength: 2000,
        problem: p,
        testid: 'report-text-input',
        oninput: (v) => (this.text = v),
      }),
      this.photo.render(p),
      h('button', { type: 'submit', class: 'button primary block', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined, 'data-testid': 'report-submit' }, this.busy ? t('sending') : t('report_submit')),
    );
  }

  private renderPoint(p: Problem | null): Child {
    const update = () => this.placeMarker();
    return h(
      'fieldset',
      { class: 'fieldset report-point' },
      h('legend', { class: 'label' }, t('report_point')),
      h('p', { class: 'hint' }, t('report_point_hint')),
      this.mapEl,
      h(
        'div',
        { class: 'report-point-inputs' },
        textField({ id: 'report-lat', name: 'lat', label: t('report_lat'), value: this.lat, inputmode: 'decimal', problem: p, testid: 'report-lat', oninput: (v) => ((this.lat = v), update()) }),
        textField({ id: 'report-lon', name: 'lon', label: t('report_lon'), value: this.lon, inputmode: 'decimal', problem: p, testid: 'report-lon', oninput: (v) => ((this.lon = v), update()) }),
      ),
      (this.lat || this.lon) &&
        h(
          'button',
          {
            type: 'button',
            class: 'link-button',
            onclick: () => {
              this.lat = '';
              this.lon = '';
              update();
              this.o.rerender();
            },
          },
          t('report_point_clear'),
        ),
    );
  }
}
