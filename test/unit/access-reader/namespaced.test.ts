/**
 * Managed permission sets: the org keeps `ns__Name` as Name = 'Name' and NamespacePrefix = 'ns', so a comparison
 * against `ns__Name` must ask by the local name and match the qualified one.
 */
import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { PermissionSetReader, objectPermissionFields } from '../../../src/access-reader/read-permission-sets.js';
import { readPermissionSetsSide } from '../../../src/compare/from-org.js';

function stubConnection(queries: string[]): Connection {
  const rows = [
    {
      Id: '0PS000000000007AAA',
      Name: 'Reader',
      NamespacePrefix: 'acme',
      Label: 'Reader',
      Type: 'Regular',
      IsOwnedByProfile: false,
    },
  ];
  return {
    getApiVersion: () => '62.0',
    describe: () => Promise.resolve({ fields: [] }),
    query: (soql: string) => {
      queries.push(soql);
      // as the real org: Name never holds the prefix
      const records = /FROM PermissionSet WHERE/.test(soql) ? rows.filter((r) => soql.includes(`'${r.Name}'`)) : [];
      return Promise.resolve({ totalSize: records.length, done: true, records });
    },
  } as unknown as Connection;
}

describe('managed permission sets in a comparison', () => {
  it('finds ns__Name by the org local Name and NamespacePrefix, and names it ns__Name', async () => {
    const queries: string[] = [];
    const { summary } = await readPermissionSetsSide(new PermissionSetReader(stubConnection(queries)), [
      'acme__Reader',
    ]);
    expect(queries[0]).to.match(/Name IN \('Reader'\)/);
    expect(summary.label).to.equal('acme__Reader');
  });
});

describe('object permission fields by API version', () => {
  it('asks for PermissionsViewAllFields only from API 63.0 on, where ObjectPermissions has it (sobjects.json)', () => {
    const names = (v: string | undefined): string[] => objectPermissionFields(v).map(([, f]) => f);
    expect(names('60.0')).to.not.include('PermissionsViewAllFields');
    expect(names('60.0')).to.include('PermissionsViewAllRecords');
    expect(names('61.0')).to.not.include('PermissionsViewAllFields');
    expect(names('62.0')).to.not.include('PermissionsViewAllFields');
    expect(names('63.0')).to.include('PermissionsViewAllFields');
    expect(names('66.0')).to.include('PermissionsViewAllFields');
    expect(names(undefined)).to.include('PermissionsViewAllFields');
  });
});
