// Officials: publishing the cases' diagnosis keys now instead of waiting for the hourly batch,
// and the newest files of the public export index (`/en/exports/index.txt`, what phones
// download), each a link to the signed zip.

import { toProblem, type Problem } from '../api';
import { exportFileUrl, exposureApi, type ExportRun } from '../api-exposure';
import { h } from '../dom';
import { t } from '../i18n';
import type { App } from '../main';
import { announce, announceProblem, icon, listBody, problemBanner } from '../ui';

/** How many of the newest files are listed. */
const SHOWN = 10;

export class KeyExportsSection {
  /** Oldest first, as in the index. */
  private files: string[] | null = null;
  private filesProblem: Problem | null = null;
  private busy = false;
  private problem: Problem | null = null;
  private run: ExportRun | null = null;
  private abort: AbortController | null = null;

  constructor(private readonly app: App) {}

  async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    try {
      const files = await exposureApi.exportFiles(abort.signal);
      if (abort.signal.aborted) return;
      this.files = files;
      this.filesProblem = null;
    } catch (err) {
      if (abort.signal.aborted) return;
      this.filesProblem = toProblem(err);
    }
    this.app.rerender();
  }

  dispose(): void {
    this.abort?.abort();
  }

  render(): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'key-exports-heading', 'data-testid': 'key-exports' },
      h('h2', { id: 'key-exports-heading' }, t('key_exports_title')),
      h('p', { class: 'muted' }, t('key_exports_intro')),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            id: 'key-exports-publish',
            class: 'button secondary',
            'data-testid': 'key-exports-publish',
            disabled: this.busy,
            'aria-busy': this.busy ? 'true' : undefined,
            onclick: () => void this.publish(),
          },
          this.busy ? t('key_exports_publishing') : t('key_exports_publish'),
        ),
      ),
      h('div', { 'aria-live': 'polite', class: 'key-exports-outcome' }, problemBanner(this.problem, [], 'key-exports-problem'), this.run && this.renderRun(this.run)),
      h('h3', { id: 'key-exports-files-heading' }, t('key_exports_files')),
      listBody(this.filesProblem, this.files, {
        empty: () => h('p', { class: 'empty', 'data-testid': 'key-exports-empty' }, t('key_exports_empty')),
        rows: (files) => this.renderFiles(files),
      }),
    );
  }

  private renderRun(run: ExportRun): HTMLElement {
    const nothing = run.files === 0 && run.keys === 0;
    return h(
      'p',
      { class: ['notice', nothing ? 'info' : 'success'], 'data-testid': 'key-exports-run', 'data-files': run.files, 'data-keys': run.keys },
      nothing ? t('key_exports_nothing') : t('key_exports_published', { keys: run.keys, files: run.files }),
    );
  }

  private renderFiles(files: string[]): HTMLElement {
    const newest = files.slice(-SHOWN).reverse();
    const older = files.length - newest.length;
    return h(
      'div',
      null,
      h('p', { class: 'muted small', 'data-testid': 'key-exports-count', 'data-count': files.length }, t('key_exports_count', { count: files.length })),
      h(
        'ul',
        { class: 'export-files', 'aria-labelledby': 'key-exports-files-heading', 'data-testid': 'key-exports-files' },
        newest.map((name) =>
          h('li', { 'data-testid': 'key-exports-file' }, h('a', { href: exportFileUrl(name), download: name }, icon('download'), ' ', h('code', null, name))),
        ),
      ),
      older > 0 && h('p', { class: 'muted small' }, t('key_exports_older', { count: older })),
    );
  }

  private async publish(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.problem = null;
    this.run = null;
    this.app.rerender();
    try {
      const run = await exposureApi.publishNow();
      this.run = run;
      announce(run.files === 0 && run.keys === 0 ? t('key_exports_nothing') : t('key_exports_published', { keys: run.keys, files: run.files }));
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.app.rerender();
    if (this.run) await this.load();
  }
}
