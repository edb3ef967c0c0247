/**
 * The generated External Client App XML against the Metadata API WSDL (v66): each component validated with libxml2
 * (xmllint-wasm) against the complexTypes extracted from the WSDL, and the element order tables compared with the
 * WSDL's xsd:sequence.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { validateXML } from 'xmllint-wasm';
import {
  DEFAULT_CALLBACK_URL,
  ECA_ELEMENT_ORDER,
  ECA_TYPES,
  ecaComponents,
  ecaComponentXml,
  isValidAppName,
  isValidCallbackUrl,
  NOT_IN_SOURCE_CONTROL,
  toMetadataScopes,
} from '../../../src/connect/eca.js';

const wsdlPath = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '..',
  'shared',
  'reference',
  'schema',
  'forcedotcom__wsdl__metadata.wsdl',
);
const wsdl = readFileSync(wsdlPath, 'utf8');

/** A named xsd:complexType or xsd:simpleType of the WSDL, verbatim. */
function typeDef(name: string): string {
  const m = new RegExp(`<xsd:(complexType|simpleType) name="${name}">[\\s\\S]*?</xsd:\\1>`).exec(wsdl);
  if (!m) throw new Error(`no type ${name} in the WSDL`);
  return m[0];
}

/** The types the roots need, following every tns: reference. */
function schemaFor(roots: readonly string[]): string {
  const seen = new Set<string>();
  const queue = ['Metadata', ...roots];
  const defs: string[] = [];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const def = typeDef(name);
    defs.push(def);
    for (const m of def.matchAll(/(?:type|base)="tns:(\w+)"/g)) queue.push(m[1]);
  }
  const elements = roots.map((r) => `<xsd:element name="${r}" type="tns:${r}"/>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:tns="http://soap.sforce.com/2006/04/metadata" elementFormDefault="qualified" targetNamespace="http://soap.sforce.com/2006/04/metadata">
${defs.join('\n')}
${elements}
</xsd:schema>`;
}

function wsdlSequence(type: string): string[] {
  return [...typeDef(type).matchAll(/<xsd:element name="(\w+)"/g)].map((m) => m[1]);
}

const spec = {
  appName: 'ERP_Sync',
  label: 'ERP <Sync> & Co',
  description: 'Client credentials for ERP',
  contactEmail: 'integrations@acme.com',
  executionUsername: 'erp.sync@acme.com.integration',
  executionProfile: 'Minimum Access - API Only Integrations',
  scopes: ['Api', 'RefreshToken'],
};

describe('External Client App metadata', () => {
  it('validates against the WSDL types of each component', async () => {
    const schema = schemaFor(ECA_TYPES);
    const components = ecaComponents(spec);
    expect(components.map((c) => c.type)).to.deep.equal([...ECA_TYPES]);
    const result = await validateXML({
      xml: components.map((c) => ({ fileName: `${c.fullName}.xml`, contents: c.xml })),
      schema: [{ fileName: 'eca.xsd', contents: schema }],
    });
    expect(result.errors.map((e) => e.rawMessage)).to.deep.equal([]);
    expect(result.valid).to.equal(true);
  });

  it('the validation can fail: an element out of order or unknown is rejected', async () => {
    const schema = schemaFor(['ExtlClntAppOauthConfigurablePolicies']);
    const bad = ecaComponents(spec)[3].xml.replace(
      /(\s*<clientCredentialsFlowUser>.*<\/clientCredentialsFlowUser>)([\s\S]*?)(\s*<\/ExtlClntAppOauthConfigurablePolicies>)/,
      '$2$1$3',
    );
    const result = await validateXML({
      xml: [{ fileName: 'bad.xml', contents: bad }],
      schema: [{ fileName: 'eca.xsd', contents: schema }],
    });
    expect(result.valid).to.equal(false);
    expect(result.errors[0].rawMessage).to.match(/clientCredentialsFlowUser.*not expected/);
  });

  it('keeps each type’s element order identical to the WSDL sequence', () => {
    for (const type of ECA_TYPES) expect([...ECA_ELEMENT_ORDER[type]], type).to.deep.equal(wsdlSequence(type));
  });

  it('writes the client credentials settings, the execution user and no consumer credentials', () => {
    const [header, global, oauth, policies] = ecaComponents(spec);
    expect(header.fullName).to.equal('ERP_Sync');
    expect(header.xml)
      .to.contain('<label>ERP &lt;Sync&gt; &amp; Co</label>')
      .and.contain('<distributionState>Local</distributionState>');
    expect(global.fullName).to.equal('ERP_Sync_glbloauth');
    expect(global.xml)
      .to.contain('<isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>')
      .and.not.match(/consumer(Key|Secret)/);
    expect(oauth.xml).to.contain('<commaSeparatedOauthScopes>Api,RefreshToken</commaSeparatedOauthScopes>');
    expect(policies.fullName).to.equal('ERP_Sync_oauthPlcy');
    expect(policies.xml)
      .to.contain('<clientCredentialsFlowUser>erp.sync@acme.com.integration</clientCredentialsFlowUser>')
      .and.contain('<isClientCredentialsFlowEnabled>true</isClientCredentialsFlowEnabled>')
      .and.contain('<permittedUsersPolicyType>AdminApprovedPreAuthorized</permittedUsersPolicyType>')
      .and.contain('<commaSeparatedProfile>Minimum Access - API Only Integrations</commaSeparatedProfile>');
    expect(() => ecaComponentXml('ExtlClntAppOauthSettings', { consumerSecret: 'x' })).to.throw(
      /no element consumerSecret/,
    );
  });

  it('maps wire scope names to the WSDL enumeration', () => {
    const enumeration = [...typeDef('ConnectedAppOauthAccessScope').matchAll(/value="(\w+)"/g)].map((m) => m[1]);
    const { scopes, unknown } = toMetadataScopes([
      'api',
      'refresh_token,openid',
      'Api',
      'CUSTOM_PERMISSIONS',
      'Chatter',
      'bogus',
    ]);
    expect(scopes).to.deep.equal(['Api', 'RefreshToken', 'OpenID', 'CustomPermissions', 'Chatter']);
    expect(unknown).to.deep.equal(['bogus']);
    for (const s of scopes) expect(enumeration).to.include(s);
  });

  it('spells the Salesforce API Platform scope as External Client Apps do: SFApiPlatform (sfap_api or itself), never SFAP', () => {
    expect(toMetadataScopes(['sfap_api'])).to.deep.equal({ scopes: ['SFApiPlatform'], unknown: [] });
    expect(toMetadataScopes(['SFApiPlatform', 'sfapiplatform'])).to.deep.equal({
      scopes: ['SFApiPlatform'],
      unknown: [],
    });
    expect(toMetadataScopes(['SFAP']).unknown).to.deep.equal(['SFAP']);
    expect(toMetadataScopes(['DataCloudUserClaims']).scopes).to.deep.equal(['DataCloudUserClaims']);
  });

  it("gives the global OAuth settings a callback URL (default: Salesforce's OAuth success page, or the one asked for)", () => {
    const global = (s: Parameters<typeof ecaComponents>[0]): string =>
      ecaComponents(s).find((c) => c.type === 'ExtlClntAppGlobalOauthSettings')!.xml;
    expect(global(spec)).to.contain(`<callbackUrl>${DEFAULT_CALLBACK_URL}</callbackUrl>`);
    expect(DEFAULT_CALLBACK_URL).to.equal('https://login.salesforce.com/services/oauth2/success');
    expect(global({ ...spec, callbackUrl: 'https://erp.acme.com/oauth?a=1&b=2' })).to.contain(
      '<callbackUrl>https://erp.acme.com/oauth?a=1&amp;b=2</callbackUrl>',
    );
    expect(['https://x.example/cb', 'http://localhost:1717/OauthRedirect'].every(isValidCallbackUrl)).to.equal(true);
    expect(['ftp://x', 'http://erp.acme.com/cb', 'not a url', ''].some(isValidCallbackUrl)).to.equal(false);
    expect([...NOT_IN_SOURCE_CONTROL]).to.deep.equal(['ExtlClntAppGlobalOauthSettings']);
  });

  it('accepts API names only', () => {
    expect(['ERP_Sync', 'a', 'App1'].every(isValidAppName)).to.equal(true);
    expect(['1App', 'ERP__Sync', 'ERP_', 'with space', 'x'.repeat(41)].some(isValidAppName)).to.equal(false);
  });
});
