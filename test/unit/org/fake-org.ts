/**
 * A tiny in-memory org behind TestContext's fakeConnectionRequest: enough REST (SOQL by pattern,
 * sObject create, sObject Collections, describe) for the create steps, recording every request.
 */
import type { AnyJson } from '@salesforce/ts-types';

type Rec = Record<string, unknown> & { Id: string };
export type FakeError = { errorCode: string; message: string; status?: number };
/** `after`: the org does the work, then the response is lost (a connection dropped on the way back) */
export type FakeFault = { match: RegExp; error: FakeError; after?: boolean };

let idCounter = 100;
const newId = (prefix: string): string => `${prefix}${String(idCounter++).padStart(12, '0')}AAA`;

/** A describe field: permissionable (default true), calculated (false), updateable (true). */
export type FakeField = { name: string; permissionable?: boolean; calculated?: boolean; updateable?: boolean };

export class FakeOrg {
  public userLicense: Rec | undefined = {
    Id: '100000000000001AAA',
    Name: 'Salesforce Integration',
    MasterLabel: 'Salesforce Integration',
    Status: 'Active',
    TotalLicenses: 5,
    UsedLicenses: 1,
  };
  public psl: Rec | undefined = {
    Id: '0PL000000000001AAA',
    DeveloperName: 'SalesforceAPIIntegrationPsl',
    MasterLabel: 'Salesforce API Integration',
    Status: 'Active',
    TotalLicenses: 5,
    UsedLicenses: 1,
    MaximumPermissionsRunReports: true,
    MaximumPermissionsViewSetup: false,
  };
  public profiles: Rec[] = [
    { Id: '00e000000000001AAA', Name: 'Minimum Access - API Only Integrations' },
    { Id: '00e000000000002AAA', Name: 'Salesforce API Only System Integrations' },
  ];
  public otherProfiles: Rec[] = [{ Id: '00e000000000009AAA', Name: 'System Administrator' }];
  public roles: Rec[] = [{ Id: '00E000000000001AAA', DeveloperName: 'Integrations', Name: 'Integrations' }];
  public users: Rec[] = [];
  public pslAssignments: Rec[] = [];
  public permissionSets: Rec[] = [{ Id: '0PS000000000001AAA', Name: 'Shared_Read', LicenseId: null }];
  public psAssignments: Rec[] = [];
  /** fields by object: a name, or the describe properties field-level security depends on */
  public describes: Record<string, Array<string | FakeField>> = {
    // Id, Name and LastName are system or required fields (not permissionable); Tier__c is a formula field
    Account: [{ name: 'Id', permissionable: false }, { name: 'Name', permissionable: false }, 'Industry', { name: 'Tier__c', calculated: true, updateable: false }],
    Contact: [{ name: 'Id', permissionable: false }, 'Email', { name: 'LastName', permissionable: false }],
    PermissionSet: ['Id', 'Name', 'PermissionsApiEnabled', 'PermissionsViewSetup', 'PermissionsApiUserOnly', 'PermissionsRunReports'],
    PermissionSetLicense: ['Id', 'DeveloperName', 'MaximumPermissionsRunReports', 'MaximumPermissionsViewSetup'],
  };
  /** errors to throw once for the next request whose "METHOD path" matches */
  public failOnce: FakeFault[] = [];
  /** responses for single creates, e.g. a record-level error instead of throwing */
  public requests: string[] = [];

  public constructor(public readonly adminUsername: string) {
    this.users.push({
      Id: '005000000000001AAA',
      Username: adminUsername,
      IsActive: true,
      ProfileId: '00e000000000009AAA',
      TimeZoneSidKey: 'Europe/Paris',
      LocaleSidKey: 'fr_FR',
      EmailEncodingKey: 'UTF-8',
      LanguageLocaleKey: 'fr',
    });
  }

  public userByName(name: string): Rec | undefined {
    return this.users.find((u) => String(u.Username).toLowerCase() === name.toLowerCase());
  }

  public handle(request: AnyJson): Promise<AnyJson> {
    const req = (typeof request === 'string' ? { method: 'GET', url: request } : request) as {
      method?: string;
      url: string;
      body?: string;
    };
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url, 'https://fake.my.salesforce.com');
    const line = `${method} ${url.pathname}${url.search ? '?' + decodeURIComponent(url.search.slice(1)) : ''}`;
    this.requests.push(line);
    const fault = this.failOnce.findIndex((f) => f.match.test(line));
    if (fault >= 0) {
      const { error, after } = this.failOnce.splice(fault, 1)[0];
      const rejection = Promise.reject(Object.assign(new Error(error.message), { name: error.errorCode, errorCode: error.errorCode }));
      if (!after) return rejection;
      return this.route(method, url, req.body, line).then(
        () => rejection,
        () => rejection
      );
    }
    return this.route(method, url, req.body, line);
  }

  private route(method: string, url: URL, reqBody: string | undefined, line: string): Promise<AnyJson> {
    const path = url.pathname.replace(/^\/services\/data\/v[\d.]+/, '');
    try {
      if (method === 'GET' && path === '/query') return Promise.resolve(this.query(url.searchParams.get('q') ?? '') as AnyJson);
      const describe = /^\/sobjects\/(\w+)\/describe$/.exec(path);
      if (method === 'GET' && describe) {
        // object names are case-insensitive in the REST API; the describe answers with the real spelling
        const name = Object.keys(this.describes).find((k) => k.toLowerCase() === describe[1].toLowerCase());
        if (!name) throw this.err('NOT_FOUND', 'The requested resource does not exist');
        return Promise.resolve({ name, fields: this.describes[name].map((f) => (typeof f === 'string' ? { name: f } : f)) } as AnyJson);
      }
      const create = /^\/sobjects\/(\w+)$/.exec(path);
      if (method === 'POST' && create) return Promise.resolve(this.create(create[1], JSON.parse(reqBody ?? '{}')) as AnyJson);
      if (method === 'POST' && path === '/composite/sobjects') {
        const body = JSON.parse(reqBody ?? '{}') as { records: Array<Record<string, unknown> & { attributes: { type: string } }> };
        return Promise.resolve(
          body.records.map((r) => {
            const { attributes, ...fields } = r;
            try {
              return this.create(attributes.type, fields);
            } catch (e) {
              const err = e as { errorCode: string; message: string };
              return { success: false, errors: [{ statusCode: err.errorCode, message: err.message, fields: [] }] };
            }
          }) as AnyJson
        );
      }
      throw this.err('NOT_FOUND', `no route ${line}`);
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private err(code: string, message: string): Error {
    return Object.assign(new Error(message), { name: code, errorCode: code });
  }

  private literals(soql: string): string[] {
    return [...soql.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1].replace(/\\(.)/g, '$1'));
  }

  private query(soql: string): { totalSize: number; done: boolean; records: unknown[] } {
    const values = this.literals(soql);
    let records: unknown[];
    if (/FROM UserLicense/i.test(soql)) records = this.userLicense && values[0] === this.userLicense.Name ? [this.userLicense] : [];
    else if (/FROM PermissionSetLicenseAssign/i.test(soql))
      records = this.pslAssignments.filter((a) => a.AssigneeId === values[0] && a.PermissionSetLicenseId === values[1]);
    else if (/FROM PermissionSetLicense/i.test(soql)) records = this.psl && values[0] === this.psl.DeveloperName ? [this.psl] : [];
    else if (/FROM Profile WHERE UserLicense.Name/i.test(soql))
      records = this.userLicense && values[0] === this.userLicense.Name ? this.profiles : [];
    // a production org (the environment read before every create)
    else if (/FROM Organization/i.test(soql)) records = [{ Id: '00D000000000001AAA', IsSandbox: false, TrialExpirationDate: null }];
    else if (/FROM UserRole/i.test(soql)) records = this.roles.filter((r) => r.DeveloperName === values[0]);
    else if (/FROM User WHERE Username IN/i.test(soql)) {
      const wanted = values.map((v) => v.toLowerCase());
      records = this.users
        .filter((u) => wanted.includes(String(u.Username).toLowerCase()))
        .map((u) => ({
          ...u,
          Profile: { Name: [...this.profiles, ...this.otherProfiles].find((p) => p.Id === u.ProfileId)?.Name },
        }));
    } else if (/FROM PermissionSetAssignment/i.test(soql)) {
      records = this.psAssignments
        .filter((a) => a.AssigneeId === values[0])
        .map((a) => {
          const set = this.permissionSets.find((p) => p.Id === a.PermissionSetId);
          // as the real org: Name without the namespace prefix, NamespacePrefix beside it
          return { ...a, PermissionSet: { Name: set?.Name, NamespacePrefix: set?.NamespacePrefix ?? null } };
        });
    } else if (/FROM PermissionSet WHERE Name IN/i.test(soql)) {
      const wanted = values.map((v) => v.toLowerCase());
      records = this.permissionSets.filter((p) => wanted.includes(String(p.Name).toLowerCase()));
    } else throw this.err('INVALID_FIELD', `fake org can't answer ${soql}`);
    return { totalSize: records.length, done: true, records };
  }

  private create(type: string, fields: Record<string, unknown>): { id: string; success: boolean; errors: unknown[] } {
    if (type === 'User') {
      if (this.userByName(String(fields.Username))) throw this.err('DUPLICATE_USERNAME', 'Duplicate Username.<br>The username already exists in this or another Salesforce organization.');
      const Id = newId('005');
      this.users.push({ Id, IsActive: true, ...fields });
      if (this.userLicense) this.userLicense.UsedLicenses = Number(this.userLicense.UsedLicenses) + 1;
      return { id: Id, success: true, errors: [] };
    }
    if (type === 'PermissionSetLicenseAssign') {
      if (this.pslAssignments.some((a) => a.AssigneeId === fields.AssigneeId && a.PermissionSetLicenseId === fields.PermissionSetLicenseId))
        throw this.err('DUPLICATE_VALUE', 'duplicate value found: PermissionSetLicenseId duplicates value on record with id: 2LA');
      const Id = newId('2LA');
      this.pslAssignments.push({ Id, ...fields });
      return { id: Id, success: true, errors: [] };
    }
    if (type === 'PermissionSetAssignment') {
      if (this.psAssignments.some((a) => a.AssigneeId === fields.AssigneeId && a.PermissionSetId === fields.PermissionSetId))
        throw this.err('DUPLICATE_VALUE', 'duplicate value found: <unknown> duplicates value on record with id: <unknown>');
      const Id = newId('0Pa');
      this.psAssignments.push({ Id, ...fields });
      return { id: Id, success: true, errors: [] };
    }
    throw this.err('NOT_FOUND', `fake org can't create ${type}`);
  }
}
