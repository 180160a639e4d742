// Facility staff: today's "An toàn COVID" self-assessment of one of their facilities. The form is
// the facility type's current criteria set from the server: pass/fail criteria as "met / not met"
// radios, scored criteria as their options with the points (and the running total). It is sent
// for today in Vietnam; the answer is the day's colour with its reasons (a second assessment the
// same day replaces the first). The server's field errors stand next to the criterion they name.

import { toProblem, type Problem, type StaffMe } from '../api';
import { criterionOptions, safetyApi, type AssessmentView, type CriteriaSetView, type Criterion, type CriterionOption, type FacilityView } from '../api-safety';
import { vietnamToday } from '../api-tracing';
import { h, type Child } from '../dom';
import { t } from '../i18n';
import type { App, Page } from '../main';
import { appNav } from '../nav';
import { facilityColour, inLang, reasonList } from '../safety-view';
import { announce, announceProblem, appHeader, fieldErrorText, focusFirstError, formatDay, problemBanner } from '../ui';

/** The field errors about one criterion's answer (`answers.ID`, `answers[ID]` or `answers/ID`). */
function criterionErrors(problem: Problem | null, id: string) {
  const names = [`answers.${id}`, `answers[${id}]`, `answers/${id}`, `answers["${id}"]`, id];
  return (problem?.errors ?? []).filter((e) => names.includes(e.field));
}

export class AssessmentPage implements Page {
  private facility: FacilityView | null = null;
  private set: CriteriaSetView | null = null;
  private answers: Record<string, string> = {};
  private loadProblem: Problem | null = null;
  private problem: Problem | null = null;
  private busy = false;
  private result: AssessmentView | null = null;
  /** Whether today's assessment was already sent (a new one replaces it). */
  private again = false;
  private readonly day = vietnamToday();

  constructor(
    private readonly app: App,
    private readonly me: StaffMe,
    private readonly facilityId: number,
  ) {}

  title(): string {
    return t('assess_title');
  }

  mounted(): void {
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      const [facility, set, history] = await Promise.all([
        safetyApi.facility(this.facilityId),
        safetyApi.criteria(this.facilityId),
        safetyApi.assessments(this.facilityId).catch(() => [] as AssessmentView[]),
      ]);
      this.facility = facility;
      this.set = set;
      this.loadProblem = null;
      // Today's assessment, if sent already, is the starting point of the one that replaces it.
      const today = history.find((a) => a.day === this.day && a.set_id === set.id && a.set_version === set.version);
      if (today?.answers) {
        this.answers = { ...today.answers };
        this.again = true;
      }
    } catch (err) {
      this.loadProblem = toProblem(err);
      announceProblem(this.loadProblem);
    }
    this.app.rerender();
  }

  private async submit(): Promise<void> {
    const set = this.set;
    if (!set) return;
    this.busy = true;
    this.problem = null;
    this.app.rerender();
    try {
      this.result = await safetyApi.assess(this.facilityId, { set_id: set.id, set_version: set.version, day: this.day, answers: { ...this.answers } });
      announce(t('assess_done', { colour: inLang(this.result.colour_vi, this.result.colour_en) }));
      this.facility = await safetyApi.facility(this.facilityId).catch(() => this.facility);
    } catch (err) {
      this.problem = toProblem(err);
      announceProblem(this.problem);
    }
    this.busy = false;
    this.app.rerender();
    if (this.problem) focusFirstError(document.getElementById('assessment-form'));
    else document.getElementById('assessment-result')?.focus();
  }

  render(): Child[] {
    const f = this.facility;
    return [
      appHeader({ onLogout: () => void this.app.signOut(), wide: true }),
      appNav(this.app, this.me, 'assess'),
      h(
        'main',
        { id: 'main', class: 'page narrow assessment-page', tabindex: -1, 'data-testid': 'assessment-page', 'data-facility-id': this.facilityId },
        h('button', { type: 'button', class: 'link-button back-link', onclick: () => this.app.navigate('facility', { facilityId: this.facilityId }) }, t('assess_back')),
        h('h1', { id: 'assess-heading', tabindex: -1, class: 'page-title' }, f ? t('assess_heading', { name: f.name }) : t('assess_title')),
        this.loadProblem && problemBanner(this.loadProblem),
        f && h('p', null, t('assess_now'), ' ', facilityColour(f)),
        this.result && this.renderResult(this.result),
        this.set ? this.renderForm(this.set) : !this.loadProblem && h('p', { class: 'muted', role: 'status' }, t('loading')),
      ),
    ];
  }

  private renderResult(a: AssessmentView): HTMLElement {
    return h(
      'section',
      { class: ['card', 'assessment-result', `colour-${a.colour}`], id: 'assessment-result', tabindex: -1, 'data-testid': 'assessment-result', 'data-colour': a.colour, 'aria-labelledby': 'assessment-result-title' },
      h('h2', { id: 'assessment-result-title' }, t('assess_result_title', { day: formatDay(a.day) })),
      h('p', { class: 'assessment-colour' }, h('span', { class: 'colour-dot', 'aria-hidden': 'true' }), h('strong', { 'data-testid': 'assessment-colour' }, inLang(a.colour_vi, a.colour_en))),
      reasonList(a),
    );
  }

  private renderForm(set: CriteriaSetView): HTMLElement {
    const scored = set.kind === 'scored';
    const options = (c: Criterion) => criterionOptions(set.kind, c);
    const total = set.criteria.reduce((sum, c) => sum + (options(c).find((o) => o.id === this.answers[c.id])?.points ?? 0), 0);
    const max = set.criteria.reduce((sum, c) => sum + Math.max(0, ...options(c).map((o) => o.points)), 0);
    const answered = set.criteria.filter((c) => this.answers[c.id]).length;
    const shown = (this.problem?.errors ?? []).filter((e) => set.criteria.some((c) => criterionErrors(this.problem, c.id).includes(e))).map((e) => e.field);
    return h(
      'form',
      {
        class: 'form card assessment-form',
        id: 'assessment-form',
        novalidate: true,
        'data-testid': 'assessment-form',
        'data-set-id': set.id,
        'data-kind': set.kind,
        onsubmit: (e: SubmitEvent) => {
          e.preventDefault();
          void this.submit();
        },
      },
      h('h2', null, inLang(set.name_vi, set.name_en)),
      h('p', { class: 'muted small' }, t('assess_source', { source: set.source, version: set.version })),
      set.basis !== 'official' && h('p', { class: 'notice warn' }, t('assess_adapted')),
      h('p', { 'data-testid': 'assessment-day', 'data-day': this.day }, t('assess_day', { day: formatDay(this.day) })),
      this.again && !this.result && h('p', { class: 'notice info', 'data-testid': 'assessment-again' }, t('assess_again')),
      problemBanner(this.problem, shown),
      h('ol', { class: 'criteria-list' }, set.criteria.map((c, i) => h('li', null, this.renderCriterion(c, options(c), i + 1, scored)))),
      h(
        'p',
        { class: 'assessment-progress', role: 'status', 'data-testid': 'assessment-progress' },
        t('assess_answered', { answered, total: set.criteria.length }),
        scored && [' · ', t('assess_points', { points: total, max })],
      ),
      h('button', { type: 'submit', class: 'button primary block', disabled: this.busy, 'aria-busy': this.busy ? 'true' : undefined, 'data-testid': 'assessment-submit' }, this.busy ? t('sending') : t('assess_submit')),
    );
  }

  private renderCriterion(c: Criterion, options: CriterionOption[], n: number, scored: boolean): HTMLElement {
    const errors = criterionErrors(this.problem, c.id);
    const errorId = errors.length ? `criterion-${c.id}-error` : undefined;
    const legendId = `criterion-${c.id}-legend`;
    return h(
      'fieldset',
      {
        class: ['fieldset', 'criterion', errors.length > 0 && 'has-error'],
        'aria-describedby': errorId,
        'data-testid': 'criterion',
        'data-criterion-id': c.id,
        'aria-invalid': errors.length ? 'true' : undefined,
      },
      h('legend', { id: legendId, class: 'criterion-text' }, h('span', { class: 'criterion-number' }, `${n}. `), inLang(c.vi, c.en), c.required && h('span', { class: 'criterion-key' }, ` ${t('assess_key_criterion')}`)),
      errors.length > 0 && fieldErrorText(errorId!, errors, `answers.${c.id}`),
      h(
        'div',
        { class: ['criterion-options', scored && 'stacked'] },
        options.map((o) => {
          const id = `criterion-${c.id}-${o.id}`;
          return h(
            'label',
            { class: 'check-label', for: id },
            h('input', {
              id,
              type: 'radio',
              class: 'check-input',
              name: `answers.${c.id}`,
              value: o.id,
              checked: this.answers[c.id] === o.id,
              'data-testid': 'criterion-option',
              'data-option-id': o.id,
              'data-points': o.points,
              onchange: () => {
                this.answers[c.id] = o.id;
                this.app.rerender();
              },
            }),
            h('span', null, inLang(o.vi, o.en), scored && h('span', { class: 'muted' }, ` — ${t('assess_option_points', { points: o.points })}`)),
          );
        }),
      ),
    );
  }
}
