// One venue on the owner's "my venues" page: its QR code (the signed link, drawn here), the
// printable posters, opening and closing it, a scanning account for its staff (the password
// is shown once), and the visitor log, loaded only when asked for (the server audits it).

import { localProblem, toProblem, type Problem } from '../api';
import { venueApi, type PosterFormat, type Venue, type VenueVisitor } from '../api-venues';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { qrSvg } from '../qr';
import { announce, announceProblem, focusFirstError, icon, listBody, problemBanner, textField } from '../ui';
import { categoryLabel, statusBadge, visitorsTable } from '../venue-view';

const POSTERS: { format: PosterFormat; key: 'poster_pdf' | 'poster_png' | 'poster_svg' }[] = [
  { format: 'pdf', key: 'poster_pdf' },
  { format: 'png', key: 'poster_png' },
  { format: 'svg', key: 'poster_svg' },
];

export class VenueOwnerCard {
  private toggling = false;
  private statusProblem: Problem | null = null;

  private staffUsername = '';
  private staffName = '';
  private staffBusy = false;
  private staffProblem: Problem | null = null;
  private created: { username: string; password: string } | null = null;
  private staffOpen = false;

  private visitors: VenueVisitor[] | null = null;
  private visitorsOpen = false;
  private visitorsProblem: Problem | null = null;

  constructor(
    private readonly app: App,
    private venue: Venue,
  ) {}

  private get id(): string {
    return `venue-${this.venue.id}`;
  }

  render(): HTMLElement {
    const v = this.venue;
    return h(
      'article',
      { class: 'card venue-card', 'aria-labelledby': `${this.id}-heading`, 'data-testid': 'my-venue', 'data-venue-id': v.id, 'data-qr-url': v.qr_url },
      h(
        'div',
        { class: 'card-title-row wrap' },
        h('h3', { id: `${this.id}-heading`, tabindex: -1, class: 'venue-name' }, v.name),
        statusBadge(v.status, 'my-venue-status'),
      ),
      !v.approved && h('p', { class: 'notice info', role: 'status', 'data-testid': 'my-venue-pending' }, t('venue_pending_notice')),
      h(
        'dl',
        { class: 'facts stacked' },
        h('div', null, h('dt', null, t('venue_category')), h('dd', null, categoryLabel(v))),
        h('div', null, h('dt', null, t('venue_address')), h('dd', null, v.address || t('none'))),
        h('div', null, h('dt', null, t('venue_code')), h('dd', null, h('code', { 'data-testid': 'my-venue-code' }, v.id))),
      ),
      h(
        'div',
        { class: 'qr-box venue-qr', 'data-testid': 'my-venue-qr' },
        qrSvg(v.qr_url, t('venue_qr_alt', { name: v.name })),
        h('p', { class: 'hint' }, t('venue_qr_hint')),
        h('p', { class: 'venue-link' }, h('a', { href: v.qr_url, 'data-testid': 'my-venue-link' }, v.qr_url)),
      ),
      h(
        'div',
        { class: 'actions poster-links', role: 'group', 'aria-label': t('poster_group') },
        POSTERS.map((p) =>
          h(
            'a',
            { class: 'button secondary small', href: venueApi.posterUrl(v.id, p.format), download: `poster-${v.id}.${p.format}`, 'data-testid': `poster-${p.format}` },
            icon('download'),
            t(p.key),
          ),
        ),
      ),
      this.renderStatus(),
      this.renderStaff(),
      v.approved && this.renderVisitors(),
    );
  }

  // -------------------------------------------------------------------------
  // Open / closed

  private renderStatus(): HTMLElement {
    const open = this.venue.status === 'open';
    return h(
      'div',
      { class: 'venue-status-row' },
      problemBanner(this.statusProblem),
      h('p', { class: 'muted small' }, open ? t('venue_open_note') : t('venue_closed_note')),
      h(
        'button',
        {
          type: 'button',
          id: `${this.id}-toggle`,
          class: ['button', 'small', open ? 'ghost danger' : 'primary'],
          'data-testid': 'venue-toggle',
          disabled: this.toggling,
          'aria-busy': this.toggling ? 'true' : undefined,
          onclick: () => void this.toggle(),
        },
        open ? t('venue_close') : t('venue_reopen'),
      ),
    );
  }

  private async toggle(): Promise<void> {
    if (this.toggling) return;
    this.toggling = true;
    this.statusProblem = null;
    this.app.rerender();
    try {
      this.venue = await venueApi.setStatus(this.venue.id, this.venue.status === 'open' ? 'closed' : 'open');
      announce(this.venue.status === 'open' ? t('venue_now_open', { name: this.venue.name }) : t('venue_now_closed', { name: this.venue.name }));
    } catch (err) {
      this.statusProblem = toProblem(err);
      announceProblem(this.statusProblem);
    }
    this.toggling = false;
    this.app.rerender();
    document.getElementById(`${this.id}-toggle`)?.focus();
  }

  // -------------------------------------------------------------------------
  // Scanning staff

  private renderStaff(): HTMLElement {
    const formId = `${this.id}-staff-form`;
    return h(
      'details',
      {
        class: 'venue-section',
        'data-testid': 'venue-staff',
        open: this.staffOpen,
        ontoggle: (e: Event) => (this.staffOpen = (e.target as HTMLDetailsElement).open),
      },
      h('summary', null, t('venue_staff_title')),
      h('p', { class: 'muted small' }, t('venue_staff_intro')),
      this.created &&
        h(
          'div',
          { class: 'notice success credentials', role: 'status', 'data-testid': 'venue-staff-created' },
          h('p', null, h('strong', null, t('venue_staff_created'))),
          h(
            'dl',
            { class: 'facts stacked' },
            h('div', null, h('dt', null, t('username_display')), h('dd', null, h('code', { 'data-testid': 'venue-staff-username' }, this.created.username))),
            h('div', null, h('dt', null, t('password_label')), h('dd', null, h('code', { 'data-testid': 'venue-staff-password' }, this.created.password))),
          ),
          h('p', { class: 'small' }, t('venue_staff_once')),
        ),
      h(
        'form',
        { id: formId, class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.addStaff(e) },
        problemBanner(this.staffProblem, ['username', 'full_name']),
        textField({ id: `${this.id}-staff-username`, name: 'username', label: t('username_label'), autocomplete: 'off', autocapitalize: 'none', spellcheck: false, required: true, value: this.staffUsername, problem: this.staffProblem, testid: 'venue-staff-username-input', oninput: (v) => (this.staffUsername = v) }),
        textField({ id: `${this.id}-staff-name`, name: 'full_name', label: t('full_name_label'), autocomplete: 'off', required: true, value: this.staffName, problem: this.staffProblem, testid: 'venue-staff-name-input', oninput: (v) => (this.staffName = v) }),
        h('button', { type: 'submit', class: 'button secondary', 'data-testid': 'venue-staff-submit', disabled: this.staffBusy }, this.staffBusy ? t('saving') : t('venue_staff_create')),
      ),
    );
  }

  private async addStaff(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.staffBusy) return;
    const username = this.staffUsername.trim();
    const fullName = this.staffName.trim();
    const missing: Parameters<typeof localProblem>[0] = [];
    if (!username) missing.push({ field: 'username', key: 'error_field_required' });
    if (!fullName) missing.push({ field: 'full_name', key: 'error_field_required' });
    this.created = null;
    if (missing.length) {
      this.staffFail(localProblem(missing));
      return;
    }
    this.staffBusy = true;
    this.staffProblem = null;
    this.app.rerender();
    try {
      this.created = await venueApi.addStaff(this.venue.id, { username, full_name: fullName });
      this.staffUsername = '';
      this.staffName = '';
      this.staffBusy = false;
      this.app.rerender();
      announce(`${t('venue_staff_created')} ${t('venue_staff_once')}`);
    } catch (err) {
      this.staffBusy = false;
      this.staffFail(toProblem(err));
    }
  }

  private staffFail(problem: Problem): void {
    this.staffProblem = problem;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById(`${this.id}-staff-form`));
  }

  // -------------------------------------------------------------------------
  // Visitor log (audited)

  private renderVisitors(): HTMLElement {
    return h(
      'div',
      { class: 'venue-section', 'data-testid': 'venue-visitors' },
      h(
        'button',
        {
          type: 'button',
          class: 'button ghost small',
          id: `${this.id}-visitors-toggle`,
          'aria-expanded': String(this.visitorsOpen),
          'aria-controls': `${this.id}-visitors`,
          'data-testid': 'venue-visitors-toggle',
          onclick: () => void this.toggleVisitors(),
        },
        this.visitorsOpen ? t('venue_visitors_hide') : t('venue_visitors_show'),
      ),
      h(
        'div',
        { id: `${this.id}-visitors`, hidden: !this.visitorsOpen, 'aria-live': 'polite' },
        this.visitorsOpen && [
          h('p', { class: 'notice info small' }, icon('lock'), ' ', t('venue_visitors_audit')),
          listBody(this.visitorsProblem, this.visitors, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'venue-visitors-empty' }, t('venue_visitors_empty')),
            rows: (rows) => visitorsTable(rows, t('venue_visitors_title', { name: this.venue.name }), 'venue-visitors-table'),
          }),
        ],
      ),
    );
  }

  private async toggleVisitors(): Promise<void> {
    this.visitorsOpen = !this.visitorsOpen;
    this.app.rerender();
    if (!this.visitorsOpen) return;
    this.visitors = null;
    this.visitorsProblem = null;
    this.app.rerender();
    try {
      this.visitors = await venueApi.visitors(this.venue.id);
      announce(t('venue_visitors_count', { count: this.visitors.length }));
    } catch (err) {
      this.visitorsProblem = toProblem(err);
      announceProblem(this.visitorsProblem);
    }
    this.app.rerender();
  }
}
