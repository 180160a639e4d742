// Venue staff: scanning visitors in and out at the venues they work for. The visitor shows
// their personal health QR (scanned with the camera where the browser can, or its text pasted),
// or, without a smartphone, gives a phone number; the result shows the pass colour and name.

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { venueApi, type StaffCheckin, type StaffCheckinBody, type Venue } from '../api-venues';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { QrScanner } from '../scanner';
import { announce, announceProblem, appHeader, colourBanner, focusFirstError, listBody, problemBanner, selectField, textAreaField, textField, timeEl } from '../ui';
import { categoryLabel, statusBadge, visitEnd } from '../venue-view';
import { newClientId } from '../visits/queue';

type Direction = 'in' | 'out';
type Way = 'pass' | 'phone';

export class VenueScanPage implements Page {
  private venues: Venue[] | null = null;
  private venuesProblem: Problem | null = null;
  private venueId = '';
  private direction: Direction = 'in';
  private passText = '';
  private phone = '';
  private busy: Way | null = null;
  private problem: Problem | null = null;
  private problemWay: Way | null = null;
  private result: (StaffCheckin & { direction: Direction }) | null = null;
  private readonly scanner: QrScanner;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.scanner = new QrScanner({
      id: 'venue-scan-camera',
      testid: 'venue-scan-camera',
      rerender: () => this.app.rerender(),
      onFound: (text) => {
        this.passText = text;
        this.app.rerender();
        void this.submit('pass');
      },
    });
  }

  title(): string {
    return t('venue_scan_title');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.scanner.stop();
  }

  private async load(): Promise<void> {
    try {
      this.venues = await venueApi.list();
      this.venuesProblem = null;
      if (!this.venueId && this.venues.length) this.venueId = this.venues[0].id;
    } catch (err) {
      this.venuesProblem = toProblem(err);
    }
    this.app.rerender();
  }

  private get venue(): Venue | null {
    return this.venues?.find((v) => v.id === this.venueId) ?? null;
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'venue-scan'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'venue-scan-page' },
        h('h1', { id: 'venue-scan-heading', tabindex: -1, class: 'page-title' }, t('venue_scan_title')),
        listBody(this.venuesProblem, this.venues, {
          empty: () => h('p', { class: 'empty card', 'data-testid': 'venue-scan-none' }, t('venue_scan_none')),
          rows: () => h('div', { class: 'checkpoint-grid' }, this.renderScan(), this.renderResult()),
        }),
      ),
    ];
  }

  private renderScan(): HTMLElement {
    const venue = this.venue;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'venue-scan-form-heading' },
      h('h2', { id: 'venue-scan-form-heading', class: 'sr-only' }, t('venue_scan_title')),
      selectField({
        id: 'venue-scan-venue',
        name: 'venue',
        label: t('venue_scan_venue'),
        value: this.venueId,
        options: (this.venues ?? []).map((v) => ({ value: v.id, label: `${v.name} (${v.id})` })),
        testid: 'venue-scan-venue',
        onchange: (v) => {
          this.venueId = v;
          this.result = null;
          this.app.rerender();
        },
      }),
      venue && h('p', { class: 'muted small' }, categoryLabel(venue), ' · ', venue.address, ' ', statusBadge(venue.status)),
      h(
        'fieldset',
        { class: 'fieldset direction-toggle' },
        h('legend', { class: 'label' }, t('venue_scan_direction')),
        h(
          'div',
          { class: 'segmented' },
          (['in', 'out'] as const).map((d) =>
            h(
              'label',
              { class: ['segment', this.direction === d && 'current'], for: `venue-scan-direction-${d}` },
              h('input', {
                type: 'radio',
                id: `venue-scan-direction-${d}`,
                name: 'direction',
                value: d,
                checked: this.direction === d,
                'data-testid': `venue-scan-direction-${d}`,
                onchange: () => {
                  this.direction = d;
                  this.app.rerender();
                },
              }),
              d === 'in' ? t('checkin_in') : t('checkin_out'),
            ),
          ),
        ),
      ),
      h('h3', null, t('venue_scan_pass_title')),
      this.scanner.render(),
      h(
        'form',
        { id: 'venue-scan-pass-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit('pass', e) },
        this.problemWay === 'pass' && problemBanner(this.problem, ['pass'], 'venue-scan-pass-problem'),
        textAreaField({
          id: 'venue-scan-pass',
          name: 'pass',
          label: t('verify_input_label'),
          hint: t('verify_input_hint'),
          value: this.passText,
          rows: 3,
          spellcheck: false,
          class: 'mono-field',
          testid: 'venue-scan-pass',
          problem: this.problemWay === 'pass' ? this.problem : null,
          oninput: (v) => (this.passText = v),
        }),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'venue-scan-pass-submit', disabled: this.busy !== null }, this.busy === 'pass' ? t('sending') : this.submitLabel()),
      ),
      h('h3', null, t('venue_scan_phone_title')),
      h(
        'form',
        { id: 'venue-scan-phone-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit('phone', e) },
        this.problemWay === 'phone' && problemBanner(this.problem, ['phone'], 'venue-scan-phone-problem'),
        textField({
          id: 'venue-scan-phone',
          name: 'phone',
          label: t('venue_scan_phone'),
          hint: t('venue_scan_phone_hint'),
          type: 'tel',
          inputmode: 'tel',
          autocomplete: 'off',
          value: this.phone,
          testid: 'venue-scan-phone',
          problem: this.problemWay === 'phone' ? this.problem : null,
          oninput: (v) => (this.phone = v),
        }),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'venue-scan-phone-submit', disabled: this.busy !== null }, this.busy === 'phone' ? t('sending') : this.submitLabel()),
      ),
    );
  }

  private submitLabel(): string {
    return this.direction === 'in' ? t('venue_scan_record_in') : t('venue_scan_record_out');
  }

  private renderResult(): HTMLElement {
    const r = this.result;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'venue-scan-result-heading', 'aria-live': 'polite' },
      h('h2', { id: 'venue-scan-result-heading', tabindex: -1 }, t('venue_scan_result')),
      !r
        ? h('p', { class: 'muted' }, t('venue_scan_result_none'))
        : h(
            'div',
            { 'data-testid': 'venue-scan-result', 'data-direction': r.direction, 'data-colour': r.colour ?? '' },
            r.colour
              ? colourBanner(r.colour, { title: r.full_name ?? undefined })
              : h('p', { class: 'notice info' }, t('venue_scan_no_pass'), r.full_name ? ` — ${r.full_name}` : ''),
            h(
              'dl',
              { class: 'facts stacked' },
              h('div', null, h('dt', null, t('col_name')), h('dd', { 'data-testid': 'venue-scan-name' }, r.full_name ?? t('no_name'))),
              h('div', null, h('dt', null, t('visit_in')), h('dd', null, timeEl(r.visit.in_at))),
              h('div', null, h('dt', null, r.visit.out_auto ? t('checkin_auto_out') : t('visit_out')), h('dd', null, visitEnd(r.visit.out_at, r.visit.out_auto))),
            ),
            h('p', { class: 'notice success' }, r.direction === 'in' ? t('venue_scan_done_in', { venue: r.visit.venue_name }) : t('venue_scan_done_out', { venue: r.visit.venue_name })),
          ),
    );
  }

  private async submit(way: Way, e?: SubmitEvent): Promise<void> {
    e?.preventDefault();
    if (this.busy || !this.venueId) return;
    const value = way === 'pass' ? this.passText.trim() : this.phone.trim();
    if (!value) {
      this.fail(way, localProblem([{ field: way, key: 'error_field_required' }]));
      return;
    }
    const body: StaffCheckinBody = { client_id: newClientId(), direction: this.direction };
    if (way === 'pass') body.pass = value;
    else body.phone = value;
    this.busy = way;
    this.problem = null;
    this.problemWay = null;
    this.result = null;
    this.app.rerender();
    try {
      const answer = await venueApi.staffCheckIn(this.venueId, body);
      this.result = { ...answer, direction: this.direction };
      this.passText = '';
      this.phone = '';
      this.busy = null;
      this.app.rerender();
      document.getElementById('venue-scan-result-heading')?.focus();
      announce(`${this.direction === 'in' ? t('venue_scan_done_in', { venue: answer.visit.venue_name }) : t('venue_scan_done_out', { venue: answer.visit.venue_name })} ${answer.full_name ?? ''}`);
    } catch (err) {
      this.busy = null;
      this.fail(way, toProblem(err));
    }
  }

  private fail(way: Way, problem: Problem): void {
    this.problem = problem;
    this.problemWay = way;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById(`venue-scan-${way}-form`));
  }
}
