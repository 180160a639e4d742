// The feedback part of a facility's page: citizens' reports on the facility (open ones, and those
// answered in the last 30 days) with their photos and the facility's answers; a form for the
// signed-in citizen (text and an optional photo); an answer box on each open item for the
// facility's staff and the officials. Authors are never shown.

import { localProblem, toProblem, type Me, type Problem } from '../api';
import { safetyApi, type FeedbackView } from '../api-safety';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import { PhotoField } from '../photo-field';
import { announce, announceProblem, focusFirstError, notice, problemBanner, textAreaField, timeEl } from '../ui';

interface Answering {
  text: string;
  busy: boolean;
  problem: Problem | null;
}

/** "Open" / "Answered" as a badge (text, not colour alone). */
export function feedbackStatus(status: string): HTMLElement {
  const open = status === 'open';
  return h(
    'span',
    { class: ['status-badge', open ? 'feedback-status-open' : 'status-closed'], 'data-status': status, 'data-testid': 'feedback-status' },
    h('span', { class: 'colour-dot', 'aria-hidden': 'true' }),
    open ? t('feedback_status_open') : t('feedback_status_answered'),
  );
}

/** One feedback item: text, photo, time, and the answer when there is one. */
export function feedbackItem(f: FeedbackView, extra?: Child): HTMLElement {
  return h(
    'li',
    { class: 'feedback-item', 'data-testid': 'feedback-item', 'data-feedback-id': f.id, 'data-status': f.status },
    h('p', { class: 'feedback-meta muted small' }, feedbackStatus(f.status), ' ', timeEl(f.created_at)),
    h('p', { class: 'feedback-text', 'data-testid': 'feedback-text' }, f.text),
    f.photo_url &&
      h('a', { href: f.photo_url, target: '_blank', rel: 'noopener', class: 'feedback-photo' }, h('img', { src: f.photo_url, alt: t('feedback_photo_alt'), loading: 'lazy', 'data-testid': 'feedback-photo' })),
    f.answer &&
      h(
        'div',
        { class: 'feedback-answer', 'data-testid': 'feedback-answer' },
        h('p', { class: 'small muted' }, t('feedback_answer_from'), ' ', f.answered_at && timeEl(f.answered_at)),
        h('p', null, f.answer),
      ),
    extra,
  );
}

export class FeedbackSection {
  private text = '';
  private busy = false;
  private problem: Problem | null = null;
  private sent = false;
  private readonly photo: PhotoField;
  private readonly answering = new Map<number, Answering>();

  constructor(
    private readonly o: {
      facilityId: number;
      me: Me | null;
      /** The facility's staff member or an official: may answer. */
      canAnswer: () => boolean;
      rerender: () => void;
      /** Loads the facility again after a change. */
      reload: () => Promise<void>;
      signIn: () => void;
    },
  ) {
    this.photo = new PhotoField({ id: 'feedback-photo', testid: 'feedback-photo-input', onChange: () => o.rerender() });
  }

  private async send(): Promise<void> {
    const text = this.text.trim();
    if (!text) {
      this.problem = localProblem([{ field: 'text', key: 'error_field_required' }]);
      this.o.rerender();
      focusFirstError(document.getElementById('feedback-form'));
      return;
    }
    this.busy = true;
    this.problem = null;
    this.sent = false;
    this.o.rerender();
    try {
      await safetyApi.sendFeedback(this.o.facilityId, { text, photo: this.photo.dataUrl ?? undefined });
      this.text = '';
      this.photo.clear();
      this.sent = true;
      announce(t('feedback_sent'));
      await this.o.reload();
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.o.rerender();
    if (this.problem) focusFirstError(document.getElementById('feedback-form'));
  }

  private async answer(f: FeedbackView, entry: Answering): Promise<void> {
    if (!entry.text.trim()) {
      entry.problem = localProblem([{ field: 'answer', key: 'error_field_required' }]);
      this.o.rerender();
      return;
    }
    entry.busy = true;
    entry.problem = null;
    this.o.rerender();
    try {
      await safetyApi.answerFeedback(f.id, entry.text.trim());
      this.answering.delete(f.id);
      announce(t('feedback_answered'));
      await this.o.reload();
    } catch (err) {
      entry.problem = toProblem(err);
      entry.busy = false;
      announceProblem(entry.problem);
    }
    this.o.rerender();
  }

  private answerBox(f: FeedbackView): Child {
    if (f.status !== 'open' || !this.o.canAnswer()) return null;
    let entry = this.answering.get(f.id);
    if (!entry) {
      entry = { text: '', busy: false, problem: null };
      this.answering.set(f.id, entry);
    }
    const e = entry;
    return h(
      'form',
      {
        class: 'form feedback-answer-form',
        novalidate: true,
        'data-testid': 'feedback-answer-form',
        onsubmit: (ev: SubmitEvent) => {
          ev.preventDefault();
          void this.answer(f, e);
        },
      },
      problemBanner(e.problem, ['answer']),
      textAreaField({
        id: `feedback-answer-${f.id}`,
        name: 'answer',
        label: t('feedback_answer_label'),
        value: e.text,
        rows: 2,
        required: true,
        problem: e.problem,
        testid: 'feedback-answer-text',
        oninput: (v) => (e.text = v),
      }),
      h('button', { type: 'submit', class: 'button secondary small', disabled: e.busy, 'aria-busy': e.busy ? 'true' : undefined, 'data-testid': 'feedback-answer-submit' }, e.busy ? t('sending') : t('feedback_answer_submit')),
    );
  }

  render(items: FeedbackView[]): HTMLElement {
    return h(
      'section',
      { class: 'card', 'aria-labelledby': 'feedback-title', 'data-testid': 'facility-feedback' },
      h('h2', { id: 'feedback-title' }, t('feedback_title')),
      items.length === 0
        ? h('p', { class: 'empty', 'data-testid': 'feedback-empty' }, t('feedback_empty'))
        : h('ul', { class: 'feedback-list' }, items.map((f) => feedbackItem(f, this.answerBox(f)))),
      this.renderForm(),
    );
  }

  private renderForm(): Child {
    const me = this.o.me;
    if (!me)
      return h('p', { class: 'notice info' }, t('feedback_signin_hint'), ' ', h('button', { type: 'button', class: 'link-button', 'data-testid': 'feedback-signin', onclick: () => this.o.signIn() }, t('map_signin')));
    if (me.kind !== 'citizen') return null;
    return h(
      'form',
      {
        class: 'form feedback-form',
        id: 'feedback-form',
        novalidate: true,
        'data-testid': 'feedback-form',
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          void this.send();
        },
      },
      h('h3', null, t('feedback_form_title')),
      h('p', { class: 'muted small' }, t('feedback_form_intro')),
      problemBanner(this.problem, ['text', 'photo']),
      this.sent && notice(t('feedback_sent'), 'feedback-sent'),
      textAreaField({
        id: 'feedback-text',
        name: 'text',
        label: t('feedback_text_label'),
        value: this.text,
        rows: 3,
        required: true,
        maxlength: 2000,
        problem: this.problem,
        testid: 'feedback-text-input',
        oninput: (v) => (this.text = v),
      }),
      this.photo.render(this.problem),
      h('button', { type: 'submit', class: 'button primary', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined, 'data-testid': 'feedback-submit' }, this.busy ? t('sending') : t('feedback_submit')),
    );
  }
}
