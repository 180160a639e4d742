// Citizen home: greeting (with unread exposure alerts, if any), the quarantine card when an
// official ordered the citizen into quarantine (`quarantine-card.ts`), profile (name + home unit),
// the unit code of an adoption campaign (`my-org-unit.ts`), family members, and the citizen's
// data rights (`my-data.ts`: download a copy, delete the account).

import { api, localProblem, toProblem, type CitizenMe, type FamilyMember, type Problem } from '../api';
import { tracingApi, type QuarantineOrder } from '../api-tracing';
import { venueApi } from '../api-venues';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { UnitPicker } from '../unit-picker';
import { MyDataSection } from './my-data';
import { MyOrgUnitSection } from './my-org-unit';
import { currentOrder, quarantineCard } from './quarantine-card';
import {
  announce,
  announceProblem,
  appHeader,
  focusFirstError,
  icon,
  maskPhone,
  notice,
  problemBanner,
  RELATIONS,
  relationLabel,
  selectField,
  textField,
} from '../ui';

export class CitizenPage implements Page {
  private me: CitizenMe;

  private fullName: string;
  private readonly picker: UnitPicker;
  private profileBusy = false;
  private profileProblem: Problem | null = null;
  private profileNotice: string | null = null;

  private famName = '';
  private famYear = '';
  private famRelation = '';
  private famBusy = false;
  private famProblem: Problem | null = null;
  private famNotice: string | null = null;
  private removing: number | null = null;
  private unreadAlerts = 0;
  private quarantine: QuarantineOrder | null = null;
  private readonly orgUnit: MyOrgUnitSection;
  private readonly myData: MyDataSection;

  constructor(
    private readonly app: App,
    me: CitizenMe,
  ) {
    this.me = { ...me, family: me.family ?? [] };
    this.fullName = me.full_name ?? '';
    this.orgUnit = new MyOrgUnitSection(app, me.org_unit ?? '');
    this.myData = new MyDataSection(app);
    this.picker = new UnitPicker({
      id: 'home-unit',
      name: 'unit_code',
      label: () => t('home_unit_label'),
      selected: me.unit,
      emptyText: () => t('unit_none_selected'),
      testid: 'unit-picker',
    });
  }

  title(): string {
    return t('citizen_home_title');
  }

  mounted(): void {
    venueApi
      .alerts()
      .then((alerts) => {
        this.unreadAlerts = alerts.filter((a) => !a.read).length;
        if (this.unreadAlerts) {
          this.app.rerender();
          announce(t('citizen_alerts_unread', { count: this.unreadAlerts }), true);
        }
      })
      .catch(() => undefined);
    tracingApi
      .myQuarantine()
      .then((orders) => {
        this.quarantine = currentOrder(orders);
        if (this.quarantine) this.app.rerender();
      })
      .catch(() => undefined);
  }

  render(): Child[] {
    const me = this.me;
    const incomplete = !me.full_name || !me.unit;
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, me, 'home'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'citizen-home' },
        h(
          'section',
          { class: 'hero', 'aria-labelledby': 'greeting' },
          h(
            'h1',
            { id: 'greeting', tabindex: -1, 'data-testid': 'greeting' },
            me.full_name ? t('greeting_named', { name: me.full_name }) : t('greeting_anonymous'),
          ),
          h('p', { class: 'hero-phone', 'data-testid': 'masked-phone' }, icon('phone'), ' ', t('your_phone', { phone: maskPhone(me.phone) })),
          me.unit && h('p', { class: 'hero-unit', 'data-testid': 'home-unit-path' }, icon('pin'), ' ', me.unit.path),
          this.unreadAlerts > 0 &&
            h(
              'div',
              { class: 'notice danger alert-banner', 'data-testid': 'home-alerts' },
              h('span', null, t('citizen_alerts_unread', { count: this.unreadAlerts })),
              h('button', { type: 'button', class: 'button small primary', 'data-testid': 'home-alerts-open', onclick: () => this.app.navigate('alerts') }, t('citizen_alerts_open')),
            ),
          incomplete && h('p', { class: 'notice warn', 'data-testid': 'profile-incomplete' }, t('profile_incomplete')),
          h(
            'div',
            { class: 'hero-actions', role: 'group', 'aria-label': t('home_actions_label') },
            h('button', { type: 'button', class: 'button hero-button', 'data-testid': 'home-declare', onclick: () => this.app.navigate('declare') }, t('home_declare_action')),
            h('button', { type: 'button', class: 'button hero-button', 'data-testid': 'home-my-qr', onclick: () => this.app.navigate('my-qr') }, t('home_my_qr_action')),
          ),
        ),
        this.quarantine && quarantineCard(this.quarantine, () => this.app.navigate('declare', { kind: 'daily_update' })),
        this.renderProfile(),
        this.orgUnit.render(),
        this.renderFamily(),
        this.myData.render(),
      ),
    ];
  }

  // -------------------------------------------------------------------------
  // Profile

  private renderProfile(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'profile-heading' },
      h('h2', { id: 'profile-heading' }, t('profile_heading')),
      h(
        'form',
        { id: 'profile-form', class: 'form', novalidate: true, 'data-testid': 'profile-form', onsubmit: (e: SubmitEvent) => void this.saveProfile(e) },
        problemBanner(this.profileProblem, ['full_name', 'unit_code'], 'profile-problem'),
        textField({
          id: 'full-name',
          name: 'full_name',
          label: t('full_name_label'),
          autocomplete: 'name',
          autocapitalize: 'words',
          required: true,
          value: this.fullName,
          testid: 'full-name-input',
          problem: this.profileProblem,
          oninput: (v) => (this.fullName = v),
        }),
        this.picker.render(this.profileProblem),
        this.profileNotice && notice(this.profileNotice, 'profile-saved'),
        h(
          'button',
          { type: 'submit', id: 'save-profile', class: 'button primary', 'data-testid': 'save-profile', disabled: this.profileBusy },
          this.profileBusy ? t('saving') : t('save'),
        ),
      ),
    );
  }

  private async saveProfile(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.profileBusy) return;
    const fullName = this.fullName.trim();
    if (!fullName) {
      this.profileFail(localProblem([{ field: 'full_name', key: 'error_field_required' }]));
      return;
    }
    const patch: { full_name?: string; unit_code?: string } = { full_name: fullName };
    const code = this.picker.code;
    if (code && code !== this.me.unit?.code) patch.unit_code = code;
    this.profileBusy = true;
    this.profileProblem = null;
    this.profileNotice = null;
    this.app.rerender();
    try {
      const me = await api.updateMe(patch);
      if (me && me.kind === 'citizen') {
        this.me = { ...me, family: me.family ?? this.me.family };
      } else {
        // Be lenient with a server that answers without a body.
        this.me = { ...this.me, full_name: fullName, unit: this.picker.selected ?? this.me.unit };
      }
      this.app.updateMe(this.me);
      this.fullName = this.me.full_name ?? fullName;
      this.picker.setSelected(this.me.unit);
      this.profileBusy = false;
      this.profileNotice = t('saved');
      this.app.rerender();
      announce(t('saved'));
    } catch (err) {
      this.profileBusy = false;
      this.profileFail(toProblem(err));
    }
  }

  private profileFail(problem: Problem): void {
    this.profileProblem = problem;
    this.profileNotice = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('profile-form'));
  }

  // -------------------------------------------------------------------------
  // Family

  private renderFamily(): HTMLElement {
    const family = this.me.family;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'family-heading' },
      h(
        'div',
        { class: 'card-title-row' },
        h('h2', { id: 'family-heading', tabindex: -1 }, t('family_heading')),
        family.length > 0 && h('span', { class: 'badge', 'data-testid': 'family-count' }, family.length === 1 ? t('family_count_one') : t('family_count', { count: family.length })),
      ),
      family.length === 0
        ? h('p', { class: 'muted', 'data-testid': 'family-empty' }, t('family_empty'))
        : h(
            'ul',
            { class: 'member-list', 'data-testid': 'family-list' },
            family.map((m) => this.renderMember(m)),
          ),
      this.famNotice && notice(this.famNotice, 'family-notice'),
      h('h3', { id: 'family-add-heading' }, t('family_add_heading')),
      h(
        'form',
        {
          id: 'family-form',
          class: 'form family-form',
          novalidate: true,
          'aria-labelledby': 'family-add-heading',
          'data-testid': 'family-form',
          onsubmit: (e: SubmitEvent) => void this.addMember(e),
        },
        problemBanner(this.famProblem, ['full_name', 'birth_year', 'relation'], 'family-problem'),
        textField({
          id: 'family-full-name',
          name: 'full_name',
          label: t('full_name_label'),
          autocapitalize: 'words',
          autocomplete: 'off',
          required: true,
          value: this.famName,
          testid: 'family-name-input',
          problem: this.famProblem,
          oninput: (v) => (this.famName = v),
        }),
        h(
          'div',
          { class: 'form-row' },
          textField({
            id: 'family-birth-year',
            name: 'birth_year',
            label: t('birth_year_label'),
            inputmode: 'numeric',
            autocomplete: 'off',
            maxlength: 4,
            pattern: '[0-9]{4}',
            required: true,
            value: this.famYear,
            testid: 'family-year-input',
            problem: this.famProblem,
            oninput: (v) => (this.famYear = v),
          }),
          selectField({
            id: 'family-relation',
            name: 'relation',
            label: t('relation_label'),
            value: this.famRelation,
            placeholder: t('relation_choose'),
            required: true,
            options: RELATIONS.map((r) => ({ value: r, label: relationLabel(r) })),
            problem: this.famProblem,
            testid: 'family-relation-input',
            onchange: (v) => (this.famRelation = v),
          }),
        ),
        h(
          'button',
          { type: 'submit', id: 'add-member', class: 'button secondary', 'data-testid': 'add-member', disabled: this.famBusy },
          this.famBusy ? t('saving') : t('add_member'),
        ),
      ),
    );
  }

  private renderMember(m: FamilyMember): HTMLElement {
    return h(
      'li',
      { class: 'member', 'data-testid': 'family-member', 'data-id': m.id },
      h('span', { class: 'avatar', 'aria-hidden': 'true' }, initials(m.full_name)),
      h(
        'div',
        { class: 'member-text' },
        h('span', { class: 'member-name' }, m.full_name),
        h(
          'span',
          { class: 'member-meta' },
          [relationLabel(m.relation), m.birth_year ? t('born_in', { year: m.birth_year }) : null].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'button',
        {
          type: 'button',
          id: `remove-member-${m.id}`,
          class: 'button ghost danger small',
          'aria-label': t('remove_member_label', { name: m.full_name }),
          'data-testid': 'remove-member',
          disabled: this.removing === m.id,
          onclick: () => void this.removeMember(m),
        },
        t('remove_member'),
      ),
    );
  }

  private async addMember(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.famBusy) return;
    const name = this.famName.trim();
    const yearText = this.famYear.trim();
    const missing: { field: string; key: 'error_field_required' | 'birth_year_invalid' }[] = [];
    if (!name) missing.push({ field: 'full_name', key: 'error_field_required' });
    if (!yearText) missing.push({ field: 'birth_year', key: 'error_field_required' });
    else if (!/^\d{4}$/.test(yearText)) missing.push({ field: 'birth_year', key: 'birth_year_invalid' });
    if (!this.famRelation) missing.push({ field: 'relation', key: 'error_field_required' });
    if (missing.length) {
      this.famFail(localProblem(missing));
      return;
    }
    this.famBusy = true;
    this.famProblem = null;
    this.famNotice = null;
    this.app.rerender();
    try {
      const member = await api.addFamily({ full_name: name, birth_year: Number(yearText), relation: this.famRelation });
      this.me = { ...this.me, family: [...this.me.family, member] };
      this.app.updateMe(this.me);
      this.famName = '';
      this.famYear = '';
      this.famRelation = '';
      this.famBusy = false;
      this.famNotice = t('member_added', { name: member.full_name });
      this.app.rerender();
      announce(this.famNotice);
      document.getElementById('family-full-name')?.focus();
    } catch (err) {
      this.famBusy = false;
      this.famFail(toProblem(err));
    }
  }

  private async removeMember(m: FamilyMember): Promise<void> {
    if (this.removing !== null) return;
    if (!window.confirm(t('remove_member_confirm', { name: m.full_name }))) return;
    this.removing = m.id;
    this.famProblem = null;
    this.famNotice = null;
    this.app.rerender();
    try {
      await api.removeFamily(m.id);
      this.me = { ...this.me, family: this.me.family.filter((x) => x.id !== m.id) };
      this.app.updateMe(this.me);
      this.removing = null;
      this.famNotice = t('member_removed', { name: m.full_name });
      this.app.rerender();
      announce(this.famNotice);
      document.getElementById('family-heading')?.focus();
    } catch (err) {
      this.removing = null;
      this.famFail(toProblem(err));
    }
  }

  private famFail(problem: Problem): void {
    this.famProblem = problem;
    this.famNotice = null;
    this.app.rerender();
    announceProblem(problem);
    focusFirstError(document.getElementById('family-form'));
  }
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  const last = parts[parts.length - 1];
  return last.charAt(0).toUpperCase();
}
