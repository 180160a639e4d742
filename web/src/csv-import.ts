// Importing a list from a CSV file (UTF-8, a header row first): venues for officials of a
// district, campaign units with their head counts. The server checks every row and stores
// nothing unless all are good; its errors name the line ("line 3: category") and are listed here
// by line.

import { clientProblem, toProblem, type FieldProblem, type Problem } from './api';
import { h } from './dom';
import { pick, t, type MessageKey } from './i18n';
import type { App } from './main';
import { announce, announceProblem } from './ui';

export interface CsvImportOptions {
  /** Prefix of the ids and test ids (`PREFIX-file`, `PREFIX-submit`, `PREFIX-errors`, …). */
  prefix: string;
  /** Test id of the section. */
  testid: string;
  /** The header row the file must start with. */
  header: string;
  /** Message keys of the section's texts. */
  text: { title: MessageKey; intro: MessageKey; file: MessageKey; choose: MessageKey; submit: MessageKey; done: MessageKey; nothingStored: MessageKey };
  send: (text: string) => Promise<{ imported: number }>;
  onImported: (imported: number) => void;
}

/** "line 3: category" → line 3, field "category" (the server's way of naming a row's field). */
function lineOf(e: FieldProblem): { line: number | null; field: string } {
  const m = /^line (\d+)(?::\s*(.*))?$/.exec(e.field);
  return m ? { line: Number(m[1]), field: m[2] ?? '' } : { line: null, field: e.field };
}

export class CsvImportSection {
  private file: File | null = null;
  private busy = false;
  private problem: Problem | null = null;
  private imported: number | null = null;
  // Kept across renders: a file input cannot be given its file back.
  private readonly input: HTMLInputElement;

  constructor(
    private readonly app: App,
    private readonly o: CsvImportOptions,
  ) {
    this.input = h('input', {
      id: `${o.prefix}-file`,
      name: 'file',
      type: 'file',
      accept: '.csv,text/csv',
      class: 'input',
      'data-testid': `${o.prefix}-file`,
      onchange: () => {
        this.file = this.input.files?.[0] ?? null;
      },
    });
  }

  render(): HTMLElement {
    const { prefix, text } = this.o;
    const p = this.problem;
    return h(
      'section',
      { class: 'card', 'aria-labelledby': `${prefix}-heading`, 'data-testid': this.o.testid },
      h('h2', { id: `${prefix}-heading` }, t(text.title)),
      h('p', { class: 'muted' }, t(text.intro), ' ', h('code', { class: 'csv-header' }, this.o.header)),
      h(
        'form',
        { id: `${prefix}-form`, class: 'form', novalidate: true, onsubmit: (e: SubmitEvent) => void this.submit(e) },
        h(
          'div',
          { class: ['field', p && 'has-error'] },
          h('label', { for: `${prefix}-file`, class: 'label' }, t(text.file)),
          this.fileInput(p !== null),
        ),
        h('button', { type: 'submit', class: 'button secondary', 'data-testid': `${prefix}-submit`, disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined }, this.busy ? t('sending') : t(text.submit)),
      ),
      h(
        'div',
        { 'aria-live': 'polite' },
        p && this.renderErrors(p),
        this.imported !== null && h('p', { class: 'notice success', 'data-testid': `${prefix}-done` }, t(text.done, { count: this.imported })),
      ),
    );
  }

  private fileInput(invalid: boolean): HTMLInputElement {
    if (invalid) {
      this.input.setAttribute('aria-invalid', 'true');
      this.input.setAttribute('aria-describedby', `${this.o.prefix}-errors`);
    } else {
      this.input.removeAttribute('aria-invalid');
      this.input.removeAttribute('aria-describedby');
    }
    return this.input;
  }

  private renderErrors(p: Problem): HTMLElement {
    const prefix = this.o.prefix;
    const errors = (p.errors ?? []).map((e) => ({ ...lineOf(e), message: pick(e.message) })).sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    return h(
      'div',
      { class: 'problem', id: `${prefix}-errors`, tabindex: -1, 'data-testid': `${prefix}-errors`, 'data-problem-code': p.code ?? '' },
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
                { 'data-testid': `${prefix}-error`, 'data-line': e.line ?? '' },
                e.line !== null && h('strong', null, t('import_line', { line: e.line }), e.field ? ` · ${e.field}` : '', ': '),
                e.message,
              ),
            ),
          ),
        h('p', { class: 'small' }, t(this.o.text.nothingStored)),
      ),
    );
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.busy) return;
    this.imported = null;
    if (!this.file) {
      this.problem = clientProblem(422, 'file_required', this.o.text.choose);
      this.app.rerender();
      announceProblem(this.problem);
      document.getElementById(`${this.o.prefix}-file`)?.focus();
      return;
    }
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    let text: string;
    try {
      text = await this.file.text();
    } catch {
      // The file changed or went away after it was chosen: the browser no longer reads it.
      this.file = null;
      this.input.value = '';
      this.busy = false;
      this.problem = clientProblem(422, 'file_unreadable', 'import_file_unreadable');
      this.app.rerender();
      announceProblem(this.problem);
      document.getElementById(`${this.o.prefix}-file`)?.focus();
      return;
    }
    try {
      const r = await this.o.send(text);
      this.imported = r.imported;
      announce(t(this.o.text.done, { count: r.imported }));
      this.o.onImported(r.imported);
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.app.rerender();
    if (this.problem) document.getElementById(`${this.o.prefix}-errors`)?.focus();
  }
}
