/**
 * External Client App metadata for the OAuth 2.0 client credentials flow, run as an integration user.
 *
 * Four components, each referencing the app by `externalClientApplication`:
 * - ExternalClientApplication (the header),
 * - ExtlClntAppGlobalOauthSettings (flows the app allows; the org generates the consumer key and secret),
 * - ExtlClntAppOauthSettings (the OAuth scopes),
 * - ExtlClntAppOauthConfigurablePolicies (client credentials enabled, the execution user, who may use the app).
 * Elements are written in the Metadata API WSDL's sequence order (v66), which the deploy parser enforces.
 */
import { escapeXml, METADATA_NAMESPACE } from '../metadata/permission-set-xml.js';
import { apiNameProblem, APP_NAME_MAX } from '../org-api/input-rules.js';

export type EcaTypeName =
  | 'ExternalClientApplication'
  | 'ExtlClntAppGlobalOauthSettings'
  | 'ExtlClntAppOauthSettings'
  | 'ExtlClntAppOauthConfigurablePolicies';

/**
 * The global OAuth settings "must not be added to source control" (Salesforce's Metadata API documentation; a later
 * retrieve fills them with the consumer key and secret): deployed from a temporary folder, never written to a project.
 */
export const NOT_IN_SOURCE_CONTROL: ReadonlySet<EcaTypeName> = new Set(['ExtlClntAppGlobalOauthSettings']);

/** Deploy order: the header first (the others reference it). */
export const ECA_TYPES: readonly EcaTypeName[] = [
  'ExternalClientApplication',
  'ExtlClntAppGlobalOauthSettings',
  'ExtlClntAppOauthSettings',
  'ExtlClntAppOauthConfigurablePolicies',
];

/**
 * Each type's elements in the WSDL's xsd:sequence order (only those this module may write are needed, but the
 * whole sequence is kept so a test can compare it with the WSDL).
 */
export const ECA_ELEMENT_ORDER: Readonly<Record<EcaTypeName, readonly string[]>> = {
  ExternalClientApplication: [
    'contactEmail',
    'contactPhone',
    'description',
    'distributionState',
    'iconUrl',
    'infoUrl',
    'isProtected',
    'label',
    'logoUrl',
    'managedType',
    'orgScopedExternalApp',
  ],
  ExtlClntAppGlobalOauthSettings: [
    'callbackUrl',
    'certificate',
    'consumerKey',
    'consumerSecret',
    'externalClientApplication',
    'idTokenConfig',
    'isClientCredentialsFlowEnabled',
    'isCodeCredFlowEnabled',
    'isCodeCredPostOnly',
    'isConsumerSecretOptional',
    'isDeviceFlowEnabled',
    'isIntrospectAllTokens',
    'isNamedUserJwtEnabled',
    'isPkceRequired',
    'isRefreshTokenRotationEnabled',
    'isSecretRequiredForRefreshToken',
    'isSecretRequiredForTokenExchange',
    'isTokenExchangeEnabled',
    'label',
    'shouldRotateConsumerKey',
    'shouldRotateConsumerSecret',
  ],
  ExtlClntAppOauthSettings: [
    'areAttributesIncludedInAssetToken',
    'areCustomPermsIncludedInAssetToken',
    'assetTokenAudiences',
    'assetTokenSigningCertificate',
    'assetTokenValidity',
    'clientAssertionCertificate',
    'commaSeparatedCustomScopes',
    'commaSeparatedOauthScopes',
    'customAttributes',
    'externalClientApplication',
    'isFirstPartyAppEnabled',
    'label',
    'oauthLink',
    'singleLogoutUrl',
    'trustedIpRanges',
  ],
  ExtlClntAppOauthConfigurablePolicies: [
    'apexHandler',
    'clientCredentialsFlowUser',
    'commaSeparatedCustomScopes',
    'commaSeparatedPermissionSet',
    'commaSeparatedProfile',
    'customAttributes',
    'executeHandlerAs',
    'externalClientApplication',
    'guestJwtSessionTimeoutType',
    'guestJwtTimeout',
    'ipRelaxationPolicyType',
    'isClientCredentialsFlowEnabled',
    'isGuestCodeCredFlowEnabled',
    'isTokenExchangeFlowEnabled',
    'label',
    'namedUserJwtSessionTimeoutType',
    'namedUserJwtTimeout',
    'permittedUsersPolicyType',
    'policyAction',
    'refreshTokenPolicyType',
    'refreshTokenValidityPeriod',
    'refreshTokenValidityUnit',
    'requiredSessionLevel',
    'sessionTimeoutInMinutes',
    'singleLogoutUrl',
    'startUrl',
  ],
};

/** Component full names as Salesforce names them when it creates an External Client App. */
export const ECA_NAME_SUFFIX: Readonly<Record<EcaTypeName, string>> = {
  ExternalClientApplication: '',
  ExtlClntAppGlobalOauthSettings: '_glbloauth',
  ExtlClntAppOauthSettings: '_oauth',
  ExtlClntAppOauthConfigurablePolicies: '_oauthPlcy',
};

/**
 * OAuth scope names on the wire (what a token request or the Setup UI shows) → the Metadata API's
 * ConnectedAppOauthAccessScope values, which commaSeparatedOauthScopes holds.
 */
const WIRE_SCOPES: Readonly<Record<string, string>> = {
  api: 'Api',
  refresh_token: 'RefreshToken',
  offline_access: 'OfflineAccess',
  full: 'Full',
  web: 'Web',
  id: 'Basic',
  openid: 'OpenID',
  profile: 'Profile',
  email: 'Email',
  address: 'Address',
  phone: 'Phone',
  chatter_api: 'Chatter',
  visualforce: 'CustomApplications',
  custom_permissions: 'CustomPermissions',
  wave_api: 'Wave',
  eclair_api: 'Eclair',
  pardot_api: 'Pardot',
  lightning: 'Lightning',
  content: 'Content',
  cdp_api: 'CDP',
  sfap_api: 'SFApiPlatform',
  mcp_api: 'MCP',
};

/**
 * The values commaSeparatedOauthScopes accepts: the list a real org gives when it refuses one (docs/salesforce-behaviour.md,
 * "External Client Apps"). The Salesforce API Platform (scope sfap_api) is SFApiPlatform there; SFAP, its name in the
 * WSDL's ConnectedAppOauthAccessScope (a Connected App's scopes), is not among them.
 */
const METADATA_SCOPES = [
  'Basic',
  'Api',
  'Web',
  'Full',
  'Chatter',
  'CustomApplications',
  'RefreshToken',
  'OpenID',
  'Profile',
  'Email',
  'Address',
  'Phone',
  'OfflineAccess',
  'CustomPermissions',
  'Wave',
  'Eclair',
  'Pardot',
  'Lightning',
  'Content',
  'CDPIngest',
  'CDPProfile',
  'CDPQuery',
  'Chatbot',
  'CDPSegment',
  'CDPIdentityResolution',
  'CDPCalculatedInsight',
  'ForgotPassword',
  'UserRegistration',
  'SFApiPlatform',
  'Interaction',
  'CDP',
  'EinsteinGPT',
  'PwdlessLogin',
  'MCP',
  'SCRT',
  'DataCloudUserClaims',
];

export const DEFAULT_SCOPES = ['api'];

/**
 * Salesforce's own OAuth success page: a callback that exists in every org and goes nowhere else. The client
 * credentials flow never redirects, but every known working deploy of an External Client App carries a callbackUrl.
 */
export const DEFAULT_CALLBACK_URL = 'https://login.salesforce.com/services/oauth2/success';

/** A callback URL Salesforce can redirect to: absolute, https (or http to localhost, for development). */
export function isValidCallbackUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(u.hostname));
  } catch {
    return false;
  }
}

/**
 * Scopes as the metadata spells them, accepting wire names (api, refresh_token) or metadata names (Api, RefreshToken),
 * any case. Order kept, duplicates dropped. Unknown names come back in `unknown`.
 */
export function toMetadataScopes(input: readonly string[]): { scopes: string[]; unknown: string[] } {
  const scopes: string[] = [];
  const unknown: string[] = [];
  for (const raw of input
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean)) {
    const lower = raw.toLowerCase();
    const name = WIRE_SCOPES[lower] ?? METADATA_SCOPES.find((m) => m.toLowerCase() === lower);
    if (!name) unknown.push(raw);
    else if (!scopes.includes(name)) scopes.push(name);
  }
  return { scopes, unknown };
}

/** What the app is made of; everything the generated XML depends on. */
export type EcaSpec = {
  /** API name of the External Client App */
  appName: string;
  label?: string;
  description?: string;
  contactEmail?: string;
  /** username of the execution ("Run As") user of the client credentials flow */
  executionUsername: string;
  /** profile whose users are pre-authorized: the execution user's, so nobody else can use the app */
  executionProfile?: string;
  /** metadata scope names (see toMetadataScopes) */
  scopes: readonly string[];
  /** the OAuth redirect_uri; default DEFAULT_CALLBACK_URL */
  callbackUrl?: string;
};

export type EcaComponent = { type: EcaTypeName; fullName: string; xml: string };

/** The ExternalClientApplication API name rule (as for other developer names). */
export function isValidAppName(name: string): boolean {
  return apiNameProblem(name, APP_NAME_MAX) === undefined;
}

type Value = string | boolean | undefined;

/** The values of each component, by element name; written in schema order. */
export function ecaValues(spec: EcaSpec): Record<EcaTypeName, Record<string, Value>> {
  const label = spec.label ?? spec.appName;
  return {
    ExternalClientApplication: {
      contactEmail: spec.contactEmail,
      description: spec.description,
      distributionState: 'Local',
      isProtected: false,
      label,
    },
    ExtlClntAppGlobalOauthSettings: {
      // no consumerKey / consumerSecret: the org generates them and they never enter source control
      callbackUrl: spec.callbackUrl ?? DEFAULT_CALLBACK_URL,
      externalClientApplication: spec.appName,
      isClientCredentialsFlowEnabled: true,
      isCodeCredFlowEnabled: false,
      isConsumerSecretOptional: false,
      isDeviceFlowEnabled: false,
      isIntrospectAllTokens: false,
      isSecretRequiredForRefreshToken: true,
      isTokenExchangeEnabled: false,
      label,
      shouldRotateConsumerKey: false,
      shouldRotateConsumerSecret: false,
    },
    ExtlClntAppOauthSettings: {
      commaSeparatedOauthScopes: spec.scopes.join(','),
      externalClientApplication: spec.appName,
      label,
    },
    ExtlClntAppOauthConfigurablePolicies: {
      clientCredentialsFlowUser: spec.executionUsername,
      commaSeparatedProfile: spec.executionProfile,
      externalClientApplication: spec.appName,
      isClientCredentialsFlowEnabled: true,
      label,
      permittedUsersPolicyType: 'AdminApprovedPreAuthorized',
    },
  };
}

export const ecaFullName = (type: EcaTypeName, appName: string): string => `${appName}${ECA_NAME_SUFFIX[type]}`;

/** One component as XML: declaration, 4-space indent, schema order, trailing newline (as Salesforce writes it). */
export function ecaComponentXml(type: EcaTypeName, values: Record<string, Value>): string {
  const order = ECA_ELEMENT_ORDER[type];
  const unknown = Object.keys(values).filter((k) => !order.includes(k));
  if (unknown.length) throw new Error(`${type} has no element ${unknown.join(', ')}`);
  const lines = order
    .filter((name) => values[name] !== undefined && values[name] !== '')
    .map((name) => `    <${name}>${escapeXml(String(values[name]))}</${name}>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="${METADATA_NAMESPACE}">\n${lines.join('\n')}\n</${type}>\n`;
}

export function ecaComponents(spec: EcaSpec): EcaComponent[] {
  const values = ecaValues(spec);
  return ECA_TYPES.map((type) => ({
    type,
    fullName: ecaFullName(type, spec.appName),
    xml: ecaComponentXml(type, values[type]),
  }));
}
