// Staff home: the page shell with the account bar (name, role, jurisdiction, username). Health
// officials and admins get the citizens section; admins also a section bar to switch to the staff
// accounts and the audit log (each loaded when first shown); other roles see their account card.

import type { StaffMe } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { appHeader, roleLabel, unitPath } from '../ui';
import { StaffAccountsSection } from './staff-accounts';
import { AuditSection } from './staff-audit';
import { CitizensSection } from './staff-citizens';

type Section = 'citizens' | 'staff' | 'audit';

export class StaffPage implements Page {
  private section: Section = 'citizens';
  private readonly citizens = new CitizensSection();
  private readonly accounts: StaffAccountsSection;
  private readonly auditLog: AuditSection;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {
    this.accounts = new StaffAccountsSection(app, () => this.section === 'staff');
    this.auditLog = new AuditSection(app, () => this.section === 'audit');
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
    if (this.canSeeCitizens) void this.citizens.load();
  }

  dispose(): void {
    this.citizens.dispose();
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
    if (this.section === 'citizens') nodes.push(this.citizens.render());
    else if (this.section === 'staff') nodes.push(this.accounts.render());
    else nodes.push(this.auditLog.render());
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
    if (section === 'staff' && this.accounts.staffRows === null) void this.accounts.load();
    if (section === 'audit' && this.auditLog.audit === null) void this.auditLog.load();
  }
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return '?';
  return parts[parts.length - 1].charAt(0).toUpperCase();
}
