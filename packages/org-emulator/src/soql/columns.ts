/** A query's column metadata (REST `?columns=true`), as the Developer Console and `sf data query` read it. */
import type { Query } from 'soql-parser-js';
import type { FieldDef, ObjectDef } from '../schema.js';
import type { Compiler } from './compiler.js';
import { selectedPath } from './types.js';

type Column = Record<string, unknown>;

const APEX_TYPES: Readonly<Record<string, string>> = {
  id: 'Id',
  reference: 'Id',
  boolean: 'Boolean',
  int: 'Integer',
  long: 'Long',
  double: 'Double',
  currency: 'Decimal',
  date: 'Date',
  datetime: 'Datetime',
};

export function queryColumnsOf(c: Compiler, q: Query): Record<string, unknown> {
  const obj = c.object(q.sObject);
  const cols: Column[] = [];
  let expr = 0;
  const groupBy = !!q.groupBy;
  for (const item of q.fields ?? []) {
    if (item.type === 'FieldFunctionExpression') {
      cols.push(column(item.alias ?? `expr${expr++}`, item.rawValue ?? item.functionName, true, []));
    } else if (item.type === 'Field' || item.type === 'FieldRelationship') {
      addFieldColumn(c, obj, cols, selectedPath(item), q.sObjectAlias);
    } else if (item.type === 'FieldSubquery') {
      const name = item.subquery.relationshipName;
      const rel = c.org.schema.childAt(obj, name, c.opts.apiVersion);
      const child = rel ? c.org.schema.get(rel.childSObject)! : undefined;
      const sub = child
        ? (queryColumnsOf(c, { ...item.subquery, sObject: child.name }).columnMetadata as Column[])
        : [];
      cols.push(column(name, name, true, sub));
    }
  }
  return {
    columnMetadata: cols,
    entityName:
      groupBy || cols.some((x) => x.aggregate && !(x.joinColumns as unknown[]).length) ? 'AggregateResult' : obj.name,
    groupBy,
    idSelected: (q.fields ?? []).some((f) => f.type === 'Field' && f.field.toLowerCase() === 'id'),
    keyPrefix: obj.keyPrefix,
  };
}

/** A field, nested under one join column per lookup of its path (shared by fields through the same lookup). */
function addFieldColumn(c: Compiler, obj: ObjectDef, cols: Column[], path: string, alias?: string): void {
  const res = c.resolve(obj, path, alias);
  let level = cols;
  for (const ref of res.chain) {
    let join = level.find((x) => x.columnName === ref.relationshipName);
    if (!join) {
      join = column(ref.relationshipName!, ref.relationshipName!, false, []);
      level.push(join);
    }
    level = join.joinColumns as Column[];
  }
  level.push(fieldColumn(res.field));
}

function column(name: string, display: string, aggregate: boolean, joinColumns: Column[]): Column {
  return {
    aggregate,
    apexType: null,
    booleanType: false,
    columnName: name,
    custom: false,
    displayName: display,
    foreignKeyName: null,
    insertable: false,
    joinColumns,
    numberType: false,
    textType: false,
    updatable: false,
  };
}

function fieldColumn(f: FieldDef): Column {
  return {
    ...column(f.name, f.name, false, []),
    apexType: APEX_TYPES[f.type] ?? 'String',
    booleanType: f.type === 'boolean',
    custom: f.custom,
    insertable: f.createable,
    numberType: ['int', 'long', 'double', 'currency'].includes(f.type),
    textType: !['boolean', 'int', 'long', 'double', 'currency', 'date', 'datetime'].includes(f.type),
    updatable: f.updateable,
  };
}
