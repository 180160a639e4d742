// Citizen: health declaration for themself or a family member, in four kinds (tabs), then
// the result: colour, reasons and the QR pass.

import { api, DECLARATION_KINDS, toProblem, type CitizenMe, type DeclarationKind, type DeclarationRow, type Problem, type Recorded } from '../api';
import { DeclarationForm, rememberedKind, type IdentityPrefill } from '../declaration-form';
import { resultCard } from '../declaration-view';
import { h, type Child } from '../dom';
import { pick, t } from '../i18n';
import type { App, Page } from '../main';
import { appNav, type RouteOptions } from '../nav';
import { personField } from '../person-field';
import { announce, announceProblem, appHeader, focusFirstError, kindLabel, problemBanner, shownFields } from '../ui';

export class DeclarePage implements Page {
  private me: CitizenMe;
  private memberId: number | null;
  private readonly form: DeclarationForm;
  private history: DeclarationRow[] = [];
  private busy = false;
  private problem: Problem | null = null;
  private result: Recorded | null = null;
  private resultFor: string | null = null;

  constructor(
    private readonly app: App,
    me: CitizenMe,
    opts: RouteOptions = {},
  ) {
    this.me = { ...me, family: me.family ?? [] };
    this.memberId = opts.memberId ?? null;
    this.form = new DeclarationForm({ prefix: 'decl', mode: 'citizen', defaultUnit: me.unit?.code ?? null, rerender: () => this.app.rerender() });
    this.form.kind = opts.kind ?? rememberedKind() ?? 'domestic';
    this.prefillPerson();
  }

  title(): string {
    return t('declare_title');
  }

  mounted(): void {
    void this.form.load();
    void this.refresh();
  }

  /** Fresh family list and history (to prefill the identity of whom the declaration is for). */
  private async refresh(): Promise<void> {
    try {
      const [me, history] = await Promise.all([api.me(), api.myDeclarations().catch(() => [] as DeclarationRow[])]);
      if (me.kind === 'citizen') {
        this.me = { ...me, family: me.family ?? [] };
        this.app.updateMe(this.me);
      }
      this.history = history;
      if (this.memberId !== null && !this.me.family.some((m) => m.id === this.memberId)) this.memberId = null;
      if (!this.busy && !this.result) {
        this.prefillPerson(true);
        this.app.rerender();
      }
    } catch {
      // The form works without it.
    }
  }

  /** Fills name / birth year / gender / ID from the profile or the person's last declaration. */
  private prefillPerson(onlyEmpty = false): void {
    if (onlyEmpty && (this.form.fullName || this.form.birthYear)) return;
    const member = this.memberId !== null ? this.me.family.find((m) => m.id === this.memberId) : null;
    const last = this.history.find((d) => (d.member_id ?? null) === this.memberId && d.answers?.form && (d.answers.form as Record<string, unknown>).identity);
    const identity = (last?.answers?.form as { identity?: Record<string, unknown> } | undefined)?.identity;
    const prefill: IdentityPrefill = {
      full_name: member ? member.full_name : (this.me.full_name ?? ''),
      birth_year: member ? member.birth_year : null,
      phone: member ? null : this.me.phone,
    };
    if (identity) {
      prefill.full_name = String(identity.full_name ?? prefill.full_name ?? '');
      prefill.birth_year = Number(identity.birth_year) || prefill.birth_year;
      prefill.gender = typeof identity.gender === 'string' ? identity.gender : undefined;
      prefill.id_number = typeof identity.id_number === 'string' ? identity.id_number : null;
      if (typeof identity.phone === 'string') prefill.phone = identity.phone;
    }
    this.form.prefill(prefill);
  }

  private personName(): string {
    if (this.memberId === null) return this.me.full_name || t('person_me');
    return this.me.family.find((m) => m.id === this.memberId)?.full_name ?? '';
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut() }),
      appNav(this.app, this.me, 'declare'),
      h(
        'main',
        { id: 'main', class: 'page narrow', tabindex: -1, 'data-testid': 'declare-page' },
        h('h1', { id: 'declare-heading', tabindex: -1, class: 'page-title' }, t('declare_title')),
        this.result ? this.renderResult(this.result) : this.renderForm(),
      ),
    ];
  }

  private renderTabs(): HTMLElement {
    const kinds = DECLARATION_KINDS;
    return h(
      'div',
      { class: 'tabs kind-tabs', role: 'tablist', 'aria-label': t('declare_kind_label') },
      kinds.map((kind) =>
        h(
          'button',
          {
            type: 'button',
            role: 'tab',
            id: `kind-tab-${kind}`,
            class: 'tab',
            'data-testid': `kind-tab-${kind}`,
            'aria-selected': String(this.form.kind === kind),
            'aria-controls': 'declare-panel',
            tabindex: this.form.kind === kind ? 0 : -1,
            onclick: () => this.selectKind(kind),
            onkeydown: (e: KeyboardEvent) => {
              const i = kinds.indexOf(kind);
              let next: DeclarationKind | null = null;
              if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = kinds[(i + 1) % kinds.length];
              else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = kinds[(i + kinds.length - 1) % kinds.length];
              else if (e.key === 'Home') next = kinds[0];
              else if (e.key === 'End') next = kinds[kinds.length - 1];
              if (next) {
                e.preventDefault();
                this.selectKind(next);
              }
            },
          },
          kindLabel(kind),
        ),
      ),
    );
  }

  private selectKind(kind: DeclarationKind): void {
    if (this.form.kind !== kind) {
      this.form.kind = kind;
      this.problem = null;
      this.app.rerender();
    }
    document.getElementById(`kind-tab-${kind}`)?.focus();
  }

  private renderPerson(): HTMLElement {
    return personField({
      id: 'declare-person',
      name: 'member_id',
      label: t('declare_for'),
      testid: 'person-select',
      me: this.me,
      memberId: this.memberId,
      hint: this.me.family.length === 0 && h('p', { class: 'hint' }, t('declare_for_hint')),
      onchange: (memberId) => {
        this.memberId = memberId;
        this.problem = null;
        this.prefillPerson();
        this.app.rerender();
      },
    });
  }

  private renderForm(): HTMLElement {
    const f = this.form;
    const declarationFirst = this.problem?.errors?.some((e) => e.field === 'kind' && e.code === 'declaration_first');
    return h(
      'section',
      { class: 'card declare-card', 'aria-labelledby': 'declare-heading' },
      h('p', { class: 'lead' }, t('declare_intro')),
      this.renderTabs(),
      h(
        'div',
        { id: 'declare-panel', role: 'tabpanel', 'aria-labelledby': `kind-tab-${f.kind}`, class: 'tabpanel', 'data-kind': f.kind },
        h('p', { class: 'kind-intro' }, t(`kind_${f.kind}_intro`)),
        h(
          'form',
          { id: 'declare-form', class: 'form', novalidate: true, 'data-testid': 'declare-form', onsubmit: (e: SubmitEvent) => void this.submit(e) },
          problemBanner(this.problem, shownFields(this.problem, (field) => f.shows(field)), 'declare-problem'),
          declarationFirst &&
            h(
              'button',
              { type: 'button', class: 'button secondary small', 'data-testid': 'goto-domestic', onclick: () => this.selectKind('domestic') },
              kindLabel('domestic'),
            ),
          this.renderPerson(),
          f.render(this.problem),
          f.renderConsent(this.problem),
          h(
            'button',
            { type: 'submit', id: 'declare-submit', class: 'button primary block', 'data-testid': 'declare-submit', disabled: this.busy || !f.choices, 'aria-busy': this.busy ? 'true' : undefined },
            this.busy ? t('sending') : t('declare_submit'),
          ),
        ),
      ),
    );
  }

  private renderResult(r: Recorded): HTMLElement {
    return resultCard(r, {
      headingId: 'result-heading',
      title: t('result_title'),
      person: this.resultFor,
      actions: [
        h(
          'button',
          { type: 'button', class: 'button primary', 'data-testid': 'result-my-qr', onclick: () => this.app.navigate('my-qr', { memberId: this.memberId }) },
          t('result_open_my_qr'),
        ),
        h(
          'button',
          {
            type: 'button',
            class: 'button ghost',
            'data-testid': 'result-new',
            onclick: () => {
              this.result = null;
              this.form.clearHealth();
              this.app.rerender();
              document.getElementById('declare-heading')?.focus();
            },
          },
          t('result_new_declaration'),
        ),
      ],
    });
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    const body = this.form.body();
    if (this.memberId !== null) body.member_id = this.memberId;
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      const recorded = await api.declare(body);
      this.busy = false;
      this.form.remember();
      this.result = recorded;
      this.resultFor = this.form.kind === 'daily_update' ? this.personName() : this.form.fullName.trim() || this.personName();
      this.app.rerender();
      window.scrollTo(0, 0);
      document.getElementById('result-heading')?.focus();
      announce(`${t('result_title')}: ${t(`colour_${recorded.colour}`)}. ${recorded.flags.map((x) => pick(x.message)).join('. ')}`);
    } catch (err) {
      this.busy = false;
      this.problem = toProblem(err);
      this.app.rerender();
      announceProblem(this.problem);
      focusFirstError(document.getElementById('declare-form'));
    }
  }
}
