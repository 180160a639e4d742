// The API's types under the names the pages use, in one place. Every schema comes from the
// OpenAPI document (generated/api.d.ts, made by scripts/gen-api-types.sh); where the document
// says less than the server sends (a `string` that is one of a few values), `Narrow` tightens a
// member, and the compiler checks the tighter type still fits the generated one. The few types
// the document does not describe (a bare `type: object` answer or member) are written here by
// hand, each marked `// not in the document: <operation>`; they go when the server documents them.

import type { components, operations } from './generated/api';
import type { Lang } from './i18n';

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

/**
 * `T` with every object the document leaves bare (`type: object`, no properties: the generator's
 * `Record<string, never>`) opened to any object, so that `Narrow` can say what it holds.
 */
type Loose<T> = T extends readonly (infer U)[]
  ? Loose<U>[]
  : T extends object
    ? [Record<string, never>] extends [T]
      ? object
      : { [K in keyof T]: Loose<T[K]> }
    : T;

/**
 * A form body as a page builds it from its inputs: every choice is the string the input holds
 * (a choice not made yet is sent as it is, so the server names the field), every other member
 * is the document's.
 */
type Typed<T> = T extends string
  ? string
  : T extends readonly (infer U)[]
    ? Typed<U>[]
    : T extends object
      ? { [K in keyof T]: Typed<T[K]> }
      : T;

/**
 * `T` with the members of `N` narrowed; each must be assignable to the generated member (a bare
 * object of the document takes any object).
 */
type Narrow<T, N extends { [K in keyof N]: K extends keyof T ? Loose<T[K]> : never }> = Omit<T, keyof N> & N;

export type Role = Schemas['Role'];

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
export type StaffCreated = Sent<Schemas['Created']>;
export type ProfileUpdate = Schemas['ProfileUpdate'];
export type NewFamilyMember = Typed<Schemas['NewFamilyMember']>;
export type NewStaff = Narrow<Schemas['NewStaffRequest'], { role: Role }>;

/** A text in both languages, as the server writes it (`{ "vi": …, "en": … }`). */
export type Localized = Partial<Record<Lang, string>>;

// ---------------------------------------------------------------------------
// Health declarations

export type Colour = 'green' | 'yellow' | 'red';
export type DeclarationKind = Schemas['DeclarationKind'];
export type PassRefusal = 'not_a_pass' | 'damaged' | 'unknown_key' | 'forged' | 'expired' | 'not_yet_valid' | 'key_retired';

export type Choice = Schemas['Choice'];
export type DeclarationChoices = Schemas['DeclarationChoices'];
export type Country = Schemas['Country'];
export type BorderGate = Schemas['BorderGate'];

export type AddressBody = Schemas['AddressForm'];
/** The body of POST /declarations (and `form` of POST /checkpoint/declarations). */
export type DeclarationBody = Narrow<Typed<Schemas['DeclarationForm']>, { kind: DeclarationKind }>;

/** A reason for concern; `severity` is '' for one known only by its code (a listed declaration). */
export type Flag = Narrow<Schemas['FlagView'], { severity: Colour | '' }>;

export type HealthPass = Narrow<Schemas['PassView'], { colour: Colour }>;
export type Recorded = Narrow<Sent<Schemas['RecordedView']>, { kind: DeclarationKind; colour: Colour; flags: Flag[]; pass: HealthPass | null }>;
export type DeclarationRow = Narrow<
  Sent<Schemas['DeclarationView']>,
  {
    colour: Colour;
    /** Only when one declaration is opened (and in the citizen's own history). */
    answers: (Omit<NonNullable<Sent<Schemas['DeclarationView']>['answers']>, 'flags'> & { flags: Flag[] }) | null;
  }
>;
export type VerifyResult = Narrow<Sent<Schemas['VerifyResult']>, { colour: Colour | null }>;
export type MissedUpdate = Sent<Schemas['MissedView']>;
/** As a page builds it: the form as its inputs hold it (the document's `oneOf` by kind says what a
 * complete one needs; the server names each part a kind still lacks). */
export type OnBehalfBody = Omit<Typed<Schemas['OnBehalf']>, 'form'> & { form: DeclarationBody };
export type CodeSent = Narrow<Schemas['CodeSent'], { confirmation: 'code_sent' }>;
export type OnBehalfAnswer = CodeSent | Recorded;

// ---------------------------------------------------------------------------
// Venues and check-ins

export type CheckinMode = 'central' | 'on-device';
export type VenueStatus = Schemas['VenueStatusChoice'];
export type RiskLevel = Schemas['RiskLevel'];

export type VenueCategory = Schemas['VenueCategoryView'];
export type Venue = Sent<Schemas['VenueView']>;
export type VenueBody = Typed<Schemas['VenueForm']>;
export type VenuePatch = Narrow<Schemas['VenuePatch'], { status: VenueStatus }>;
export type VenueStaffBody = Schemas['VenueStaffForm'];
export type VenueStaffCreated = Schemas['VenueStaffCreated'];
/** One person's visit as the server recorded it. */
export type Visit = Sent<Schemas['VisitView']>;
export type Visits = Sent<Schemas['VisitsView']>;
export type CheckinBody = Schemas['CheckinForm'];
export type CheckoutBody = Schemas['CheckoutForm'];
export type StaffCheckinBody = Narrow<Schemas['StaffCheckinForm'], { direction?: 'in' | 'out' }>;
export type StaffCheckin = Narrow<Sent<Schemas['StaffCheckinView']>, { colour: Colour | null }>;
/** A visitor in a venue's log or an exposure window's list (audited reads). */
export type VenueVisitor = Sent<Schemas['VisitorView']>;
export type VenueAlert = Sent<Schemas['AlertView']>;
export type ExposureBody = Narrow<Schemas['ExposureForm'], { level: RiskLevel }>;
export type Exposure = Sent<Schemas['ExposureView']>;
export type Imported = Sent<Schemas['ImportedView']>;
/** A venue with visits its staff typed by phone, not yet confirmed by an official. */
export type TypedVisits = Sent<Schemas['TypedVisitsView']>;
export type VisitsConfirmed = Schemas['Confirmed'];

/** A public key of venue links and the risky-venue feed (JWK, OKP / Ed25519). */
export type VenueKey = Schemas['Jwk'];

// ---------------------------------------------------------------------------
// Cases, contacts, quarantine

export type CaseSource = Schemas['CaseSource'];
export type CaseStatus = Schemas['CaseStatus'];
export type Setting = Schemas['Setting'];
export type ContactSource = 'venue' | 'proximity' | 'interview';
export type Confidence = 'low' | 'medium' | 'high';
export type QuarantineKind = Schemas['QuarantineKind'];
export type TestResult = Schemas['QuarantineTestResult'];

/** A person of a case or a contact as an official enters them. */
export type PersonBody = Schemas['PersonForm'];
export type CaseBody = Schemas['CaseForm'];
export type CaseUpdate = Narrow<Schemas['CaseUpdate'], { status: CaseStatus }>;
/** A case as listed. */
export type Case = Sent<Schemas['CaseView']>;
/** A new case, with the contacts found at once. */
export type CaseCreated = Sent<Schemas['CaseCreated']>;
/** One person of a case's chain. */
export type ChainMember = Sent<Schemas['ChainMember']>;
export type CaseDetail = Sent<Schemas['CaseDetail']>;
export type ContactBody = Schemas['ContactForm'];

export type ContactAdded = Schemas['ContactAdded'];
export type Gathered = Schemas['GatheredView'];

export type QuarantineBody = Narrow<Schemas['QuarantineForm'], { kind?: QuarantineKind }>;

/** A test result of a person in quarantine. */
export type QuarantineTest = Schemas['TestDone'];

/** A quarantine order with its plan and today's state (the same for officials and citizens). */
export type QuarantineOrder = Sent<Schemas['QuarantineView']>;
export type TestBody = Schemas['QuarantineTestForm'];
/** A person traced from the active cases of the jurisdiction (the lowest level they have). */
export type TracedPerson = Sent<Schemas['TracedPerson']>;

// ---------------------------------------------------------------------------
// Facility safety and risk reports

export type FacilityType = Schemas['FacilityType'];
/** A facility's colour: green / yellow / red from today's assessment, grey when not assessed today. */
export type SafetyColour = Schemas['SafetyColour'];
export type RiskCategory = Schemas['RiskCategory'];
export type ReportStatus = NonNullable<NonNullable<operations['risk_reports_list']['parameters']['query']>['status']>;

export type Bilingual = Schemas['Message'];

export type FacilityView = Sent<Schemas['FacilityView']>;
export type AssessmentView = Sent<Schemas['AssessmentView']>;
export type FeedbackView = Sent<Schemas['FeedbackView']>;
/** An open feedback item as officials list it (every feedback item carries its facility's name). */
export type OfficialFeedback = FeedbackView;
export type FacilityDetail = Narrow<Sent<Schemas['FacilityDetail']>, { latest: AssessmentView | null }>;
export type FeedbackBody = Schemas['FeedbackForm'];

export type CriterionOption = Schemas['AnswerOption'];
export type Criterion = Schemas['Criterion'];
export type CriteriaSetView = Schemas['CriteriaSet'];

export type AssessmentBody = Schemas['AssessmentForm'];
export type RiskCategoryView = Schemas['RiskCategoryView'];
export type RiskReportBody = Typed<Schemas['RiskReportForm']>;
/** A report as its reporter sees it (`reporter` is null). */
export type MyRiskReport = Sent<Schemas['RiskReportView']>;
/** A report as the unit's officials see it: with the reporter, whom nobody else sees. */
export type RiskReport = Narrow<MyRiskReport, { reporter: { name: string | null; phone: string } }>;
export type NoteBody = Schemas['NoteForm'];

// ---------------------------------------------------------------------------
// Campaigns

export type Population = Schemas['Population'];
export type OrgKind = Schemas['OrgKind'];
export type Goal = Schemas['Goal'];

/** A unit as entered (the body of POST /org-units; also one CSV row). */
export type OrgUnitBody = Narrow<Schemas['OrgUnitForm'], { kind: OrgKind }>;
/** A unit with its head counts, as listed. */
export type OrgUnit = Sent<Schemas['OrgUnitView']>;
export type ImportedUnits = Schemas['ImportedUnits'];
export type CampaignBody = Narrow<
  Schemas['CampaignForm'],
  { goal: Goal; targets: { population: Population; percent: number }[] }
>;

export type CampaignTarget = Schemas['TargetView'];
export type Campaign = Sent<Schemas['CampaignView']>;

/** One target of one unit, or of all units (totals). Percentages have one decimal. */
export type TargetProgress = Sent<Schemas['TargetProgress']>;

export type UnitStanding = Sent<Schemas['UnitRow']>;

export type TimelinePoint = Sent<Schemas['TimelinePoint']>;

export type Dashboard = Sent<Schemas['Dashboard']>;
export type ReportBody = Narrow<Schemas['ReportForm'], { counts: Partial<Record<Population, number>> }>;

export type ReportSaved = Schemas['ReportSaved'];
export type RemindersSent = Schemas['RemindersSent'];
export type MyOrgUnit = Sent<Schemas['MyUnit']>;

// ---------------------------------------------------------------------------
// Map

/** One colour of a layer's legend, with its meaning in both languages. */
export type LegendEntry = Schemas['LegendEntry'];
export type MapLayer = Schemas['LayerView'];
export type MapConfig = Sent<Schemas['MapConfig']> & {
  // not in the document: GET /api/v1/config/map (the server never sends these two)
  /** [lat, lon]; when absent the map starts over Vietnam and then fits what it shows. */
  center?: [number, number];
  zoom?: number;
};
export type AreaLevelRow = Narrow<Sent<Schemas['UnitLevel']>, { label: { vi: string; en: string } }>;
export type AreaLevels = Narrow<Sent<Schemas['AreaLevels']>, { units: AreaLevelRow[]; total: AreaLevelRow }>;

// ---------------------------------------------------------------------------
// Exposure notification

/** How a case was confirmed; the server defaults to `confirmed_test`. */
export type ReportType = Schemas['OfficialReportType'];
export type ContactLevel = 'F1' | 'F2';

export type CaseCodeBody = Narrow<Schemas['CodeRequest'], { report_type?: ReportType }>;
/** A new one-time code. */
export type CaseCode = Schemas['IssuedCode'];
/** What a "publish now" run did. */
export type ExportRun = Schemas['ExportRunView'];
/** A citizen's report that their phone matched a case's keys (audited read). */
export type F1Report = Sent<Schemas['F1ReportView']>;
