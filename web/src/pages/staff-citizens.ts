// The citizens section of the staff home (health officials and admins): a search over the
// citizens in the staff member's jurisdiction, a table of results, and a detail panel with the
// person's phone, residence and family. Every read is audited by the server, so the section says
// so. It updates its own boxes in place (no page re-render) while the search is typed.

import { api, toProblem, type CitizenDetail, type CitizenSummary, type Problem } from '../api';
import { debounce, h, replaceChildren } from '../dom';
import { t } from '../i18n';
import { announceProblem, formatPhone, icon, problemBanner, relationLabel, timeEl, unitPath } from '../ui';

/** Rows asked for per citizens search. */
const CITIZENS_LIMIT = 50;

export class CitizensSection {
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

  dispose(): void {
    this.citizensAbort?.abort();
  }

  render(): HTMLElement {
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
            void this.load();
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

  private searchSoon = debounce(() => void this.load(), 300);

  async load(): Promise<void> {
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
}
