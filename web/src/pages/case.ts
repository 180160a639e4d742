// Officials: one case (F0). The header with its dates (onset, sample, confirmation, start of the
// transmission period, isolation), the number of people at each level, the chain as a tree (F1s
// under the case, F2s under the F1 they met…, each with the source, minutes, confidence and
// evidence of the contact and a "quarantine" button that orders the plan of their level) beside
// the chain graph (`chain-graph.ts`; a click highlights the person in the tree), then gathering
// contacts again, the CSV export and the interview contact form (`case-contact-form.ts`).

import { toProblem, type Problem, type StaffMe, type Unit } from '../api';
import { CASE_STATUSES, tracingApi, type CaseDetail, type ChainMember, type QuarantineOrder } from '../api-tracing';
import { ChainGraph, graphLegend } from '../chain-graph';
import { h, type Child } from '../dom';
import { hasKey, pick, t, type MessageKey } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { loadUnits } from '../reference';
import { announce, announceProblem, appHeader, formatDay, formatPhone, icon, notice, problemBanner } from '../ui';
import { timeAt } from '../venue-view';
import { ContactForm, settingLabel, type ContactSourcePerson } from './case-contact-form';
import { caseSourceLabel } from './case-form';
import { caseStatusBadge, caseStatusLabel } from './cases';

/** What ordering a person into quarantine gave: the order, or the server's refusal. */
interface Ordered {
  busy: boolean;
  order?: QuarantineOrder;
  problem?: Problem;
}

const SOURCE_ICONS = { venue: 'pin', proximity: 'bluetooth', interview: 'chat' } as const;

export function levelName(level: number): string {
  return level === 0 ? t('level_f0') : `F${level}`;
}

/** The label of a code the API sends (`source_venue`, `confidence_high`…), else the code. */
function labelOr(key: string, fallback: string): string {
  return hasKey(key) ? t(key) : fallback;
}

/** A contact's source with its icon: venue, Bluetooth or interview. */
function sourceLabel(source: string): HTMLElement {
  const name = source in SOURCE_ICONS ? SOURCE_ICONS[source as keyof typeof SOURCE_ICONS] : null;
  return h('span', { class: 'chain-source', 'data-source': source }, name && icon(name), ' ', labelOr(`source_${source}`, source));
}

/** The message `key` with its `{time}` written as a `<time>` element in Vietnam's time. */
function withTime(key: MessageKey, iso: string): Child[] {
  const [before, after = ''] = t(key).split('{time}');
  return [before, timeAt(iso, true), after];
}

export class CasePage implements Page {
  private detail: CaseDetail | null = null;
  private problem: Problem | null = null;
  private loading = false;
  private units = new Map<string, Unit>();
  private abort: AbortController | null = null;
  private selected: number | null = null;
  private ordered = new Map<number, Ordered>();
  private gathering = false;
  /** The status chosen in the select, until saved. */
  private status: string | null = null;
  private savingStatus = false;
  /** A function, so that the notice follows a change of language. */
  private actionNotice: (() => string) | null = null;
  private actionProblem: Problem | null = null;
  private readonly graph: ChainGraph;
  private readonly contactForm: ContactForm;

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
    private readonly caseId: number,
  ) {
    this.graph = new ChainGraph((id) => this.select(id));
    this.contactForm = new ContactForm(app, me, caseId, () => void this.load());
  }

  title(): string {
    return this.detail ? t('case_title', { name: this.detail.case.full_name }) : t('nav_cases');
  }

  mounted(): void {
    void this.load();
  }

  dispose(): void {
    this.abort?.abort();
  }

  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.loading = true;
    this.app.rerender();
    try {
      const detail = await tracingApi.case(this.caseId, abort.signal);
      if (abort.signal.aborted) return;
      this.detail = detail;
      this.problem = null;
      const units = await loadUnits([detail.case.unit_code, ...detail.chain.map((m) => m.unit_code)]);
      if (abort.signal.aborted) return;
      for (const [code, unit] of units) this.units.set(code, unit);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.loading = false;
    this.app.rerender();
  }

  /** Highlights a person of the graph in the tree and brings them into view. */
  private select(personId: number): void {
    this.selected = personId;
    this.app.rerender();
    const item = document.querySelector<HTMLElement>(`[data-testid="chain-item"][data-person-id="${personId}"] > .chain-entry`);
    item?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    const member = this.detail?.chain.find((m) => m.person_id === personId);
    const name = member ? memberName(member) : this.detail?.case.full_name;
    if (name) announce(name);
  }

  render(): Child[] {
    const d = this.detail;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'case'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'aria-busy': String(this.loading), 'data-testid': 'case-page', 'data-case-id': this.caseId },
        h('button', { type: 'button', class: 'link-button back-link', 'data-testid': 'case-back', onclick: () => this.app.navigate('cases') }, t('case_back')),
        h('h1', { id: 'case-heading', tabindex: -1, class: 'page-title', 'data-testid': 'case-heading' }, d ? t('case_title', { name: d.case.full_name }) : t('nav_cases')),
        !d
          ? h('section', { class: 'card' }, this.problem ? problemBanner(this.problem) : h('p', { class: 'muted', role: 'status' }, t('loading')))
          : [this.renderFacts(d), this.renderChain(d), this.contactForm.render(this.sources(d))],
      ),
    ];
  }

  private renderFacts(d: CaseDetail): HTMLElement {
    const c = d.case;
    const fact = (label: string, value: Child) => h('div', null, h('dt', null, label), h('dd', null, value));
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'case-facts-heading' },
      h('h2', { id: 'case-facts-heading' }, t('case_facts')),
      h(
        'dl',
        { class: 'facts case-facts', 'data-testid': 'case-facts' },
        fact(t('col_status'), this.renderStatus(c.status)),
        fact(t('col_phone'), c.phone ? formatPhone(c.phone) : t('none')),
        fact(t('col_unit'), this.units.get(c.unit_code)?.path ?? c.unit_code),
        fact(t('case_source'), caseSourceLabel(c.source)),
        fact(t('case_fact_onset'), formatDay(c.onset_date)),
        fact(t('case_sample'), formatDay(c.sample_date)),
        fact(t('case_confirmed'), formatDay(c.confirmed_date)),
        fact(t('case_transmission_from'), h('span', { 'data-testid': 'case-transmission-from' }, timeAt(c.transmission_from, true))),
        fact(t('case_isolated_at'), timeAt(c.isolated_at, true)),
        c.note && fact(t('case_fact_note'), c.note),
      ),
      h(
        'div',
        { class: 'chips level-counts', role: 'group', 'aria-label': t('case_counts_label'), 'data-testid': 'case-counts' },
        d.counts.map((n, i) =>
          h('span', { class: ['level-chip', `chain-level-${i + 1}`], 'data-testid': `case-count-f${i + 1}`, 'data-count': n }, h('strong', null, `F${i + 1}`), ` ${n}`),
        ),
        d.other_contacts > 0 && h('span', { class: 'muted small' }, t('case_other_contacts', { count: d.other_contacts })),
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', class: 'button secondary', 'data-testid': 'case-gather', disabled: this.gathering, 'aria-busy': this.gathering ? 'true' : undefined, onclick: () => void this.gather() },
          this.gathering ? t('case_gathering') : t('case_gather'),
        ),
        h('button', { type: 'button', class: 'button secondary', 'data-testid': 'case-csv', onclick: () => void this.csv() }, icon('download'), ' ', t('case_csv')),
      ),
      this.actionNotice && notice(this.actionNotice(), 'case-action-notice'),
      problemBanner(this.actionProblem),
    );
  }

  /** The status badge and, to change it, a select with a save button. */
  private renderStatus(status: string): Child {
    const choice = this.status ?? status;
    return h(
      'div',
      { class: 'case-status-row' },
      caseStatusBadge(status),
      h('label', { for: 'case-status-select', class: 'sr-only' }, t('case_status_change')),
      h(
        'select',
        {
          id: 'case-status-select',
          class: 'input small',
          'data-testid': 'case-status-select',
          onchange: (e: Event) => {
            this.status = (e.target as HTMLSelectElement).value;
            this.app.rerender();
          },
        },
        CASE_STATUSES.map((s) => h('option', { value: s, selected: s === choice }, caseStatusLabel(s))),
      ),
      h(
        'button',
        { type: 'button', class: 'button ghost small', 'data-testid': 'case-status-save', disabled: this.savingStatus || choice === status, onclick: () => void this.saveStatus() },
        this.savingStatus ? t('saving') : t('case_status_change'),
      ),
    );
  }

  private async saveStatus(): Promise<void> {
    const d = this.detail;
    const status = CASE_STATUSES.find((s) => s === this.status);
    if (!d || !status) return;
    this.savingStatus = true;
    this.actionNotice = null;
    this.actionProblem = null;
    this.app.rerender();
    try {
      const c = await tracingApi.setStatus(d.case.id, status);
      this.detail = { ...d, case: c };
      this.status = null;
      this.actionNotice = () => t('case_status_saved', { status: caseStatusLabel(c.status) });
      announce(this.actionNotice());
    } catch (err) {
      this.actionProblem = toProblem(err);
      announceProblem(this.actionProblem);
    }
    this.savingStatus = false;
    this.app.rerender();
  }

  private renderChain(d: CaseDetail): HTMLElement {
    const c = d.case;
    this.graph.update(
      [{ id: c.person_id, label: c.full_name, level: 0 }, ...d.chain.map((m) => ({ id: m.person_id, label: memberName(m), level: m.level }))],
      d.chain.map((m) => ({ from: m.via, to: m.person_id })),
    );
    const root = h(
      'li',
      { class: ['chain-item', this.selected === c.person_id && 'highlighted'], 'data-testid': 'chain-item', 'data-person-id': c.person_id, 'data-level': 0 },
      h('div', { class: 'chain-entry' }, h('span', { class: 'level-chip chain-level-0' }, levelName(0)), ' ', h('strong', null, c.full_name)),
      this.children(d.chain, c.person_id, 1),
    );
    return h(
      'section',
      { class: 'card work', 'aria-labelledby': 'case-chain-heading' },
      h('h2', { id: 'case-chain-heading' }, t('case_chain_title')),
      h(
        'div',
        { class: 'split chain-split' },
        h(
          'div',
          { class: 'chain-tree-wrap' },
          d.chain.length === 0 && h('p', { class: 'empty', 'data-testid': 'case-chain-empty' }, t('case_chain_empty')),
          h('ul', { class: 'chain-tree', 'data-testid': 'chain-tree' }, root),
        ),
        h(
          'figure',
          { class: 'chain-figure' },
          h('figcaption', null, h('strong', null, t('case_graph_title')), h('span', { class: 'muted small block' }, t('case_graph_hint'))),
          this.graph.render({ label: t('case_graph_label', { name: c.full_name, count: d.chain.length + 1 }), selected: this.selected }),
          graphLegend([0, 1, 2, 3].map(levelName)),
        ),
      ),
    );
  }

  /** The members of `level` who met `parent`, each with their own contacts below. */
  private children(chain: ChainMember[], parent: number, level: number): HTMLElement | null {
    const kids = chain.filter((m) => m.via === parent && m.level === level);
    if (kids.length === 0) return null;
    return h('ul', null, kids.map((m) => this.member(chain, m)));
  }

  private member(chain: ChainMember[], m: ChainMember): HTMLElement {
    const above = chain.find((x) => x.person_id === m.via);
    const parent = m.level === 1 ? this.detail?.case.full_name : above && memberName(above);
    const ordered = this.ordered.get(m.person_id);
    return h(
      'li',
      { class: ['chain-item', this.selected === m.person_id && 'highlighted'], 'data-testid': 'chain-item', 'data-person-id': m.person_id, 'data-level': m.level, 'data-via': m.via },
      h(
        'div',
        { class: 'chain-entry', tabindex: this.selected === m.person_id ? -1 : undefined },
        h('div', { class: 'chain-line' }, h('span', { class: ['level-chip', `chain-level-${Math.min(m.level, 3)}`] }, levelName(m.level)), ' ', h('strong', { 'data-testid': 'chain-name', 'data-outside': m.outside_jurisdiction ? 'true' : undefined }, memberName(m)), m.phone && h('span', { class: 'muted' }, ` · ${formatPhone(m.phone)}`), parent && h('span', { class: 'muted' }, ` · ${t('chain_via', { name: parent })}`)),
        h(
          'div',
          { class: 'chain-meta small' },
          (m.sources?.length ? m.sources : [m.source]).map((src, i) => [i > 0 && ' + ', sourceLabel(src)]),
          ' · ',
          settingLabel(m.setting),
          ' · ',
          t('chain_minutes', { minutes: m.minutes }),
          ' · ',
          t('confidence_label', { level: labelOr(`confidence_${m.confidence}`, m.confidence) }),
          ' · ',
          withTime('chain_exposed', m.exposed_at),
          m.isolated_at && [' · ', withTime('chain_isolated', m.isolated_at)],
        ),
        m.evidence && h('p', { class: 'chain-evidence muted small', 'data-testid': 'chain-evidence' }, m.evidence),
        !m.outside_jurisdiction && h(
          'div',
          { class: 'chain-actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'button ghost small',
              'aria-label': t('quarantine_order_label', { name: memberName(m), level: levelName(m.level) }),
              'data-testid': 'quarantine-order',
              disabled: ordered?.busy || ordered?.order !== undefined,
              onclick: () => void this.quarantine(m),
            },
            ordered?.busy ? t('quarantine_ordering') : t('quarantine_order', { level: levelName(m.level) }),
          ),
          ordered?.order && h('span', { class: 'notice success inline', role: 'status', 'data-testid': 'quarantine-result', 'data-ends-on': ordered.order.ends_on }, orderText(ordered.order)),
          ordered?.problem && h('span', { class: 'field-error inline', role: 'alert', 'data-testid': 'quarantine-problem', 'data-problem-code': ordered.problem.code ?? '' }, pick(ordered.problem.message)),
        ),
      ),
      this.children(chain, m.person_id, m.level + 1),
    );
  }

  private sources(d: CaseDetail): ContactSourcePerson[] {
    return [
      { person_id: d.case.person_id, label: t('contact_from_case', { name: d.case.full_name }) },
      ...d.chain.map((m) => ({ person_id: m.person_id, label: t('contact_from_member', { name: memberName(m), level: levelName(m.level) }) })),
    ];
  }

  private async quarantine(m: ChainMember): Promise<void> {
    this.ordered.set(m.person_id, { busy: true });
    this.app.rerender();
    try {
      const order = await tracingApi.orderQuarantine({ person_id: m.person_id, level: m.level, case_id: this.caseId });
      this.ordered.set(m.person_id, { busy: false, order });
      announce(orderText(order));
    } catch (err) {
      const problem = toProblem(err);
      this.ordered.set(m.person_id, { busy: false, problem });
      announceProblem(problem);
    }
    this.app.rerender();
  }

  private async gather(): Promise<void> {
    this.gathering = true;
    this.actionNotice = null;
    this.actionProblem = null;
    this.app.rerender();
    try {
      const g = await tracingApi.gather(this.caseId);
      this.actionNotice = () => t('case_gathered', { venue: g.venue_contacts, proximity: g.proximity_contacts });
      announce(this.actionNotice());
    } catch (err) {
      this.actionProblem = toProblem(err);
      announceProblem(this.actionProblem);
    }
    this.gathering = false;
    await this.load();
  }

  private async csv(): Promise<void> {
    this.actionNotice = null;
    this.actionProblem = null;
    try {
      const file = await tracingApi.chainCsv(this.caseId);
      const name = file.filename ?? `case-${this.caseId}-chain.csv`;
      const url = URL.createObjectURL(file.blob);
      const a = h('a', { href: url, download: name, class: 'sr-only' });
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
      this.actionNotice = () => t('case_csv_done', { name });
      announce(this.actionNotice());
    } catch (err) {
      this.actionProblem = toProblem(err);
      announceProblem(this.actionProblem);
    }
    this.app.rerender();
  }
}

/** "Quarantine until 20/08/2021; tests on …" in the current language. */
function orderText(o: QuarantineOrder): string {
  const end = formatDay(o.ends_on);
  return o.tests_on.length ? t('quarantine_ordered', { end, tests: o.tests_on.map(formatDay).join(', ') }) : t('quarantine_ordered_no_tests', { end });
}

/** A member's name, or who holds their record when they live outside the official's jurisdiction. */
function memberName(m: { full_name: string | null; unit_code: string }): string {
  return m.full_name ?? t('chain_outside', { unit: m.unit_code });
}
