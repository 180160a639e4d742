// The identity part of a declaration (every kind except the daily update): name, birth year,
// gender, nationality, ID number (not for entry, which asks for the passport), phone (citizen
// mode only), email, insurance number and the current address as a unit cascade plus street.
// It prefills from the profile, a family member or the last declaration, remembers nationality
// and address for the next declaration, and builds the `identity` part of the request body.

import type { DeclarationBody, DeclarationKind, Problem } from '../api';
import { h } from '../dom';
import { t } from '../i18n';
import type { UnitCascade } from '../unit-cascade';
import { opt, type Fields } from './fields';
import type { Remembered } from './remembered';

export interface IdentityPrefill {
  full_name?: string;
  birth_year?: number | null;
  gender?: string;
  id_number?: string | null;
  phone?: string | null;
}

export const IDENTITY_FIELDS = [
  'identity.full_name',
  'identity.birth_year',
  'identity.gender',
  'identity.nationality',
  'identity.id_number',
  'identity.address.unit_code',
  'identity.address.street',
  'identity.email',
  'identity.insurance_number',
];

export class IdentityPart {
  fullName = '';
  birthYear = '';
  gender = '';
  nationality = 'VN';
  idNumber = '';
  phone = '';
  email = '';
  insurance = '';
  street = '';
  readonly address: UnitCascade;

  constructor(
    private readonly f: Fields,
    r: Remembered,
  ) {
    this.address = f.cascade('address', 'identity.address.unit_code', () => t('decl_address_unit'));
    this.nationality = r.nationality ?? 'VN';
    this.street = r.address_street ?? '';
  }

  /** Fills the identity fields (from the profile, a family member or the last declaration). */
  prefill(p: IdentityPrefill): void {
    this.fullName = p.full_name ?? '';
    this.birthYear = p.birth_year ? String(p.birth_year) : '';
    this.gender = p.gender ?? '';
    this.idNumber = p.id_number ?? '';
    if (this.f.citizen) this.phone = p.phone ?? '';
  }

  /** Clears what belongs to one person (checkpoint: before the next person). */
  clear(): void {
    this.prefill({});
    this.email = '';
    this.insurance = '';
    this.street = '';
  }

  remember(r: Remembered): void {
    r.nationality = this.nationality || undefined;
    r.address_unit = this.address.code ?? undefined;
    r.address_street = this.street.trim() || undefined;
  }

  /** Numbers that do not parse are sent as 0, so that the server reports them next to their input. */
  body(): NonNullable<DeclarationBody['identity']> {
    const year = Number(this.birthYear.trim());
    return {
      full_name: this.fullName.trim(),
      birth_year: Number.isInteger(year) ? year : 0,
      gender: this.gender,
      nationality: this.nationality,
      id_number: opt(this.idNumber),
      address: { unit_code: this.address.code ?? '', street: this.street.trim() },
      phone: this.f.citizen ? opt(this.phone) : undefined,
      email: opt(this.email),
      insurance_number: opt(this.insurance),
    };
  }

  render(kind: DeclarationKind, problem: Problem | null): HTMLElement {
    const f = this.f;
    const c = f.choices!;
    const citizen = f.citizen;
    return f.section(
      'identity',
      t('decl_section_identity'),
      f.text('identity.full_name', t('full_name_label'), this.fullName, (v) => (this.fullName = v), { required: true, autocomplete: citizen ? 'name' : 'off', autocapitalize: 'words' }, problem),
      h(
        'div',
        { class: 'form-row' },
        f.text('identity.birth_year', t('birth_year_label'), this.birthYear, (v) => (this.birthYear = v), { required: true, inputmode: 'numeric', maxlength: 4, pattern: '[0-9]{4}', autocomplete: 'off' }, problem),
        f.select('identity.gender', t('decl_gender'), this.gender, f.choiceOptions(c.genders), (v) => (this.gender = v), problem, { required: true }),
      ),
      f.select('identity.nationality', t('decl_nationality'), this.nationality, f.countryOptions(), (v) => (this.nationality = v), problem, { required: true }),
      kind !== 'entry' &&
        f.text('identity.id_number', t('decl_id_number'), this.idNumber, (v) => (this.idNumber = v), { hint: t('decl_id_number_hint'), autocomplete: 'off', spellcheck: false }, problem),
      h(
        'div',
        { class: citizen ? 'form-row' : 'form-single' },
        citizen && f.text('identity.phone', t('phone_label'), this.phone, (v) => (this.phone = v), { type: 'tel', inputmode: 'tel', autocomplete: 'tel' }, problem),
        f.text('identity.email', t('decl_email'), this.email, (v) => (this.email = v), { type: 'email', inputmode: 'email', autocomplete: citizen ? 'email' : 'off', spellcheck: false }, problem),
      ),
      f.text('identity.insurance_number', t('decl_insurance'), this.insurance, (v) => (this.insurance = v), { autocomplete: 'off', spellcheck: false }, problem),
      this.address.render(problem),
      f.text('identity.address.street', t('decl_street'), this.street, (v) => (this.street = v), { required: true, hint: t('decl_street_hint'), autocomplete: citizen ? 'street-address' : 'off' }, problem),
    );
  }
}
