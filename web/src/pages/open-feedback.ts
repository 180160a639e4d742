// Officials (health officials, admins): citizens' feedback on facilities of the jurisdiction that
// no one has answered yet, oldest first (the longest waiting on top), each with its facility (a
// link to its page) and an answer box; an answered item leaves the list.

import { localProblem, toProblem, type Problem, type StaffMe } from '../api';
import { safetyApi, type OfficialFeedback } from '../api-safety';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { announce, announceProblem, appHeader, listBody, notice, problemBanner, textAreaField } from '../ui';
import { feedbackItem } from './facility-feedback';

interface Answering {
  text: string;
  busy: boolean;
  problem: Problem | null;
}

export class OpenFeedbackPage implements Page {
  private rows: OfficialFeedback[] | null = null;
  private problem: Problem | null = null;
  private done = false;
  private readonly answering = new Map<number, Answering>();

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
  ) {}

  title(): string {
    return t('open_feedback_title');
  }

  mounted(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const rows = await safetyApi.openFeedback();
      this.rows = rows.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
      this.problem = null;
      announce(t('open_feedback_count', { count: rows.length }));
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.app.rerender();
  }

  private entry(id: number): Answering {
    let e = this.answering.get(id);
    if (!e) {
      e = { text: '', busy: false, problem: null };
      this.answering.set(id, e);
    }
    return e;
  }

  private async answer(f: OfficialFeedback): Promise<void> {
    const e = this.entry(f.id);
    if (!e.text.trim()) {
      e.problem = localProblem([{ field: 'answer', key: 'error_field_required' }]);
      this.app.rerender();
      document.getElementById(`open-feedback-answer-${f.id}`)?.focus();
      return;
    }
    e.busy = true;
    e.problem = null;
    this.app.rerender();
    try {
      await safetyApi.answerFeedback(f.id, e.text.trim());
      this.answering.delete(f.id);
      this.rows = (this.rows ?? []).filter((x) => x.id !== f.id);
      this.done = true;
      announce(t('feedback_answered'));
    } catch (err) {
      e.problem = toProblem(err);
      e.busy = false;
      announceProblem(e.problem);
    }
    this.app.rerender();
  }

  render(): Child[] {
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'open-feedback'),
      h(
        'main',
        { id: 'main', class: 'page wide', tabindex: -1, 'data-testid': 'open-feedback-page' },
        h('h1', { id: 'open-feedback-heading', tabindex: -1, class: 'page-title' }, t('open_feedback_title')),
        h('p', { class: 'muted' }, t('open_feedback_intro')),
        this.done && notice(t('feedback_answered'), 'open-feedback-done'),
        h(
          'section',
          { class: 'card work', 'aria-labelledby': 'open-feedback-heading' },
          listBody(this.problem, this.rows, {
            empty: () => h('p', { class: 'empty', 'data-testid': 'open-feedback-empty' }, t('open_feedback_empty')),
            rows: (rows) => h('ul', { class: 'feedback-list' }, rows.map((f) => feedbackItem(f, this.renderAnswer(f)))),
          }),
        ),
      ),
    ];
  }

  private renderAnswer(f: OfficialFeedback): Child {
    const e = this.entry(f.id);
    return [
      h(
        'p',
        { class: 'small' },
        t('open_feedback_facility'),
        ' ',
        h(
          'a',
          {
            href: `/facility/${f.facility_id}`,
            'data-testid': 'open-feedback-facility',
            onclick: (ev: MouseEvent) => {
              ev.preventDefault();
              this.app.navigate('facility', { facilityId: f.facility_id });
            },
          },
          f.facility_name,
        ),
      ),
      h(
        'form',
        {
          class: 'form feedback-answer-form',
          novalidate: true,
          'data-testid': 'open-feedback-form',
          onsubmit: (ev: SubmitEvent) => {
            ev.preventDefault();
            void this.answer(f);
          },
        },
        problemBanner(e.problem, ['answer']),
        textAreaField({
          id: `open-feedback-answer-${f.id}`,
          name: 'answer',
          label: t('feedback_answer_label'),
          value: e.text,
          rows: 2,
          required: true,
          problem: e.problem,
          testid: 'open-feedback-answer',
          oninput: (v) => (e.text = v),
        }),
        h('button', { type: 'submit', class: 'button secondary small', disabled: e.busy, 'aria-busy': e.busy ? 'true' : undefined, 'data-testid': 'open-feedback-submit' }, e.busy ? t('sending') : t('feedback_answer_submit')),
      ),
    ];
  }
}
