// Citizen: "my QR" — the current health pass of the account holder or a family member (QR
// image fetched with the bearer token, colour, validity, the pass text), and a short history.

import { api, ApiError, toProblem, type CitizenMe, type DeclarationRow, type HealthPass, type Problem } from '../api';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav, type RouteOptions } from '../nav';
import { personField } from '../person-field';
import { announce, appHeader, colourBadge, colourBanner, flagLabel, kindLabel, listBody, problemBanner, timeEl } from '../ui';

const HISTORY_SHOWN = 10;

export class MyQrPage implements Page {
  private me: CitizenMe;
  private memberId: number | null;
  private pass: HealthPass | null = null;
  private imageUrl: string | null = null;
  private loading = true;
  private noPass = false;
  private problem: Problem | null = null;
  private history: DeclarationRow[] | null = null;
  private historyProblem: Problem | null = null;
  private copied = false;
  private token = 0;

  constructor(
    private readonly app: App,
    me: CitizenMe,
    opts: RouteOptions = {},
  ) {
    this.me = { ...me, family: me.family ?? [] };
    this.memberId = opts.memberId ?? null;
  }

  title(): string {
    return t('my_qr_title');
  }

  mounted(): void {
    void this.load();
    void this.loadHistory();
  }

  dispose(): void {
    this.token += 1;
    this.setImage(null);
  }

  private setImage(url: string | null): void {
    if (this.imageUrl) URL.revokeObjectURL(this.imageUrl);
    this.imageUrl = url;
  }

  private async load(): Promise<void> {
    const token = ++this.token;
    this.loading = true;
    this.noPass = false;
    this.problem = null;
    this.pass = null;
    this.copied = false;
    this.setImage(null);
    this.app.rerender();
    try {
      const pass = await api.myPass(this.memberId);
      const svg = await api.myPassSvg(this.memberId);
      if (token !== this.token) return;
      this.pass = pass;
      this.setImage(URL.createObjectURL(svg));
    } catch (err) {
      if (token !== this.token) return;
      if (err instanceof ApiError && err.status === 409) this.noPass = true;
      else this.problem = toProblem(err);
    }
    this.loading = false;
    this.app.rerender();
  }

  private async loadHistory(): Promise<void> {
    try {
      this.history = await api.myDeclarations();
      this.historyProblem = null;
    } catch (err) {
      this.historyProblem = toProblem(err);
    }
    this.app.rerender();
  }

  private personName(): string {
    if (this.memberId === null) return this.me.full_name || t('person_me');
    return this.me.family.find((m) => m.id === this.memberId)?.full_name ?? '';
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'my-qr'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'my-qr-page' },
        h('h1', { id: 'my-qr-heading', tabindex: -1, class: 'page-title' }, t('my_qr_title')),
        this.renderPerson(),
        this.renderPass(),
        this.renderHistory(),
      ),
    ];
  }

  private renderPerson(): HTMLElement | null {
    if (this.me.family.length === 0) return null;
    return personField({
      id: 'qr-person',
      label: t('my_qr_for'),
      testid: 'qr-person-select',
      me: this.me,
      memberId: this.memberId,
      onchange: (memberId) => {
        this.memberId = memberId;
        void this.load();
      },
    });
  }

  private renderPass(): HTMLElement {
    const name = this.personName();
    if (this.loading) {
      return h('section', { class: 'card pass-card', 'aria-busy': 'true' }, h('p', { class: 'loading', role: 'status' }, t('loading')));
    }
    if (this.problem) {
      return h('section', { class: 'card pass-card' }, problemBanner(this.problem), h('button', { type: 'button', class: 'button secondary', onclick: () => void this.load() }, t('retry')));
    }
    if (this.noPass || !this.pass) {
      return h(
        'section',
        { class: 'card pass-card', 'aria-labelledby': 'no-pass-heading', 'data-testid': 'no-pass' },
        h('h2', { id: 'no-pass-heading' }, t('my_qr_none_title')),
        h('p', null, t('my_qr_none', { name })),
        h(
          'button',
          { type: 'button', class: 'button primary', 'data-testid': 'no-pass-declare', onclick: () => this.app.navigate('declare', { memberId: this.memberId }) },
          t('my_qr_declare_now'),
        ),
      );
    }
    const pass = this.pass;
    return h(
      'section',
      { class: ['card', 'pass-card', `result-${pass.colour}`], 'aria-labelledby': 'pass-heading', 'data-testid': 'pass-card', 'data-colour': pass.colour },
      h('h2', { id: 'pass-heading', class: 'pass-name' }, name),
      colourBanner(pass.colour, { testid: 'pass-colour', title: t('result_colour_title') }),
      h(
        'div',
        { class: 'qr-box' },
        this.imageUrl && h('img', { src: this.imageUrl, class: 'qr-img', alt: t('qr_alt', { name }), width: 256, height: 256, 'data-testid': 'pass-qr' }),
        h('p', { class: 'qr-validity' }, t('pass_valid_until'), ' ', h('strong', { 'data-testid': 'pass-expires' }, timeEl(pass.expires_at))),
        h('p', { class: 'muted small' }, t('pass_issued_at'), ' ', timeEl(pass.issued_at)),
        h('p', { class: 'hint' }, t('my_qr_show_hint')),
      ),
      h(
        'div',
        { class: 'pass-text-box' },
        h('p', { class: 'label', id: 'pass-text-label' }, t('pass_text_label')),
        h('code', { class: 'pass-text', 'data-testid': 'pass-text', tabindex: 0, 'aria-labelledby': 'pass-text-label' }, pass.pass),
        h(
          'button',
          { type: 'button', class: 'button ghost small', 'data-testid': 'copy-pass', onclick: () => void this.copy(pass.pass) },
          this.copied ? t('copied') : t('copy'),
        ),
      ),
    );
  }

  private async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // No clipboard permission: select the text so that the user can copy it.
      const el = document.querySelector('[data-testid="pass-text"]');
      if (el) window.getSelection()?.selectAllChildren(el);
      return;
    }
    this.copied = true;
    this.app.rerender();
    announce(t('copied'));
  }

  private renderHistory(): HTMLElement {
    const rows = (this.history ?? []).filter((d) => (d.member_id ?? null) === this.memberId).slice(0, HISTORY_SHOWN);
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'history-heading', 'data-testid': 'history' },
      h('h2', { id: 'history-heading' }, t('history_title')),
      listBody(this.historyProblem, this.history === null ? null : rows, {
        empty: () => h('p', { class: 'muted' }, t('history_empty')),
        rows: (rows) =>
          h(
            'ul',
            { class: 'history-list' },
            rows.map((d) =>
              h(
                'li',
                { class: 'history-item', 'data-testid': 'history-item' },
                h('div', { class: 'history-main' }, h('span', { class: 'history-kind' }, kindLabel(d.kind)), h('span', { class: 'muted small' }, timeEl(d.declared_at), d.by_staff ? ` · ${t('by_staff')}` : '')),
                colourBadge(d.colour),
                d.flags.length > 0 && h('p', { class: 'history-flags small' }, d.flags.map(flagLabel).join(' · ')),
              ),
            ),
          ),
      }),
    );
  }
}
