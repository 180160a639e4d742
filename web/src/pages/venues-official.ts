// Officials (health officials, admins): the venues of the jurisdiction — search by name or code,
// open one to mark an exposure window (who was alerted comes back at once), the list of
// exposure windows with their visitors, and the import of a district's venue list from CSV.

import { toProblem, type Problem, type StaffMe } from '../api';
import { venueApi, type TypedVisits, type Venue } from '../api-venues';
import type { CsvImportSection } from '../csv-import';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { qrSvg } from '../qr';
import { announce, announceProblem, appHeader, icon, listBody, textField, timeEl } from '../ui';
import { categoryLabel, statusBadge } from '../venue-view';
import { ExposureForm } from './exposure-form';
import { ExposuresSection } from './venue-exposures';
import { venueImportSection } from './venue-import';

const LIMIT = 100;

export class VenuesOfficialPage implements Page {
  private q = '';
  private rows: Venue[] | null = null;
  private loading = false;
  private problem: Problem | null = null;
  private abort: AbortController | null = null;

  private selected: Venue | null = null;
  private exposureForm: ExposureForm | null = null;
  private readonly exposures: ExposuresSection;
  private readonly importer: CsvImportSection;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.exposures = new ExposuresSection(app);
    this.importer = venueImportSection(app, () => void this.search());
  }

  title(): string {
    return t('venues_official_title');
  }

  mounted(): void {
    // One audited read at a time: the venue list first, then the exposure windows.
    void this.search()
      .then(() => this.exposures.load())
      .then(() => this.loadPending());
  }

  private pendingRows: Venue[] = [];
  private typedRows: TypedVisits[] = [];

  private async loadPending(): Promise<void> {
    try {
      this.pendingRows = await venueApi.pending();
      this.typedRows = await venueApi.typedVisits();
    } catch (err) {
      this.problem = toProblem(err);
    }
    this.app.rerender();
  }

  private async approve(v: Venue): Promise<void> {
    try {
      await venueApi.approve(v.id);
      announce(t('venue_approved_done', { name: v.name }));
      await this.loadPending();
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
      this.app.rerender();
    }
  }

  private renderPending(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'venues-pending-heading', 'data-testid': 'venues-pending' },
      h('h2', { id: 'venues-pending-heading' }, t('venues_pending_title')),
      this.pendingRows.length === 0
        ? h('p', { class: 'muted' }, t('venues_pending_none'))
        : h(
            'ul',
            { class: 'plain-list' },
            this.pendingRows.map((v) =>
              h(
                'li',
                { 'data-testid': 'venue-pending-row', 'data-venue-id': v.id },
                h('strong', null, v.name),
                ` · ${v.address} `,
                h('button', { type: 'button', class: 'button small', 'data-testid': 'venue-approve', onclick: () => void this.approve(v) }, t('venue_approve')),
              ),
            ),
          ),
    );
  }

  private async confirmTyped(row: TypedVisits): Promise<void> {
    try {
      const done = await venueApi.confirmTypedVisits(row.venue.id);
      announce(t('venue_typed_confirmed', { count: done.confirmed, name: row.venue.name }));
      await this.loadPending();
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
      this.app.rerender();
    }
  }

  /** Visits venue staff typed by phone join case chains only once confirmed here. */
  private renderTyped(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'venues-typed-heading', 'data-testid': 'venues-typed' },
      h('h2', { id: 'venues-typed-heading' }, t('venues_typed_title')),
      h('p', { class: 'muted' }, t('venues_typed_hint')),
      this.typedRows.length === 0
        ? h('p', { class: 'muted' }, t('venues_typed_none'))
        : h(
            'ul',
            { class: 'plain-list' },
            this.typedRows.map((row) =>
              h(
                'li',
                { 'data-testid': 'venue-typed-row', 'data-venue-id': row.venue.id },
                h('strong', null, row.venue.name),
                ` · ${t('venues_typed_count', { count: row.unconfirmed })} · `,
                timeEl(row.first_in),
                ' – ',
                timeEl(row.last_in),
                ' ',
                h('button', { type: 'button', class: 'button small', 'data-testid': 'venue-typed-confirm', onclick: () => void this.confirmTyped(row) }, t('venue_typed_confirm')),
              ),
            ),
          ),
    );
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async search(e?: SubmitEvent): Promise<void> {
    e?.preventDefault();
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const rows = await venueApi.list({ q: this.q.trim() || undefined, limit: LIMIT }, abort.signal);
      if (abort.signal.aborted) return;
      this.rows = rows;
      this.problem = null;
      announce(t('venues_count', { count: rows.length }));
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  private select(v: Venue): void {
    this.selected = v;
    this.exposureForm = new ExposureForm(this.app, v, () => void this.exposures.load());
    this.app.rerender();
    document.getElementById('venue-detail-heading')?.focus();
  }

  private closeDetail(): void {
    const id = this.selected?.id;
    this.selected = null;
    this.exposureForm = null;
    this.app.rerender();
    if (id) document.getElementById(`venue-open-${id}`)?.focus();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'venues'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'venues-official-page' },
        h('h1', { id: 'venues-official-heading', tabindex: -1, class: 'page-title' }, t('venues_official_title')),
        this.renderPending(),
        this.renderTyped(),
        this.renderList(),
        this.exposures.render(),
        this.importer.render(),
      ),
    ];
  }

  private renderList(): HTMLElement {
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'venues-list-heading' },
      h('h2', { id: 'venues-list-heading' }, t('venues_list_title')),
      h(
        'form',
        { class: 'search-row', role: 'search', novalidate: true, onsubmit: (e: SubmitEvent) => void this.search(e) },
        textField({
          id: 'venues-search',
          name: 'q',
          type: 'search',
          label: t('venues_search_label'),
          value: this.q,
          autocomplete: 'off',
          testid: 'venues-search',
          problem: this.problem,
          oninput: (v) => (this.q = v),
          after: h('button', { type: 'submit', class: 'button secondary', 'data-testid': 'venues-search-button', disabled: this.loading }, t('citizens_search_button')),
        }),
      ),
      h('p', { class: 'muted small', role: 'status' }, this.loading ? t('loading') : this.rows ? t('venues_count', { count: this.rows.length }) : ''),
      h(
        'div',
        { class: 'split' },
        h(
          'div',
          { class: 'table-wrap', 'aria-busy': String(this.loading) },
          listBody(this.problem && !this.problem.errors?.length ? this.problem : null, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'venues-empty' }, t('venues_empty')),
            rows: (rows) => this.renderTable(rows),
          }),
        ),
        this.renderDetail(),
      ),
    );
  }

  private renderTable(rows: Venue[]): HTMLElement {
    return h(
      'table',
      { class: 'table clickable', 'data-testid': 'venues-table' },
      h('caption', { class: 'sr-only' }, t('venues_list_title')),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col' }, t('col_venue')),
          h('th', { scope: 'col' }, t('venue_category')),
          h('th', { scope: 'col' }, t('venue_address')),
          h('th', { scope: 'col' }, t('venue_status')),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((v) =>
          h(
            'tr',
            {
              class: ['row', this.selected?.id === v.id && 'selected'],
              'data-testid': 'venue-row',
              'data-venue-id': v.id,
              onclick: (e: MouseEvent) => {
                if (!(e.target as HTMLElement).closest('button')) this.select(v);
              },
            },
            h(
              'th',
              { scope: 'row' },
              h(
                'button',
                {
                  type: 'button',
                  id: `venue-open-${v.id}`,
                  class: 'row-button',
                  'aria-current': this.selected?.id === v.id ? 'true' : undefined,
                  'aria-controls': 'venue-detail',
                  'data-testid': 'venue-open',
                  onclick: () => this.select(v),
                },
                v.name,
              ),
              h('span', { class: 'muted block small' }, v.id),
            ),
            h('td', null, categoryLabel(v)),
            h('td', null, v.address),
            h('td', null, statusBadge(v.status)),
          ),
        ),
      ),
    );
  }

  private renderDetail(): HTMLElement {
    const v = this.selected;
    const open = v !== null;
    return h(
      'aside',
      { class: ['detail', open && 'open'], id: 'venue-detail', 'aria-labelledby': 'venue-detail-heading', 'data-testid': 'venue-detail' },
      !v
        ? [h('h3', { id: 'venue-detail-heading', class: 'sr-only' }, t('venue_detail_title')), h('p', { class: 'muted detail-placeholder' }, t('venue_detail_hint'))]
        : [
            h(
              'div',
              { class: 'detail-head' },
              h('h3', { id: 'venue-detail-heading', tabindex: -1, 'data-testid': 'venue-detail-name' }, v.name),
              h('button', { type: 'button', class: 'button ghost small', onclick: () => this.closeDetail() }, t('close')),
            ),
            h(
              'dl',
              { class: 'facts stacked' },
              h('div', null, h('dt', null, t('venue_code')), h('dd', null, h('code', null, v.id))),
              h('div', null, h('dt', null, t('venue_category')), h('dd', null, categoryLabel(v))),
              h('div', null, h('dt', null, t('venue_address')), h('dd', null, v.address)),
              h('div', null, h('dt', null, t('venue_status')), h('dd', null, statusBadge(v.status))),
            ),
            h(
              'details',
              { class: 'venue-section' },
              h('summary', null, t('venue_qr_and_posters')),
              h('div', { class: 'qr-box venue-qr' }, qrSvg(v.qr_url, t('venue_qr_alt', { name: v.name }))),
              h(
                'div',
                { class: 'actions' },
                h('a', { class: 'button secondary small', href: venueApi.posterUrl(v.id, 'pdf'), download: `poster-${v.id}.pdf` }, icon('download'), t('poster_pdf')),
                h('a', { class: 'button secondary small', href: venueApi.posterUrl(v.id, 'png'), download: `poster-${v.id}.png` }, icon('download'), t('poster_png')),
              ),
            ),
            this.exposureForm?.render(),
          ],
    );
  }
}
