// Officials: importing a district's venue list from a CSV file (UTF-8, header
// `name,category,unit_code,street,lat,lon`). The server checks every row and stores nothing
// unless all are good; its errors name the line ("line 3: category") and are listed here by line.

import { clientProblem, toProblem, type FieldProblem, type Problem } from '../api';
import { venueApi, type Imported } from '../api-venues';
import { h } from '../dom';
import { pick, t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem } from '../ui';

const HEADER = 'name,category,unit_code,street,lat,lon';

/** "line 3: category" → line 3, field "category" (the server's way of naming a row's field). */
function lineOf(e: FieldProblem): { line: number | null; field: string } {
  const m = /^line (\d+)(?::\s*(.*))?$/.exec(e.field);
  return m ? { line: Number(m[1]), field: m[2] ?? '' } : { line: null, field: e.field };
}

export class VenueImportSection {
  private file: File | null = null;
  private busy = false;
  private problem: Problem | null = null;
  private result: Imported | null = null;
  // Kept across renders: a file input cannot be given its file back.
  private readonly input: HTMLInputElement;

  constructor(
    private readonly app: App,
    private readonly onImported: (r: Imported) => void,
  ) {
    this.input = h('input', {
      id: 'import-file',
      name: 'file',
      type: 'file',
      accept: '.csv,text/csv',
      class: 'input',
      'data-testid': 'import-file',
      onchange: () => {
        this.file = this.input.files?.[0] ?? null;
      },
    });
  }

  render(): HTMLElement {
    const p = this.problem;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'import-heading', 'data-testid': 'venue-import' },
      h('h2', { id: 'import-heading' }, t('import_title')),
      h('p', { class: 'muted' }, t('import_intro'), ' ', h('code', null, HEADER)),
      h(
        'form',
        { id: 'import-form', class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit(e) },
        h(
          'div',
          { class: ['field', p && 'has-error'] },
          h('label', { for: 'import-file', class: 'label' }, t('import_file')),
          this.fileInput(p !== null),
        ),
        h('button', { type: 'submit', class: 'button secondary', 'data-testid': 'import-submit', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined }, this.busy ? t('sending') : t('import_submit')),
      ),
      h('div', { 'aria-live': 'polite' }, p && this.renderErrors(p), this.result && h('p', { class: 'notice success', 'data-testid': 'import-done' }, t('import_done', { count: this.result.imported }))),
    );
  }

  private fileInput(invalid: boolean): HTMLInputElement {
    if (invalid) {
      this.input.setAttribute('aria-invalid', 'true');
      this.input.setAttribute('aria-describedby', 'import-errors');
    } else {
      this.input.removeAttribute('aria-invalid');
      this.input.removeAttribute('aria-describedby');
    }
    return this.input;
  }

  private renderErrors(p: Problem): HTMLElement {
    const errors = (p.errors ?? []).map((e) => ({ ...lineOf(e), message: pick(e.message) })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return h(
      'div',
      { class: 'problem', id: 'import-errors', tabindex: -1, 'data-testid': 'import-errors', 'data-problem-code': p.code ?? '' },
      h('span', { class: 'problem-icon', 'aria-hidden': 'true' }, '!'),
      h(
        'div',
        { class: 'problem-body' },
        h('p', { class: 'problem-message' }, pick(p.message)),
        errors.length > 0 &&
          h(
            'ul',
            { class: 'problem-list' },
            errors.map((e) =>
              h(
                'li',
                { 'data-testid': 'import-error', 'data-line': e.line ?? '' },
                e.line !== null && h('strong', null, t('import_line', { line: e.line }), e.field ? ` · ${e.field}` : '', ': '),
                e.message,
              ),
            ),
          ),
        h('p', { class: 'small' }, t('import_nothing_stored')),
      ),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.result = null;
    if (!this.file) {
      this.problem = clientProblem(422, 'file_required', 'import_choose_file');
      this.app.rerender();
      announceProblem(this.problem);
      document.getElementById('import-file')?.focus();
      return;
    }
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      const text = await this.file.text();
      this.result = await venueApi.importCsv(text);
      announce(t('import_done', { count: this.result.imported }));
      this.onImported(this.result);
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.app.rerender();
    if (this.problem) document.getElementById('import-errors')?.focus();
  }
}
