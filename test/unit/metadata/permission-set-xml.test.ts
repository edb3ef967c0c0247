import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import {
  escapeXml,
  permissionSetToXml,
  permissionSetXmlPieces,
  writePermissionSetXml,
} from '../../../src/metadata/permission-set-xml.js';
import type { PermissionSetDoc } from '../../../src/permissions/model.js';

const doc: PermissionSetDoc = {
  fullName: 'Sync',
  label: 'R&D <sync> "x" \'y\'',
  description: 'Tom & Jerry',
  license: 'SalesforceAPIIntegrationPsl',
  hasActivationRequired: false,
  sections: {
    userPermissions: [
      { name: 'ViewSetup', enabled: true },
      { name: 'RunReports', enabled: true },
    ],
    objectPermissions: [
      {
        viewAllRecords: false,
        object: 'Account',
        allowRead: true,
        allowCreate: false,
        allowEdit: false,
        allowDelete: false,
        modifyAllRecords: false,
        customizeSetup: true,
      },
    ],
    agentAccesses: [{ enabled: true, agentName: 'Helper' }],
    tabSettings: [{ visibility: 'Visible', tab: 'standard-Account', bogus: 'x' }],
  },
};

describe('permissionSetToXml', () => {
  it('writes schema order, 4-space indent, sorted entries, escaped text', () => {
    expect(permissionSetToXml(doc)).to.equal(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<PermissionSet xmlns="http://soap.sforce.com/2006/04/metadata">',
        '    <agentAccesses>',
        '        <agentName>Helper</agentName>',
        '        <enabled>true</enabled>',
        '    </agentAccesses>',
        '    <description>Tom &amp; Jerry</description>',
        '    <hasActivationRequired>false</hasActivationRequired>',
        '    <label>R&amp;D &lt;sync&gt; &quot;x&quot; &apos;y&apos;</label>',
        '    <license>SalesforceAPIIntegrationPsl</license>',
        '    <objectPermissions>',
        '        <allowCreate>false</allowCreate>',
        '        <allowDelete>false</allowDelete>',
        '        <allowEdit>false</allowEdit>',
        '        <allowRead>true</allowRead>',
        '        <customizeSetup>true</customizeSetup>',
        '        <modifyAllRecords>false</modifyAllRecords>',
        '        <object>Account</object>',
        '        <viewAllRecords>false</viewAllRecords>',
        '    </objectPermissions>',
        '    <tabSettings>',
        '        <tab>standard-Account</tab>',
        '        <visibility>Visible</visibility>',
        '    </tabSettings>',
        '    <userPermissions>',
        '        <enabled>true</enabled>',
        '        <name>RunReports</name>',
        '    </userPermissions>',
        '    <userPermissions>',
        '        <enabled>true</enabled>',
        '        <name>ViewSetup</name>',
        '    </userPermissions>',
        '</PermissionSet>',
        '',
      ].join('\n'),
    );
  });

  it('gives the same bytes whatever the entry order, and leaves the doc untouched', () => {
    const reversed: PermissionSetDoc = {
      ...doc,
      sections: { ...doc.sections, userPermissions: [...doc.sections.userPermissions!].reverse() },
    };
    const before = JSON.stringify(reversed);
    expect(permissionSetToXml(reversed)).to.equal(permissionSetToXml(doc));
    expect(JSON.stringify(reversed)).to.equal(before);
  });

  it('sorts by code unit, not locale', () => {
    const xml = permissionSetToXml({
      fullName: 'S',
      label: 'S',
      sections: { classAccesses: ['b', 'B', 'a', '_x', 'Z'].map((apexClass) => ({ apexClass, enabled: true })) },
    });
    expect([...xml.matchAll(/<apexClass>(.*)<\/apexClass>/g)].map((m) => m[1])).to.deep.equal([
      'B',
      'Z',
      '_x',
      'a',
      'b',
    ]);
    expect(xml).to.not.contain('<license>').and.not.contain('<description>');
  });

  it('escapes only what needs it', () => {
    expect(escapeXml('plain')).to.equal('plain');
    expect(escapeXml('a<b>&"\'')).to.equal('a&lt;b&gt;&amp;&quot;&apos;');
  });

  it('streams the same bytes in pieces, to a file too', async () => {
    const big: PermissionSetDoc = {
      ...doc,
      sections: {
        ...doc.sections,
        fieldPermissions: Array.from({ length: 300 }, (_, i) => ({
          field: `Account.F${i}__c`,
          readable: true,
          editable: i % 2 === 0,
        })),
      },
    };
    const whole = permissionSetToXml(big);
    const pieces = [...permissionSetXmlPieces(big, 1000)];
    expect(pieces.length).to.be.greaterThan(10);
    expect(pieces.join('')).to.equal(whole);
    expect(pieces.slice(0, -1).every((p) => p.length >= 1000 && p.length < 1200)).to.equal(true);
    const dir = await mkdtemp(join(tmpdir(), 'permission-set-xml-test-'));
    try {
      const path = join(dir, 'Big.permissionset-meta.xml');
      await writePermissionSetXml(big, path);
      expect(await readFile(path, 'utf8')).to.equal(whole);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
