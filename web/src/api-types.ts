// The API's types under the names the pages use, in one place. Every schema comes from the
// OpenAPI document (generated/api.d.ts, made by scripts/gen-api-types.sh); where the document
// says less than the server sends (a `string` that is one of a few values), `Narrow` tightens a
// member, and the compiler checks the tighter type still fits the generated one.

import type { components } from './generated/api';

type Schemas = components['schemas'];

/**
 * An answer as sent: the generator marks every `Option` member optional, but serde sends `None`
 * as `null`, so a nullable member is always there, at every depth. (Until the document marks them required.)
 */
type Sent<T> = T extends readonly (infer U)[]
  ? Sent<U>[]
  : T extends object
    ? { [K in keyof T as null extends T[K] ? K : never]-?: Sent<Exclude<T[K], undefined>> } & {
        [K in keyof T as null extends T[K] ? never : K]: Sent<T[K]>;
      }
    : T;

/** `T` with the members of `N` narrowed; each must be assignable to the generated member. */
type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? T[K] : never }> = Omit<T, keyof N> & N;

export type Role = 'health_official' | 'venue_staff' | 'facility_staff' | 'unit_reporter' | 'checkpoint_staff' | 'admin';

export type Unit = Sent<Schemas['UnitView']>;
export type FamilyMember = Sent<Schemas['FamilyMemberView']>;
export type CitizenMe = Sent<Extract<Schemas['Me'], { kind: 'citizen' }>>;
export type StaffMe = Narrow<Sent<Extract<Schemas['Me'], { kind: 'staff' }>>, { role: Role }>;
export type Me = CitizenMe | StaffMe;
export type Session = Narrow<Schemas['SessionToken'], { kind: 'citizen' | 'staff' }>;
export type OtpSent = Schemas['OtpSent'];
export type CitizenSummary = Sent<Schemas['CitizenRow']>;
export type CitizenDetail = Sent<Schemas['CitizenDetail']>;
export type StaffAccount = Narrow<Sent<Schemas['StaffView']>, { role: Role }>;
export type AuditEntry = Sent<Schemas['AuditView']>;
export type StaffChanged = Sent<Schemas['StaffChanged']>;
export type AccountDeleted = Sent<Schemas['Deleted']>;
