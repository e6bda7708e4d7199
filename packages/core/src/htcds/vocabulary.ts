/**
 * The HTCDS 2.0 vocabulary MoSy reads: the field names of IOM's Human Trafficking Case Data Standard 2.0 (CC BY 4.0,
 * "Human Trafficking Case Data Standard (HTCDS) by IOM"; IOM does not endorse MoSy) and, for each picklist with a
 * MoSy counterpart, its value names and value labels with the MoSy code each becomes. Written from the standard's
 * field definitions, not copied from its files. Both the value name (`ActualVictimOfTrafficking`, what the XLSForm
 * and case systems store) and the value label (`Actual victim of trafficking`, what a person types into the Excel
 * template, whose cells have no drop-down) are accepted, in any case.
 */

/** A picklist: HTCDS value name → [value label, MoSy code(s)]. */
type Picklist = Readonly<Record<string, readonly [label: string, code: string | readonly string[]]>>;

export const TRAFFICKING_STATUS: Picklist = {
  PossibleVictimOfTrafficking: ['Possible victim of trafficking', 'PRESUMED'],
  ActualVictimOfTrafficking: ['Actual victim of trafficking', 'IDENTIFIED'],
  NotAVictimOfTrafficking: ['Not a victim of trafficking', 'NOT_CONFIRMED'],
};

/**
 * Gender as the person expresses it: transgender feminine and masculine count with F and M (MoSy's sex is the
 * EU indicators' breakdown, where a person counts as the gender they live in); non-conforming is MoSy's X.
 */
export const GENDER: Picklist = {
  Feminine: ['Feminine', 'F'],
  Masculine: ['Masculine', 'M'],
  TransgenderFeminine: ['Transgender Feminine', 'F'],
  TransgenderMasculine: ['Transgender Masculine', 'M'],
  NonConforming: ['Non-Conforming', 'X'],
  NonSpecifiedUnknown: ['Not Specified/Unknown', 'UNK'],
};

/** Child labour is forced labour of a child (age is its own field); servitude is MoSy's slavery or servitude. */
export const TYPE_OF_EXPLOITATION: Picklist = {
  ForcedLabour: ['Forced labour', 'LAB'],
  SexualExploitation: ['Sexual exploitation', 'SEX'],
  ChildLabour: ['Child labour', 'LAB'],
  ForcedMarriage: ['Forced marriage', 'MAR'],
  Servitude: ['Servitude', 'SLAV'],
  ForcedMilitaryByNonStateActors: ['Forced military (by non-state actors)', 'OTH'],
  OrganRemoval: ['Organ removal', 'ORG'],
  ForcedBegging: ['Forced begging', 'BEG'],
  ForcedAdoption: ['Forced adoption', 'ADOPT'],
  Surrogacy: ['Surrogacy', 'SURR'],
  Other: ['Other', 'OTH'],
};

/**
 * Methods of control. Threats to children or family are threats; threats of law enforcement are MoSy's OTH, as
 * in the CTDC mapping (MoSy's THREATS is the standard's physical threats). RestrictsMovement is defined by the
 * standard's field definitions though missing from its picklist; it is read too.
 */
export const METHODS_OF_CONTROL: Picklist = {
  PhysicalThreats: ['Physical threats', 'THREATS'],
  ThreatsLawEnforcement: ['Threats of law enforcement', 'OTH'],
  ThreatensChildrenFamily: ['Threatens children/family', 'THREATS'],
  DebtBondage: ['Debt bondage', 'DEBT'],
  FalsePromises: ['False promises', 'FALSE_PROMISES'],
  PhysicalAbuse: ['Physical abuse', 'PHYS_ABUSE'],
  SexualAbuse: ['Sexual abuse', 'SEX_ABUSE'],
  TakesEarnings: ['Takes earnings', 'EARNINGS'],
  RestrictsFinancialAccess: ['Restricts financial access', 'FINANCIAL_ACCESS'],
  RestrictsMedicalCare: ['Restricts medical care', 'MEDICAL_CARE'],
  RestrictsMovement: ['Restricts movement', 'MOVEMENT'],
  WithholdsNecessities: ['Withholds necessities', 'NECESSITIES'],
  PsychologicalAbuse: ['Psychological abuse', 'PSYCH_ABUSE'],
  PsychoactiveSubstance: ['Psychoactive substance', 'SUBSTANCES'],
  ExcessiveWorkingHours: ['Excessive working hours', 'EXCESSIVE_HOURS'],
  WithholdsDocuments: ['Withholds documents', 'DOCUMENTS'],
  Other: ['Other', 'OTH'],
};

/** ISIC Rev. 4 sections, which have the same letters and scope as NACE Rev. 2 sections (MoSy's labour sector). */
export const FORCED_LABOUR_INDUSTRY: Picklist = {
  A_AgricultureForestryAndFishing: ['Agriculture, forestry and fishing', 'A'],
  B_MiningAndQuarrying: ['Mining and quarrying', 'B'],
  C_Manufacturing: ['Manufacturing', 'C'],
  D_ElectricityGasSteamAndAirConditioningSupply: ['Electricity, gas, steam and air conditioning supply', 'D'],
  E_WaterSupplySewerageWasteManagement: ['Water supply; sewerage, waste management and remediation', 'E'],
  F_Construction: ['Construction', 'F'],
  G_WholesaleAndRetailTradeRepairOfMotorVehicles: [
    'Wholesale and retail trade; repair of motor vehicles and motorcycles',
    'G',
  ],
  H_TransportationAndStorage: ['Transportation and storage', 'H'],
  I_AccommodationAndFoodServiceActivities: ['Accommodation and food service activities', 'I'],
  J_InformationAndCommunication: ['Information and communication', 'J'],
  K_FinancialAndInsuranceActivities: ['Financial and insurance activities', 'K'],
  L_RealEstateActivities: ['Real estate activities', 'L'],
  M_ProfessionalScientificAndTechnicalActivities: ['Professional, scientific and technical activities', 'M'],
  N_AdministrativeAndSupportServiceActivities: ['Administrative and support service activities', 'N'],
  O_PublicAdministrationAndDefence: ['Public administration and defence; compulsory social security', 'O'],
  P_Education: ['Education', 'P'],
  Q_HumanHealthAndSocialWorkActivities: ['Human health and social work activities', 'Q'],
  R_ArtsEntertainmentAndRecreation: ['Arts, entertainment and recreation', 'R'],
  S_OtherServiceActivities: ['Other service activities', 'S'],
  T_ActivitiesOfHouseholdsAsEmployers: [
    'Activities of households as employers; undifferentiated goods- and services- producing activities of households for own use',
    'T',
  ],
  U_ActivitiesOfExtraterritorialOrganizations: [
    'Activities of extraterritorial organizations and bodies',
    'U',
  ],
};

/**
 * Relationship to the trafficker: familial is MoSy's family; an acquaintance is another relationship; an
 * unacquainted trafficker is no relationship, which MoSy's list (partner, friend, family, employer, other) cannot
 * say, so it stays unknown rather than being counted as "other". (`Unaquainted` is the standard's spelling.)
 */
export const RELATIONSHIP_TO_TRAFFICKER: Picklist = {
  Familial: ['Familial', 'FAMILY'],
  Acquainted: ['Acquainted', 'OTH'],
  Unaquainted: ['Unacquainted', 'UNK'],
};

/** The `values` table of a mapping rule for a picklist: names and labels, both case-insensitive. */
export function valuesOf(picklist: Picklist): Record<string, string | readonly string[]> {
  const values: Record<string, string | readonly string[]> = {};
  for (const [name, [label, code]] of Object.entries(picklist)) {
    values[name] = code;
    values[label] = code;
  }
  return values;
}

/** The fields holding the person's identity: read into the record's `identity`, never into its fields. */
export const IDENTITY_COLUMNS = {
  givenName: ['prs_FirstName', 'prs_MiddleName'],
  familyName: ['prs_SecondName'],
  dateOfBirth: ['prs_Birthdate'],
} as const;

/**
 * Every HTCDS 2.0 field that MoSy reads into no canonical field, with why. Free text, contact details, addresses
 * and case-worker names never leave ingest (contract: no personal data past the normalizer); the other tables of
 * the standard (organisation, perpetrator, case comments, historic trafficking events, service plans) are not part
 * of a victim's row.
 */
export const DROPPED: Readonly<Record<string, string>> = {
  prs_Salutation: 'personal data',
  prs_FirstName: 'identity: used only for the pseudonym (read into identity)',
  prs_MiddleName: 'identity: used only for the pseudonym (read into identity)',
  prs_SecondName: 'identity: used only for the pseudonym (read into identity)',
  prs_Deceased: 'no MoSy counterpart',
  prs_MaritalStatus: 'no MoSy counterpart',
  prs_NumberOfChildren: 'no MoSy counterpart',
  prs_PrimaryLanguage: 'no MoSy counterpart',
  prs_SecondaryLanguage: 'no MoSy counterpart',
  prs_HighestLevelOfEducation: 'no MoSy counterpart',
  prs_IdentityNumber: 'personal data (identifiers are never used, not even for the pseudonym)',
  prs_Title: 'personal data',
  prs_Email: 'personal data',
  prs_HomePhone: 'personal data',
  prs_MobilePhone: 'personal data',
  prs_MailingCity: 'personal data (home address, not a place of identification or exploitation)',
  prs_MailingCountry: 'personal data (home address, not a place of identification or exploitation)',
  prs_MailingState: 'personal data (home address, not a place of identification or exploitation)',
  prs_MailingStreet: 'personal data',
  prs_MailingPostalCode: 'personal data',
  prs_MailingLongitude: 'personal data',
  prs_MailingLatitude: 'personal data',
  con_Consent: 'consent to process personal data stays with the provider, who holds the data',
  vic_AgreementToManagePersonalData: 'deprecated in HTCDS 2.0',
  vic_TraffickingStatusDecisionMakingOrg: 'no MoSy counterpart (the provider type says who reports)',
  vic_AgeWhenTrafficked:
    'age when first trafficked, not at identification (MoSy ages come from the birth date)',
  vic_RecruitmentWebsitesAndApps: 'no MoSy counterpart',
  vic_MethodOfRecruitment: 'no MoSy counterpart',
  vic_TypeOfSexExploitation: 'a subdivision of sexual exploitation, which vic_TypeOfExploitation carries',
  vic_ExploitationWebsitesAndApps: 'no MoSy counterpart',
  vic_Vulnerabilities: 'deprecated in HTCDS 2.0',
  vic_DetailsOfVulnerabilities: 'free text (and deprecated)',
  cas_Status: 'case-management state, not an indicator',
  cas_ReasonForCaseClosure: 'free text',
  cas_CaseOwner: 'case-worker name',
  cas_ReferringOrganisation: 'organisation name',
  cas_IncomingReferralDate: 'read as the record’s reference date when it has none of its own',
  cas_ReferringPrimaryCaseWorker: 'case-worker name',
  cas_ReasonForIncomingReferral: 'no MoSy counterpart',
  cas_IncomingReferralDetails: 'free text',
  cas_ReferredOrganisation: 'organisation name',
  cas_ReferredPrimaryCaseWorker: 'case-worker name',
  cas_ReasonForOutgoingReferral: 'no MoSy counterpart',
  cas_OutgoingReferralDate: 'no MoSy counterpart',
  cas_OutgoingReferralDetails: 'free text',
};

/** Fields of the standard's other tables, not part of a victim's row; dropped if a flattened export carries them. */
export const OTHER_TABLE_PREFIXES = ['org_', 'per_', 'cco_', 'hte_', 'spl_'] as const;

export const OTHER_TABLE_FIELDS: readonly string[] = [
  'org_Name',
  'org_ShippingCity',
  'org_ShippingCountry',
  'org_ShippingState',
  'org_ShippingStreet',
  'org_ShippingPostalCode',
  'org_ShippingLongitude',
  'org_ShippingLatitude',
  'org_Phone',
  'org_Type',
  'per_RoleInProcess',
  'per_RoleDetails',
  'per_Organisation',
  'cco_CaseComment',
  'hte_Longitude',
  'hte_Latitude',
  'hte_City',
  'hte_Country',
  'hte_State',
  'hte_Street',
  'hte_PostalCode',
  'hte_Date',
  'hte_Type',
  'hte_Description',
  'spl_Objectives',
  'spl_ActionPlan',
  'spl_PlannedEndDate',
  'spl_ActualEndDate',
  'spl_Type',
];

/**
 * Spellings of field names found in IOM's own files besides the standard's: the Excel template's header
 * (`vic_TraffickinStatusDecisionMakingOrg`) and the XLSForm's names (`prs_First_Name`, `vic_Methods_of_Control`).
 */
export const FIELD_ALIASES: Readonly<Record<string, string>> = {
  vic_TraffickinStatusDecisionMakingOrg: 'vic_TraffickingStatusDecisionMakingOrg',
  prs_First_Name: 'prs_FirstName',
  prs_Second_Name: 'prs_SecondName',
  vic_Methods_of_Control: 'vic_MethodsOfControl',
};

/** Labels of the template's header row for the one column whose field name cell is empty. */
export const LABEL_ALIASES: Readonly<Record<string, string>> = {
  'Reason for Outgoing Referral': 'cas_ReasonForOutgoingReferral',
};
