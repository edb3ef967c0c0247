/**
 * Converts every real profile in ../shared/corpus/profiles (when present), validates every output against the
 * Metadata API v66 schema extract with libxml2 (xmllint-wasm), and checks the accounting rule: every grant of the
 * input is in an output permission set or in `omitted`, and nothing is granted that the input did not grant.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { validateXML } from 'xmllint-wasm';
import { convertToIntegrationPermissionSets, type ConversionResult } from '../../../src/permissions/convert.js';
import { PERMISSION_SET_SECTIONS, type Entry, type SectionName } from '../../../src/permissions/model.js';
import { SECTION_RULES } from '../../../src/permissions/license-rules.js';
import { permissionSetToXml } from '../../../src/metadata/permission-set-xml.js';
import { readProfileFile, type ProfileDoc } from '../../../src/profile/read-profile.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = join(root, '..', 'shared');
const profilesDir = join(shared, 'corpus', 'profiles');
const xsd = join(shared, 'reference', 'schema', 'metadata_v66_profile_permissionset_types.xsd');

/** The extract declares types only: add the root element a permission set file has. */
function permissionSetSchema(): string {
  const types = readFileSync(xsd, 'utf8');
  return types.replace(
    /<\/xsd:schema>\s*$/,
    '<xsd:element name="PermissionSet" type="tns:PermissionSet"/>\n</xsd:schema>\n',
  );
}

const PROFILE_ONLY = new Set<string>(SECTION_RULES.profileOnly);
const NOT_GRANTS = new Set(['default', 'personAccountDefault']);

function targetOf(section: string): SectionName | undefined {
  if (section === 'fieldLevelSecurities') return 'fieldPermissions';
  if (section === 'tabVisibilities') return 'tabSettings';
  return section in PERMISSION_SET_SECTIONS ? (section as SectionName) : undefined;
}

/** What the input grants per entry, judged independently of the converter. */
function grantedFields(section: string, entry: Entry): string[] {
  if (section === 'tabVisibilities' || section === 'tabSettings') {
    return ['DefaultOn', 'DefaultOff', 'Visible', 'Available'].includes(String(entry.visibility)) ? ['visibility'] : [];
  }
  const fields = Object.entries(entry)
    .filter(([f, v]) => v === true && !NOT_GRANTS.has(f) && !f.startsWith('revoke') && f !== 'hidden')
    .map(([f]) => f);
  if (section === 'fieldLevelSecurities' && entry.hidden === false) fields.push('readable');
  return fields;
}

function checkAccounting(profile: ProfileDoc, result: ConversionResult): void {
  const omittedKeys = new Set(result.omitted.map((o) => `${o.section}|${o.name}`));
  const outputs = [result.main, result.companion].filter((d) => d !== undefined);
  const outputKeys = new Set<string>();
  for (const doc of outputs) {
    for (const [section, entries] of Object.entries(doc.sections) as Array<[SectionName, Entry[]]>) {
      for (const e of entries) outputKeys.add(`${section}|${String(e[PERMISSION_SET_SECTIONS[section].key])}`);
    }
  }
  const inOutput = (section: SectionName, key: string): boolean => outputKeys.has(`${section}|${key}`);
  const omittedSections = new Set(result.omitted.map((o) => o.section));

  const inputGrants = new Map<string, Set<string>>(); // target|key -> granted fields
  for (const [section, entries] of Object.entries(profile.sections)) {
    for (const entry of entries ?? []) {
      if (PROFILE_ONLY.has(section)) {
        const content = Object.values(entry).some((v) => v !== '');
        if (content) expect(omittedSections.has(section), `${section} omitted`).to.equal(true);
        continue;
      }
      const target = targetOf(section);
      const granted = grantedFields(section, entry);
      if (granted.length === 0) continue;
      if (!target) {
        expect(omittedSections.has(section), `${section} omitted`).to.equal(true);
        continue;
      }
      const key = String(entry[PERMISSION_SET_SECTIONS[target].key]).trim();
      const id = `${target}|${key}`;
      const fields = inputGrants.get(id) ?? new Set<string>();
      for (const f of granted) fields.add(f);
      inputGrants.set(id, fields);
      expect(inOutput(target, key) || omittedKeys.has(`${section}|${key}`), `${section} ${key} accounted for`).to.equal(
        true,
      );
    }
  }
  if (profile.userLicense !== undefined) expect(omittedKeys.has('userLicense|userLicense')).to.equal(true);

  // nothing granted that the input did not grant
  for (const doc of outputs) {
    for (const [section, entries] of Object.entries(doc.sections) as Array<[SectionName, Entry[]]>) {
      for (const entry of entries) {
        const key = String(entry[PERMISSION_SET_SECTIONS[section].key]);
        const granted = inputGrants.get(`${section}|${key}`);
        expect(granted, `${doc.fullName} ${section} ${key} comes from the input`).to.not.equal(undefined);
        for (const [f, v] of Object.entries(entry)) {
          if (v === true)
            expect(granted!.has(f), `${doc.fullName} ${section} ${key}.${f} granted by the input`).to.equal(true);
        }
        if (section === 'tabSettings') expect(granted!.has('visibility')).to.equal(true);
      }
    }
  }
}

describe('corpus: every real profile converts to schema-valid permission sets', function () {
  this.timeout(120_000);
  const present = existsSync(profilesDir) && existsSync(xsd);
  const files = present
    ? readdirSync(profilesDir)
        .filter((f) => /\.profile(-meta\.xml)?$/.test(f))
        .sort()
    : [];

  before(function () {
    if (!present) {
      console.log(`    (skipped: ${profilesDir} or the schema extract is absent)`);
      this.skip();
    }
  });

  it('converts, accounts for every grant, and validates against the Metadata API schema', async () => {
    expect(files.length).to.be.greaterThan(0);
    const outputs: Array<{ fileName: string; contents: string }> = [];
    for (const file of files) {
      const profile = await readProfileFile(join(profilesDir, file));
      for (const includeUi of [false, true]) {
        const result = convertToIntegrationPermissionSets(profile, { name: 'Corpus_Integration', includeUi });
        checkAccounting(profile, result);
        expect(result.main.license).to.equal('SalesforceAPIIntegrationPsl');
        // with includeUi only the companion differs
        for (const doc of includeUi ? [result.companion] : [result.main, result.companion]) {
          if (!doc) continue;
          const xml = permissionSetToXml(doc);
          // the same input always writes the same bytes
          if (doc === result.main) {
            expect(
              permissionSetToXml(
                convertToIntegrationPermissionSets(profile, { name: 'Corpus_Integration', includeUi }).main,
              ),
            ).to.equal(xml);
          }
          outputs.push({ fileName: `${outputs.length}-${doc.fullName}.xml`, contents: xml });
        }
      }
    }

    // one libxml2 run for all outputs: starting the wasm module costs more than validating a file
    const { valid, errors } = await validateXML({
      xml: outputs,
      schema: { fileName: 'permissionset.xsd', contents: permissionSetSchema() },
      initialMemoryPages: 4096,
      maxMemoryPages: 32768,
    });
    expect(
      errors.slice(0, 5).map((e) => e.rawMessage),
      'schema errors',
    ).to.deep.equal([]);
    expect(valid).to.equal(true);
  });

  it('the schema check can fail: out-of-order and unknown elements are rejected', async () => {
    const bad = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
      '    <license>SalesforceAPIIntegrationPsl</license>',
      '    <label>Out of order</label>',
      '    <tabVisibilities><tab>x</tab><visibility>DefaultOn</visibility></tabVisibilities>',
      '</PermissionSet>',
    ].join('\n');
    const { valid, errors } = await validateXML({
      xml: { fileName: 'bad.xml', contents: bad },
      schema: { fileName: 'permissionset.xsd', contents: permissionSetSchema() },
    });
    expect(valid).to.equal(false);
    expect(errors.length).to.be.greaterThan(0);
  });
});
