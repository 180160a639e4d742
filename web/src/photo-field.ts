// An optional photo for a report: a file input (phones offer the camera or the gallery), read in
// the browser as a data URL for the JSON body's `photo`, with a preview, a "remove" button and
// the server's errors for the field (not an image, too large) beside it. The server re-encodes
// the image, so its location and other EXIF data never reach anyone.

import type { Problem } from './api';
import { h } from './dom';
import { t } from './i18n';
import { fieldErrorText, fieldErrors, fieldWiring } from './ui';

/** The server's limit (decoded); bigger files are refused here before sending. */
const MAX_BYTES = 5 * 1024 * 1024;

export class PhotoField {
  /** The chosen photo as a data URL, or null. */
  dataUrl: string | null = null;
  private name = '';
  private localError: string | null = null;

  constructor(
    private readonly o: { id: string; testid: string; onChange: () => void },
  ) {}

  clear(): void {
    this.dataUrl = null;
    this.name = '';
    this.localError = null;
  }

  private read(file: File | undefined): void {
    this.localError = null;
    if (!file) {
      this.clear();
      this.o.onChange();
      return;
    }
    if (!/^image\/(jpeg|png)$/.test(file.type)) {
      this.clear();
      this.localError = t('photo_wrong_type');
      this.o.onChange();
      return;
    }
    if (file.size > MAX_BYTES) {
      this.clear();
      this.localError = t('photo_too_large');
      this.o.onChange();
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      this.dataUrl = typeof reader.result === 'string' ? reader.result : null;
      this.name = file.name;
      this.o.onChange();
    };
    reader.onerror = () => {
      this.clear();
      this.localError = t('photo_unreadable');
      this.o.onChange();
    };
    reader.readAsDataURL(file);
  }

  render(problem: Problem | null): HTMLElement {
    const id = this.o.id;
    const errors = fieldErrors(problem, 'photo');
    const { errorId, hintId, describedBy } = fieldWiring(id, errors, t('photo_hint'));
    const localId = `${id}-local-error`;
    return h(
      'div',
      { class: ['field', 'photo-field', (errors.length > 0 || this.localError) && 'has-error'] },
      h('label', { for: id, class: 'label' }, t('photo_label')),
      h('p', { id: hintId, class: 'hint' }, t('photo_hint')),
      errors.length > 0 && fieldErrorText(errorId!, errors, 'photo'),
      this.localError && h('p', { id: localId, class: 'field-error', 'data-testid': 'field-error-photo', role: 'alert' }, this.localError),
      h('input', {
        id,
        name: 'photo',
        type: 'file',
        accept: 'image/jpeg,image/png',
        class: 'input',
        'aria-describedby': [this.localError ? localId : undefined, describedBy].filter(Boolean).join(' ') || undefined,
        'aria-invalid': errors.length || this.localError ? 'true' : undefined,
        'data-testid': this.o.testid,
        onchange: (e: Event) => this.read((e.target as HTMLInputElement).files?.[0]),
      }),
      this.dataUrl &&
        h(
          'div',
          { class: 'photo-preview', 'data-testid': `${this.o.testid}-preview` },
          h('img', { src: this.dataUrl, alt: t('photo_preview_alt', { name: this.name }) }),
          h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: () => {
                this.clear();
                this.o.onChange();
                document.getElementById(id)?.focus();
              },
            },
            t('photo_remove'),
          ),
        ),
    );
  }
}
