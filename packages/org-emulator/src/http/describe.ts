/** sObject describe bodies at a request's API version: describeGlobal, an object's basic info, its full describe. */
import { permissionFieldLabel } from '../permission-labels.js';
import type { FieldDef } from '../schema.js';
import type { OrgState } from '../state.js';

const SOAP_TYPES: Readonly<Record<string, string>> = {
  datetime: 'dateTime',
  int: 'int',
  boolean: 'boolean',
  date: 'date',
  double: 'double',
  currency: 'double',
};

export function describeBasic(org: OrgState, name: string, version: string): Record<string, unknown> {
  const obj = org.schema.get(name)!;
  return {
    name: obj.name,
    label: obj.label,
    labelPlural: `${obj.label}s`,
    keyPrefix: obj.keyPrefix,
    custom: obj.custom,
    createable: obj.createable,
    updateable: obj.updateable,
    deletable: obj.deletable,
    queryable: true,
    retrieveable: true,
    searchable: !obj.custom,
    layoutable: true,
    urls: {
      sobject: `/services/data/v${version}/sobjects/${obj.name}`,
      describe: `/services/data/v${version}/sobjects/${obj.name}/describe`,
      rowTemplate: `/services/data/v${version}/sobjects/${obj.name}/{ID}`,
    },
  };
}

/** The objects the running user can see at the version (tooling-only and unreadable ones left out). */
export function describeGlobal(org: OrgState, version: string): Record<string, unknown> {
  const unreadable = org.unreadable();
  return {
    encoding: 'UTF-8',
    maxBatchSize: 200,
    sobjects: [...org.schema.objects.values()]
      .filter((o) => !o.toolingOnly && !unreadable.has(o.name.toLowerCase()) && org.schema.objectAt(o.name, version))
      .map((o) => describeBasic(org, o.name, version)),
  };
}

export function describe(org: OrgState, name: string, version: string): Record<string, unknown> {
  const obj = org.schema.get(name)!;
  return {
    ...describeBasic(org, name, version),
    fields: org.schema.fieldsAt(obj, version).map(describeField),
    childRelationships: [...obj.children.values()]
      .filter((c) => org.schema.childAt(obj, c.relationshipName, version))
      .map((c) => ({
        childSObject: c.childSObject,
        field: c.field,
        relationshipName: c.relationshipName,
        cascadeDelete: false,
      })),
    recordTypeInfos: [],
  };
}

function describeField(f: FieldDef): Record<string, unknown> {
  return {
    name: f.name,
    label: f.type === 'boolean' ? permissionFieldLabel(f.name, f.label) : f.label,
    type: f.type,
    custom: f.custom,
    createable: f.createable,
    updateable: f.updateable,
    nillable: f.nillable,
    permissionable: f.permissionable,
    referenceTo: (f.referenceTo ?? []).filter((t) => t !== '*'),
    relationshipName: f.relationshipName ?? null,
    calculated: !!f.computed || !!f.formula,
    length: ['string', 'textarea', 'email', 'picklist'].includes(f.type) ? 255 : 0,
    soapType: f.type === 'id' || f.type === 'reference' ? 'tns:ID' : `xsd:${SOAP_TYPES[f.type] ?? 'string'}`,
  };
}
