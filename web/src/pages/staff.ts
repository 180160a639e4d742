// Staff home: account header; citizens in jurisdiction (health officials and
// admins); staff accounts and audit log (admins).

import {
  api,
  localProblem,
  ROLES,
  toProblem,
  type AuditEntry,
  type CitizenDetail,
  type CitizenSummary,
  type Problem,
  type Role,
  type StaffAccount,
  type StaffMe,
} from '../api';
import { debounce, h, replaceChildren, type Child } from '../dom';
import { pick, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { UnitPicker } from '../unit-picker';
import {
  announce,
  actionLabel,
  announceProblem,
  appHeader,
  focusFirstError,
  icon,
  formatPhone,
  notice,
  outcomeLabel,
  problemBanner,
  relationLabel,
  roleLabel,
  selectField,
  textField,
  timeEl,
  unitPath,
} from '../ui';

type Section = 'citizens' | 'staff' | 'audit';

/** Rows asked for per citizens search. */
const CITIZENS_LIMIT = 50;

export class StaffPage implements Page {
  private section: Section = 'citizens';

  // Citizens
  private q = '';
  private citizens: CitizenSummary[] | null = null;
  private citizensLoading = false;
  private citizensProblem: Problem | null = null;
  private citizensAbort: AbortController | null = null;
  private citizensBox: HTMLElement | null = null;
  private citizensStatus: HTMLElement | null = null;

  private selectedId: number | null = null;
  private detail: CitizenDetail | null = null;
  private detailLoading = false;
  private detailProblem: Problem | null = null;
  private detailBox: HTMLElement | null = null;

  // Admin: staff accounts
  private staffRows: StaffAccount[] | null = null;
  private staffProblem: Problem | null = null;
  private form = { username: '', password: '', full_name: '', role: '' as Role | '' };
  private readonly staffUnit: UnitPicker;
  private createBusy = false;
  private createProblem: Problem | null = null;
  private createNotice: string | null = null;

  // Admin: audit log
  private audit: AuditEntry[] | null = null;
  private auditProblem: Problem | null = null;
  private auditLoading = false;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.staffUnit = new UnitPicker({
      id: 'new-staff-unit',
      name: 'unit_code',
      label: () => t('staff_unit_label'),
      selected: null,
      emptyText: () => t('staff_unit_none'),
      testid: 'staff-unit-picker',
    });
  }

  private get canSeeCitizens(): boolean {
    return this.me.role === 'health_official' || this.me.role === 'admin';
  }

  private get isAdmin(): boolean {
    return this.me.role === 'admin';
  }

  title(): string {
    return t('staff_home_title');
  }

  mounted(): void {
    if (this.canSeeCitizens) void this.loadCitizens();
  }

  dispose(): void {
    this.citizensAbort?.abort();
  }

  render(): Child[] {
    const me = this.me;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, me, 'home'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'staff-home', 'data-role': me.role },
        h(
          'section',
          { class: 'staff-bar', 'aria-labelledby': 'staff-name' },
          h('div', { class: 'staff-identity' },
            h('span', { class: 'avatar large', 'aria-hidden': 'true' }, initials(me.full_name || me.username)),
            h('div', null,
              h('h1', { id: 'staff-name', tabindex: -1, 'data-testid': 'staff-name' }, me.full_name || me.username),
              h('p', { class: 'staff-sub' }, h('span', { class: 'role-pill', 'data-testid': 'staff-role' }, roleLabel(me.role))),
            ),
          ),
          h(
            'dl',
            { class: 'facts' },
            h('div', null, h('dt', null, t('jurisdiction_label')), h('dd', { 'data-testid': 'staff-unit' }, me.unit ? me.unit.name : t('none'), me.unit && me.unit.path !== me.unit.name && h('span', { class: 'muted block' }, me.unit.path))),
            h('div', null, h('dt', null, t('username_display')), h('dd', { 'data-testid': 'staff-username' }, me.username)),
          ),
        ),
        this.canSeeCitizens ? this.renderWork() : this.renderAccountCard(),
      ),
    ];
  }

  // -------------------------------------------------------------------------

  private renderAccountCard(): HTMLElement {
    const me = this.me;
    return h(
      'section',
      { class: 'card account-card', 'aria-labelledby': 'account-heading', 'data-testid': 'account-card' },
      h('h2', { id: 'account-heading' }, t('account_heading')),
      h(
        'dl',
        { class: 'facts stacked' },
        h('div', null, h('dt', null, t('full_name_label')), h('dd', null, me.full_name || t('none'))),
        h('div', null, h('dt', null, t('username_display')), h('dd', null, me.username)),
        h('div', null, h('dt', null, t('role_label')), h('dd', null, roleLabel(me.role))),
        h('div', null, h('dt', null, t('jurisdiction_label')), h('dd', null, unitPath(me.unit))),
      ),
      h('p', { class: 'muted' }, t('account_note')),
    );
  }

  private renderWork(): Node[] {
    const nodes: Node[] = [];
    if (this.isAdmin) nodes.push(this.renderNav());
    if (this.section === 'citizens') nodes.push(this.renderCitizens());
    else if (this.section === 'staff') nodes.push(this.renderStaff());
    else nodes.push(this.renderAudit());
    return nodes;
  }

  private renderNav(): HTMLElement {
    const items: [Section, string][] = [
      ['citizens', t('nav_citizens')],
      ['staff', t('nav_staff')],
      ['audit', t('nav_audit')],
    ];
    return h(
      'nav',
      { class: 'section-nav', 'aria-label': t('nav_label') },
      h(
        'ul',
        null,
        items.map(([section, label]) =>
          h(
            'li',
            null,
            h(
              'button',
              {
                type: 'button',
                id: `nav-${section}`,
                class: ['nav-button', this.section === section && 'current'],
                'aria-current': this.section === section ? 'page' : undefined,
                'data-testid': `nav-${section}`,
                onclick: () => this.go(section),
              },
              label,
            ),
          ),
        ),
      ),
    );
  }

  private go(section: Section): void {
    this.section = section;
    this.app.rerender();
    document.getElementById(`${section}-heading`)?.focus();
    if (section === 'staff' && this.staffRows === null) void this.loadStaff();
    if (section === 'audit' && this.audit === null) void this.loadAudit();
  }

  // -------------------------------------------------------------------------
  // Citizens

  private renderCitizens(): HTMLElement {
    this.citizensBox = h('div', { class: 'table-wrap', id: 'citizens-results' });
    this.citizensStatus = h('p', { class: 'muted small', id: 'citizens-status', role: 'status', 'aria-live': 'polite' });
    this.detailBox = h('aside', {
      class: 'detail',
      id: 'citizen-detail-panel',
      'aria-labelledby': 'citizen-detail-heading',
      'data-testid': 'citizen-detail-panel',
    });
    this.fillCitizens();
    this.fillDetail();
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'citizens-heading', 'data-testid': 'citizens-section' },
      h('h2', { id: 'citizens-heading', tabindex: -1 }, t('citizens_heading')),
      h('p', { class: 'notice info audit-note', 'data-testid': 'audit-notice' }, icon('lock'), ' ', t('audit_notice')),
      h(
        'form',
        {
          class: 'search-row',
          role: 'search',
          onsubmit: (e: SubmitEvent) => {
            e.preventDefault();
            void this.loadCitizens();
          },
        },
        h('label', { for: 'citizens-q', class: 'label' }, t('citizens_search_label')),
        h(
          'div',
          { class: 'input-row' },
          h('input', {
            id: 'citizens-q',
            name: 'q',
            type: 'search',
            class: 'input',
            value: this.q,
            autocomplete: 'off',
            'data-testid': 'citizens-search',
            'aria-controls': 'citizens-results',
            oninput: (e: Event) => {
              this.q = (e.target as HTMLInputElement).value;
              this.searchSoon();
            },
          }),
          h('button', { type: 'submit', class: 'button secondary' }, t('citizens_search_button')),
        ),
      ),
      this.citizensStatus,
      h('div', { class: 'split' }, this.citizensBox, this.detailBox),
    );
  }

  private searchSoon = debounce(() => void this.loadCitizens(), 300);

  private async loadCitizens(): Promise<void> {
    this.citizensAbort?.abort();
    const abort = new AbortController();
    this.citizensAbort = abort;
    this.citizensLoading = true;
    this.fillCitizens();
    try {
      const rows = await api.citizens(this.q.trim(), CITIZENS_LIMIT, abort.signal);
      if (abort.signal.aborted) return;
      this.citizens = rows;
      this.citizensProblem = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.citizensProblem = toProblem(err);
      announceProblem(this.citizensProblem);
    }
    this.citizensLoading = false;
    this.fillCitizens();
  }

  private fillCitizens(): void {
    const box = this.citizensBox;
    const status = this.citizensStatus;
    if (!box || !status) return;
    box.setAttribute('aria-busy', String(this.citizensLoading));
    if (this.citizensProblem) {
      replaceChildren(box, problemBanner(this.citizensProblem));
      status.textContent = '';
      return;
    }
    if (this.citizens === null) {
      replaceChildren(box, h('p', { class: 'muted' }, t('loading')));
      return;
    }
    status.textContent = this.citizensLoading
      ? t('loading')
      : this.citizens.length >= CITIZENS_LIMIT
        ? t('citizens_count_limited', { count: this.citizens.length })
        : t('citizens_count', { count: this.citizens.length });
    if (this.citizens.length === 0) {
      replaceChildren(box, h('p', { class: 'empty', 'data-testid': 'citizens-empty' }, t('citizens_empty')));
      return;
    }
    replaceChildren(
      box,
      h(
        'table',
        { class: 'table clickable', 'data-testid': 'citizens-table' },
        h('caption', { class: 'sr-only' }, t('citizens_heading')),
        h(
          'thead',
          null,
          h('tr', null, h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_phone')), h('th', { scope: 'col' }, t('col_unit')), h('th', { scope: 'col', class: 'num' }, t('col_family'))),
        ),
        h(
          'tbody',
          null,
          this.citizens.map((c) => {
            const name = c.full_name || t('no_name');
            return h(
              'tr',
              {
                class: ['row', this.selectedId === c.id && 'selected'],
                'data-testid': 'citizen-row',
                'data-id': c.id,
                onclick: (e: MouseEvent) => {
                  if ((e.target as HTMLElement).closest('button')) return;
                  void this.openCitizen(c.id);
                },
              },
              h(
                'th',
                { scope: 'row' },
                h(
                  'button',
                  {
                    type: 'button',
                    id: `citizen-open-${c.id}`,
                    class: ['row-button', !c.full_name && 'muted'],
                    'aria-current': this.selectedId === c.id ? 'true' : undefined,
                    'aria-controls': 'citizen-detail-panel',
                    onclick: () => void this.openCitizen(c.id),
                  },
                  name,
                ),
              ),
              h('td', { class: 'nowrap' }, formatPhone(c.phone)),
              h('td', null, c.unit ? c.unit.path : t('none')),
              h('td', { class: 'num' }, String(c.family_count ?? 0)),
            );
          }),
        ),
      ),
    );
  }

  private async openCitizen(id: number): Promise<void> {
    this.selectedId = id;
    this.detail = null;
    this.detailProblem = null;
    this.detailLoading = true;
    this.fillCitizens();
    this.fillDetail();
    try {
      const detail = await api.citizen(id);
      if (this.selectedId !== id) return;
      this.detail = detail;
    } catch (err) {
      if (this.selectedId !== id) return;
      this.detailProblem = toProblem(err);
      announceProblem(this.detailProblem);
    }
    this.detailLoading = false;
    this.fillDetail();
    const heading = document.getElementById('citizen-detail-heading');
    heading?.focus();
    heading?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  private closeDetail(): void {
    const id = this.selectedId;
    this.selectedId = null;
    this.detail = null;
    this.detailProblem = null;
    this.fillCitizens();
    this.fillDetail();
    if (id !== null) document.getElementById(`citizen-open-${id}`)?.focus();
  }

  private fillDetail(): void {
    const box = this.detailBox;
    if (!box) return;
    box.classList.toggle('open', this.selectedId !== null);
    if (this.selectedId === null) {
      replaceChildren(
        box,
        h('h3', { id: 'citizen-detail-heading', class: 'sr-only' }, t('citizen_detail_heading')),
        h('p', { class: 'muted detail-placeholder' }, t('citizen_detail_hint')),
      );
      return;
    }
    const closeButton = h('button', { type: 'button', class: 'button ghost small', 'data-testid': 'close-detail', onclick: () => this.closeDetail() }, t('close'));
    if (this.detailLoading) {
      replaceChildren(box, h('h3', { id: 'citizen-detail-heading', tabindex: -1 }, t('citizen_detail_heading')), h('p', { class: 'muted', role: 'status' }, t('loading')));
      return;
    }
    if (this.detailProblem || !this.detail) {
      replaceChildren(box, h('div', { class: 'detail-head' }, h('h3', { id: 'citizen-detail-heading', tabindex: -1 }, t('citizen_detail_heading')), closeButton), problemBanner(this.detailProblem));
      return;
    }
    const d = this.detail;
    const family = d.family ?? [];
    replaceChildren(
      box,
      h(
        'div',
        { class: 'detail-head' },
        h('h3', { id: 'citizen-detail-heading', tabindex: -1, 'data-testid': 'citizen-detail-name' }, d.full_name || t('no_name')),
        closeButton,
      ),
      h(
        'dl',
        { class: 'facts stacked', 'data-testid': 'citizen-detail' },
        h('div', null, h('dt', null, t('col_phone')), h('dd', null, formatPhone(d.phone))),
        h('div', null, h('dt', null, t('col_unit')), h('dd', null, unitPath(d.unit))),
        h('div', null, h('dt', null, t('registered_at')), h('dd', null, timeEl(d.created_at))),
      ),
      h('h4', null, t('family_heading'), ' ', h('span', { class: 'badge' }, String(family.length))),
      family.length === 0
        ? h('p', { class: 'muted' }, t('family_empty'))
        : h(
            'table',
            { class: 'table compact' },
            h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_relation')), h('th', { scope: 'col', class: 'num' }, t('col_birth_year')))),
            h(
              'tbody',
              null,
              family.map((m) => h('tr', null, h('td', null, m.full_name), h('td', null, relationLabel(m.relation)), h('td', { class: 'num' }, m.birth_year ? String(m.birth_year) : t('none')))),
            ),
          ),
    );
  }

  // -------------------------------------------------------------------------
  // Admin: staff accounts

  private renderStaff(): HTMLElement {
    const rows = this.staffRows;
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'staff-heading', 'data-testid': 'staff-section' },
      h('h2', { id: 'staff-heading', tabindex: -1 }, t('staff_heading')),
      h(
        'div',
        { class: 'split staff-split' },
        h(
          'div',
          { class: 'table-wrap' },
          this.staffProblem
            ? problemBanner(this.staffProblem)
            : rows === null
              ? h('p', { class: 'muted', role: 'status' }, t('loading'))
              : rows.length === 0
                ? h('p', { class: 'empty' }, t('staff_empty'))
                : h(
                    'table',
                    { class: 'table', 'data-testid': 'staff-table' },
                    h('caption', { class: 'sr-only' }, t('staff_heading')),
                    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('col_username')), h('th', { scope: 'col' }, t('col_name')), h('th', { scope: 'col' }, t('col_role')), h('th', { scope: 'col' }, t('col_staff_unit')))),
                    h(
                      'tbody',
                      null,
                      rows.map((s) =>
                        h('tr', { 'data-testid': 'staff-row', class: s.active === false ? 'inactive' : undefined }, h('th', { scope: 'row' }, h('code', null, s.username), s.active === false && h('span', { class: 'badge muted-badge' }, t('staff_inactive'))), h('td', null, s.full_name), h('td', null, h('span', { class: 'role-pill small' }, roleLabel(s.role))), h('td', null, unitPath(s.unit))),
                      ),
                    ),
                  ),
        ),
        this.renderCreateStaff(),
      ),
    );
  }

  private renderCreateStaff(): HTMLElement {
    return h(
      'div',
      { class: 'subcard' },
      h('h3', { id: 'create-staff-heading' }, t('staff_create_heading')),
      h(
        'form',
        {
          id: 'create-staff-form',
          class: 'form',
          novalidate: true,
          'aria-labelledby': 'create-staff-heading',
          'data-testid': 'create-staff-form',
          onsubmit: (e: SubmitEvent) => void this.createStaff(e),
        },
        problemBanner(this.createProblem, ['username', 'password', 'full_name', 'role', 'unit_code'], 'create-staff-problem'),
        textField({
          id: 'new-staff-username',
          name: 'username',
          label: t('username_label'),
          autocomplete: 'off',
          autocapitalize: 'none',
          spellcheck: false,
          required: true,
          value: this.form.username,
          problem: this.createProblem,
          testid: 'new-staff-username',
          oninput: (v) => (this.form.username = v),
        }),
        textField({
          id: 'new-staff-password',
          name: 'password',
          label: t('password_label'),
          type: 'password',
          autocomplete: 'new-password',
          required: true,
          value: this.form.password,
          problem: this.createProblem,
          testid: 'new-staff-password',
          oninput: (v) => (this.form.password = v),
        }),
        textField({
          id: 'new-staff-full-name',
          name: 'full_name',
          label: t('full_name_label'),
          required: true,
          value: this.form.full_name,
          problem: this.createProblem,
          testid: 'new-staff-full-name',
          oninput: (v) => (this.form.full_name = v),
        }),
        selectField({
          id: 'new-staff-role',
          name: 'role',
          label: t('role_label'),
          value: this.form.role,
          placeholder: t('role_choose'),
          required: true,
          options: ROLES.map((r) => ({ value: r, label: roleLabel(r) })),
          problem: this.createProblem,
          testid: 'new-staff-role',
          onchange: (v) => (this.form.role = v as Role),
        }),
        this.staffUnit.render(this.createProblem),
        this.createNotice && notice(this.createNotice, 'staff-created'),
        h(
          'button',
          { type: 'submit', id: 'create-staff', class: 'button primary', 'data-testid': 'create-staff', disabled: this.createBusy },
          this.createBusy ? t('saving') : t('create_staff'),
        ),
      ),
    );
  }

  private async loadStaff(): Promise<void> {
    try {
      this.staffRows = await api.staff();
      this.staffProblem = null;
    } catch (err) {
      this.staffProblem = toProblem(err);
      announceProblem(this.staffProblem);
    }
    if (this.section === 'staff') this.app.rerender();
  }

  private async createStaff(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.createBusy) return;
    const f = this.form;
    const missing: { field: string; key: 'error_field_required' }[] = [];
    if (!f.username.trim()) missing.push({ field: 'username', key: 'error_field_required' });
    if (!f.password) missing.push({ field: 'password', key: 'error_field_required' });
    if (!f.full_name.trim()) missing.push({ field: 'full_name', key: 'error_field_required' });
    if (!f.role) missing.push({ field: 'role', key: 'error_field_required' });
    if (!this.staffUnit.code) missing.push({ field: 'unit_code', key: 'error_field_required' });
    if (missing.length) {
      this.createFail(localProblem(missing));
      return;
    }
    this.createBusy = true;
    this.createProblem = null;
    this.createNotice = null;
    this.app.rerender();
    try {
      await api.createStaff({
        username: f.username.trim(),
        password: f.password,
        full_name: f.full_name.trim(),
        role: f.role as Role,
        unit_code: this.staffUnit.code!,
      });
      this.createNotice = t('staff_created', { username: f.username.trim() });
      this.form = { username: '', password: '', full_name: '', role: '' };
      this.staffUnit.setSelected(null);
      this.createBusy = false;
      await this.loadStaff();
      this.app.rerender();
      announce(this.createNotice);
      document.getElementById('new-staff-username')?.focus();
    } catch (err) {
      this.createBusy = false;
      this.createFail(toProblem(err));
    }
  }

  private createFail(problem: Problem): void {
    this.createProblem = problem;
    this.createNotice = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('create-staff-form'));
  }

  // -------------------------------------------------------------------------
  // Admin: audit log

  private renderAudit(): HTMLElement {
    const rows = this.audit;
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'audit-heading', 'data-testid': 'audit-section' },
      h(
        'div',
        { class: 'card-title-row' },
        h('h2', { id: 'audit-heading', tabindex: -1 }, t('audit_heading')),
        h(
          'button',
          { type: 'button', id: 'audit-refresh', class: 'button ghost small', disabled: this.auditLoading, onclick: () => void this.loadAudit() },
          t('audit_refresh'),
        ),
      ),
      h(
        'div',
        { class: 'table-wrap', 'aria-busy': String(this.auditLoading) },
        this.auditProblem
          ? problemBanner(this.auditProblem)
          : rows === null
            ? h('p', { class: 'muted', role: 'status' }, t('loading'))
            : rows.length === 0
              ? h('p', { class: 'empty' }, t('audit_empty'))
              : h(
                  'table',
                  { class: 'table compact', 'data-testid': 'audit-table' },
                  h('caption', { class: 'sr-only' }, t('audit_heading')),
                  h(
                    'thead',
                    null,
                    h('tr', null, h('th', { scope: 'col' }, t('col_at')), h('th', { scope: 'col' }, t('col_actor')), h('th', { scope: 'col' }, t('col_action')), h('th', { scope: 'col' }, t('col_subject')), h('th', { scope: 'col' }, t('col_unit_code')), h('th', { scope: 'col' }, t('col_outcome'))),
                  ),
                  h(
                    'tbody',
                    null,
                    rows.map((a) =>
                      h(
                        'tr',
                        { 'data-testid': 'audit-row' },
                        h('td', { class: 'nowrap' }, timeEl(a.at)),
                        h('td', null, a.actor ?? t('none'), a.role && h('span', { class: 'muted small block' }, roleLabel(a.role))),
                        h('td', null, actionLabel(a.action), ' ', h('code', { class: 'muted small' }, a.action)),
                        h('td', null, a.subject ?? t('none')),
                        h('td', null, a.unit_code ?? t('none')),
                        h('td', null, h('span', { class: ['outcome', `outcome-${String(a.outcome)}`] }, outcomeText(a.outcome))),
                      ),
                    ),
                  ),
                ),
      ),
    );
  }

  private async loadAudit(): Promise<void> {
    this.auditLoading = true;
    if (this.section === 'audit') this.app.rerender();
    try {
      this.audit = await api.audit(100);
      this.auditProblem = null;
    } catch (err) {
      this.auditProblem = toProblem(err);
      announceProblem(this.auditProblem);
    }
    this.auditLoading = false;
    if (this.section === 'audit') this.app.rerender();
  }
}

function outcomeText(outcome: unknown): string {
  if (outcome && typeof outcome === 'object') return pick(outcome as Record<string, string>);
  return outcomeLabel(String(outcome ?? ''));
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return parts[parts.length - 1].charAt(0).toUpperCase();
}
