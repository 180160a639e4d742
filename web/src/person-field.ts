// The "whom for" select of the citizen's pages (declare, my QR): the account holder first, then
// each family member with their relation. The page decides what a change does (prefill the form,
// load that person's pass); the select only reports the chosen member id, or null for oneself.

import type { FamilyMember } from './api';
import { h, type Child } from './dom';
import { t } from './i18n';
import { relationLabel } from './ui';

export interface PersonFieldOptions {
  id: string;
  /** Form field name, if the select is part of a form. */
  name?: string;
  label: string;
  testid: string;
  /** The account holder's name and family. */
  me: { full_name: string | null; family: FamilyMember[] };
  memberId: number | null;
  hint?: Child;
  onchange: (memberId: number | null) => void;
}

export function personField(o: PersonFieldOptions): HTMLElement {
  return h(
    'div',
    { class: 'field person-field' },
    h('label', { for: o.id, class: 'label' }, o.label),
    h(
      'select',
      {
        id: o.id,
        name: o.name,
        class: 'input',
        'data-testid': o.testid,
        onchange: (e: Event) => {
          const v = (e.target as HTMLSelectElement).value;
          o.onchange(v ? Number(v) : null);
        },
      },
      h('option', { value: '', selected: o.memberId === null }, `${t('person_me')}${o.me.full_name ? ` — ${o.me.full_name}` : ''}`),
      o.me.family.map((m) => h('option', { value: String(m.id), selected: o.memberId === m.id }, `${m.full_name} (${relationLabel(m.relation)})`)),
    ),
    o.hint,
  );
}
