import { expect } from 'chai';
import type { Connection } from '@salesforce/core';
import { TestContext } from '@salesforce/core/testSetup';
import { escapeSoqlString, soqlInList, soqlLiteral } from '../../../src/org-api/soql.js';
import { getIntegrationSeats, getPslAllowedPermissions } from '../../../src/org-api/licenses.js';
import { findIntegrationProfile, findRole, pickIntegrationProfile } from '../../../src/org-api/profile.js';
import { createUser, deriveAlias, isEmailShaped, lookupUsers, userRecord } from '../../../src/org-api/users.js';
import {
  assignPermissionSetLicense,
  assignPermissionSets,
  findPermissionSets,
  getAssignedPermissionSetNames,
  hasLicenseAssignment,
  isDuplicateError,
} from '../../../src/org-api/assignments.js';
import { findFieldSecurity, findMissingTargets } from '../../../src/org-api/access-check.js';
import { FakeOrg } from '../fake-org.js';
import { fakeOrgConnection } from './setup.js';

describe('org steps', () => {
  const $$ = new TestContext();
  let org: FakeOrg;
  let conn: Connection;

  beforeEach(async () => {
    ({ org, conn } = await fakeOrgConnection($$));
  });

  describe('soql', () => {
    it('escapes backslashes before quotes', () => {
      expect(escapeSoqlString("a\\'b")).to.equal("a\\\\\\'b");
      expect(soqlLiteral("o'brien@x.com")).to.equal("'o\\'brien@x.com'");
      expect(soqlInList(['a', 'a', "b'"])).to.equal("('a', 'b\\'')");
    });
    it('keeps an injection attempt inside the literal', () => {
      const literal = soqlLiteral("x' OR Username != '");
      expect(literal).to.equal("'x\\' OR Username != \\''");
    });
  });

  describe('licenses', () => {
    it('reads free seats of both licenses', async () => {
      org.userLicense!.UsedLicenses = 3;
      const seats = await getIntegrationSeats(conn);
      expect(seats.userLicense).to.include({ total: 5, used: 3, free: 2 });
      expect(seats.permissionSetLicense).to.include({ id: '0PL000000000001AAA', free: 4 });
    });
    it('reports absent licenses as undefined', async () => {
      org.userLicense = undefined;
      org.psl = undefined;
      const seats = await getIntegrationSeats(conn);
      expect(seats.userLicense).to.equal(undefined);
      expect(seats.permissionSetLicense).to.equal(undefined);
    });
  });

  describe('what the permission set license carries', () => {
    it('reads MaximumPermissions* for the wanted permissions only', async () => {
      const before = org.requests.length;
      const allowed = await getPslAllowedPermissions(conn, ['runreports']);
      expect(allowed).to.deep.equal(new Set(['RunReports']));
      // one query, no describe: the field named as asked (field names are case-insensitive in SOQL)
      expect(org.requests.length - before).to.equal(1);
      expect(org.requests.at(-1)?.toLowerCase())
        .to.contain('maximumpermissionsrunreports')
        .and.not.contain('maximumpermissionsviewsetup');
    });
    it('reads all of them when no list is given', async () => {
      expect(await getPslAllowedPermissions(conn)).to.deep.equal(new Set(['RunReports']));
    });
    it('is undefined when the org has no such fields', async () => {
      org.describes.PermissionSetLicense = ['Id'];
      expect(await getPslAllowedPermissions(conn)).to.equal(undefined);
    });
  });

  describe('profile and role', () => {
    it('prefers Minimum Access - API Only Integrations', async () => {
      const profile = await findIntegrationProfile(conn);
      expect(profile).to.include({ id: '00e000000000001AAA', legacy: false });
      expect(profile?.integrationProfileIds).to.have.length(2);
    });
    it('falls back to the legacy profile', () => {
      const profile = pickIntegrationProfile([{ Id: '00e2', Name: 'Salesforce API Only System Integrations' }]);
      expect(profile).to.include({ id: '00e2', legacy: true });
    });
    it('refuses to guess between several unknown profiles', () => {
      expect(
        pickIntegrationProfile([
          { Id: '1', Name: 'A' },
          { Id: '2', Name: 'B' },
        ]),
      ).to.equal(undefined);
    });
    it('finds a role by DeveloperName and escapes it', async () => {
      expect(await findRole(conn, 'Integrations')).to.include({ id: '00E000000000001AAA' });
      expect(await findRole(conn, "Nope' OR DeveloperName != '")).to.equal(undefined);
      expect(org.requests.at(-1)).to.contain("'Nope\\' OR DeveloperName != \\''");
    });
  });

  describe('users', () => {
    it('validates email-shaped usernames', () => {
      expect(isEmailShaped('a@b.co')).to.equal(true);
      expect(isEmailShaped('a b@c.com')).to.equal(false);
      expect(isEmailShaped('nodomain@x')).to.equal(false);
    });
    it('derives an alias of at most 8 characters', () => {
      expect(deriveAlias({ firstName: 'Marketo', lastName: 'Sync Service', username: 'x@y.z' })).to.equal('msyncser');
      expect(deriveAlias({ username: 'api.bot@acme.com' })).to.equal('apibot');
      expect(deriveAlias({ lastName: 'Ünïcodé', username: 'x@y.z' })).to.equal('unicode');
    });
    it('looks up target and running user in one query, copying the admin locale', async () => {
      const before = org.requests.length;
      const found = await lookupUsers(conn, 'new@acme.com');
      expect(org.requests.length - before).to.equal(1);
      expect(found.target).to.equal(undefined);
      expect(found.defaults).to.deep.equal({
        TimeZoneSidKey: 'Europe/Paris',
        LocaleSidKey: 'fr_FR',
        EmailEncodingKey: 'UTF-8',
        LanguageLocaleKey: 'fr',
      });
    });
    it('finds an existing user case-insensitively with its profile', async () => {
      org.users.push({
        Id: '005000000000077AAA',
        Username: 'bot@acme.com',
        ProfileId: '00e000000000001AAA',
        IsActive: true,
      });
      const found = await lookupUsers(conn, 'BOT@acme.com');
      expect(found.target).to.include({
        id: '005000000000077AAA',
        profileName: 'Minimum Access - API Only Integrations',
      });
    });
    it('creates a user with REST and the given fields', async () => {
      const id = await createUser(conn, {
        username: 'bot@acme.com',
        email: 'team@acme.com',
        lastName: 'Bot',
        alias: 'bot',
        profileId: '00e000000000001AAA',
        userRoleId: '00E000000000001AAA',
        marketingUser: true,
        defaults: {
          TimeZoneSidKey: 'UTC',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
        },
      });
      expect(id).to.match(/^005/);
      expect(org.userByName('bot@acme.com')).to.include({ Email: 'team@acme.com', UserPermissionsMarketingUser: true });
      expect(org.requests.at(-1)).to.match(/^POST .*\/sobjects\/User$/);
    });
    it('builds the user record without optional fields when not asked', () => {
      const record = userRecord({
        username: 'a@b.co',
        email: 'a@b.co',
        lastName: 'A',
        alias: 'a',
        profileId: 'p',
        defaults: {
          TimeZoneSidKey: 'UTC',
          LocaleSidKey: 'en_US',
          EmailEncodingKey: 'UTF-8',
          LanguageLocaleKey: 'en_US',
        },
      });
      expect(record).to.not.have.any.keys('FirstName', 'UserRoleId', 'UserPermissionsMarketingUser');
    });
  });

  describe('assignments', () => {
    it('assigns the permission set license once and treats a duplicate as already done', async () => {
      expect(await hasLicenseAssignment(conn, '005X', '0PL000000000001AAA')).to.equal(false);
      expect(await assignPermissionSetLicense(conn, '005X', '0PL000000000001AAA')).to.equal('done');
      expect(await hasLicenseAssignment(conn, '005X', '0PL000000000001AAA')).to.equal(true);
      expect(await assignPermissionSetLicense(conn, '005X', '0PL000000000001AAA')).to.equal('already done');
      expect(org.pslAssignments).to.have.length(1);
    });
    it('recognises duplicate errors in REST and collection shapes', () => {
      expect(isDuplicateError({ name: 'DUPLICATE_VALUE', message: 'x' })).to.equal(true);
      expect(isDuplicateError({ statusCode: 'X', message: 'duplicate value found: Id' })).to.equal(true);
      expect(isDuplicateError({ name: 'FIELD_INTEGRITY_EXCEPTION', message: 'no' })).to.equal(false);
    });
    it('rethrows other license assignment errors', async () => {
      org.failOnce.push({
        match: /PermissionSetLicenseAssign/,
        error: { errorCode: 'LICENSE_LIMIT_EXCEEDED', message: 'License Limit Exceeded' },
      });
      const error = await assignPermissionSetLicense(conn, '005X', '0PL1').catch((e: Error) => e);
      expect(error).to.be.instanceOf(Error).with.property('name', 'LICENSE_LIMIT_EXCEEDED');
    });
    it('assigns several permission sets in one collection call, duplicates as already done', async () => {
      org.permissionSets.push({ Id: '0PS000000000002AAA', Name: 'Gen' });
      org.psAssignments.push({ Id: '0Pa1', AssigneeId: '005X', PermissionSetId: '0PS000000000001AAA' });
      const sets = await findPermissionSets(conn, ['shared_read', 'Gen']);
      expect([...sets.keys()].sort()).to.deep.equal(['gen', 'shared_read']);
      const before = org.requests.length;
      const outcomes = await assignPermissionSets(conn, '005X', [...sets.values()]);
      expect(org.requests.length - before).to.equal(1);
      expect(outcomes).to.deep.include.members([
        { name: 'Shared_Read', outcome: 'already done' },
        { name: 'Gen', outcome: 'done' },
      ]);
      expect(await getAssignedPermissionSetNames(conn, '005X')).to.deep.equal(new Set(['shared_read', 'gen']));
    });
    it('finds managed permission sets by ns__Name, as the org stores them (Name without prefix, NamespacePrefix)', async () => {
      org.permissionSets.push(
        { Id: '0PS000000000007AAA', Name: 'Reader', NamespacePrefix: 'acme', LicenseId: null },
        { Id: '0PS000000000008AAA', Name: 'Reader', NamespacePrefix: null, LicenseId: null },
      );
      const sets = await findPermissionSets(conn, ['acme__Reader', 'reader']);
      expect(sets.get('acme__reader')).to.include({ id: '0PS000000000007AAA', name: 'acme__Reader' });
      expect(sets.get('reader')).to.include({ id: '0PS000000000008AAA', name: 'Reader' });
      expect((await findPermissionSets(conn, ['other__Reader'])).size).to.equal(0);
      await assignPermissionSets(conn, '005Y', [sets.get('acme__reader')!]);
      expect(await getAssignedPermissionSetNames(conn, '005Y')).to.deep.equal(new Set(['acme__reader']));
    });
    it('reports a single failed assignment without throwing', async () => {
      org.failOnce.push({
        match: /PermissionSetAssignment$/,
        error: {
          errorCode: 'FIELD_INTEGRITY_EXCEPTION',
          message: "The user license doesn't allow the permission: View Setup",
        },
      });
      const [outcome] = await assignPermissionSets(conn, '005X', [{ id: '0PS000000000001AAA', name: 'Shared_Read' }]);
      expect(outcome).to.have.property('error').that.has.property('name', 'FIELD_INTEGRITY_EXCEPTION');
    });
  });

  describe('access check', () => {
    it('finds unknown objects, fields and user permissions', async () => {
      const missing = await findMissingTargets(conn, {
        objects: ['Account', 'Invoice__c'],
        fields: ['Contact.Email', 'Contact.Nope__c', 'Invoice__c.Total__c'],
        userPermissions: ['ViewSetup', 'ApiOnlyUser'],
      });
      expect(missing).to.deep.include({
        objects: ['Invoice__c'],
        fields: ['Contact.Nope__c'],
        userPermissions: ['ApiOnlyUser'],
      });
    });
    it("returns the org's spelling of every name found", async () => {
      const { canonical } = await findMissingTargets(conn, {
        objects: ['account'],
        fields: ['contact.email'],
        userPermissions: ['viewsetup'],
      });
      expect(Object.fromEntries(canonical)).to.deep.equal({
        account: 'Account',
        contact: 'Contact',
        'contact.email': 'Contact.Email',
        viewsetup: 'ViewSetup',
      });
    });
    it('finds requested fields field-level security does not apply to, and read-only ones', async () => {
      const missing = await findMissingTargets(conn, {
        objects: [],
        fields: ['account.name', 'Account.Industry', 'account.tier__c', 'Contact.LastName'],
        userPermissions: [],
      });
      expect(missing.notPermissionable).to.deep.equal(['Account.Name', 'Contact.LastName']);
      expect(missing.readOnly).to.deep.equal(['Account.Tier__c']);
      expect(missing.fields).to.deep.equal([]);
    });
    it('checks converted fields, describing only objects not described yet, leaving unknown ones to the deploy', async () => {
      const { describes } = await findMissingTargets(conn, { objects: ['Account'], fields: [], userPermissions: [] });
      const before = org.requests.filter((r) => r.includes('/describe')).length;
      const security = await findFieldSecurity(
        conn,
        [
          'Account.Name',
          'Account.Tier__c',
          'Account.Industry',
          'Contact.Id',
          'Contact.Email',
          'Invoice__c.Total__c',
          'Account.Nope__c',
        ],
        describes,
      );
      expect(security).to.deep.equal({
        notPermissionable: ['Account.Name', 'Contact.Id'],
        readOnly: ['Account.Tier__c'],
      });
      // Contact and Invoice__c only
      expect(org.requests.filter((r) => r.includes('/describe')).length - before).to.equal(2);
    });
    it('asks nothing when nothing is requested', async () => {
      const before = org.requests.length;
      await findMissingTargets(conn, { objects: [], fields: [], userPermissions: [] });
      expect(org.requests.length).to.equal(before);
    });
  });
});
