/**
 * SELECT of a plain query: each selected item becomes a step that writes its value into the output record, as
 * the REST API shapes it (parent lookups as nested records with attributes, child subqueries as nested results).
 */
import type { FieldSubquery, FieldType as SelectItem } from 'soql-parser-js';
import { ApiError } from '../errors.js';
import type { ObjectDef } from '../schema.js';
import type { Rec } from '../state.js';
import type { Compiler } from './compiler.js';
import { located, malformed } from './errors.js';
import { compileOrderBy } from './order.js';
import { selectedPath, type FormattedRecord, type Resolved } from './types.js';
import { format } from './values.js';
import { compileWhere } from './where.js';

type Step = (r: Rec, out: FormattedRecord) => void;

/** The function that turns a matching row into its output record. */
export function compileSelect(
  c: Compiler,
  obj: ObjectDef,
  fields: SelectItem[],
  alias?: string,
): (r: Rec) => FormattedRecord {
  const steps = fields.map((item) => step(c, obj, item, alias));
  const version = c.opts.apiVersion;
  return (r: Rec): FormattedRecord => {
    const out: FormattedRecord = {
      attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${r.Id}` },
    };
    for (const s of steps) s(r, out);
    return out;
  };
}

function step(c: Compiler, obj: ObjectDef, item: SelectItem, alias?: string): Step {
  if (item.type === 'Field' || item.type === 'FieldRelationship') {
    const path = selectedPath(item);
    if (/^FIELDS\(/i.test(path)) throw malformed(c.soql, 'FIELDS() is not supported by the emulator', 'FIELDS');
    const res = c.resolve(obj, path, alias);
    return res.chain.length === 0 ? fieldStep(res) : lookupStep(c, res);
  }
  if (item.type === 'FieldSubquery') return subqueryStep(c, obj, item);
  if (item.type === 'FieldFunctionExpression')
    throw malformed(c.soql, `function ${item.functionName} is not supported here by the emulator`, item.functionName);
  throw malformed(c.soql, 'TYPEOF is not supported by the emulator', 'TYPEOF');
}

function fieldStep(res: Resolved): Step {
  const f = res.field;
  return (r, out) => {
    out[f.name] = format(f, res.get(r));
  };
}

/** A field through lookups: nested records per relationship (null where the lookup is empty). */
function lookupStep(c: Compiler, res: Resolved): Step {
  const { org } = c;
  const version = c.opts.apiVersion;
  const { chain, field: f } = res;
  const leaf = f.computed ?? ((x: Rec): unknown => x[f.name]);
  return (r, out) => {
    let cur: Rec | undefined = r;
    let target: FormattedRecord = out;
    for (const ref of chain) {
      const next = org.get(cur[ref.name] as string);
      const key = ref.relationshipName!;
      if (!next) {
        if (!(key in target)) target[key] = null;
        return;
      }
      let nested = target[key] as FormattedRecord | null | undefined;
      if (!nested) {
        const type = org.objectOf(next.Id)!.name;
        nested = { attributes: { type, url: `/services/data/v${version}/sobjects/${type}/${next.Id}` } };
        target[key] = nested;
      }
      target = nested;
      cur = next;
    }
    target[f.name] = format(f, leaf(cur));
  };
}

/** A child subquery: the parent's children (indexed by parent once per query), filtered, ordered, limited. */
function subqueryStep(c: Compiler, obj: ObjectDef, item: FieldSubquery): Step {
  const sub = item.subquery;
  const rel = c.org.schema.childAt(obj, sub.relationshipName, c.opts.apiVersion);
  if (!rel || c.hidden(rel.childSObject)) {
    throw new ApiError(
      'INVALID_TYPE',
      located(
        c.soql,
        sub.relationshipName,
        `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
      ),
    );
  }
  const childObj = c.org.schema.get(rel.childSObject)!;
  if (sub.groupBy || sub.having)
    throw malformed(c.soql, 'aggregates in child subqueries are not supported', sub.relationshipName);
  const childPred = compileWhere(c, childObj, sub.where);
  const childSelect = compileSelect(c, childObj, sub.fields ?? [], undefined);
  const childOrder = compileOrderBy(c, childObj, sub.orderBy);
  let index: Map<unknown, Rec[]> | undefined;
  return (r, out) => {
    index ??= childrenByParent(c.org.table(childObj.name).values(), childPred, rel.field);
    let kids = [...(index.get(r.Id) ?? [])];
    if (childOrder) kids.sort(childOrder);
    if (sub.offset) kids = kids.slice(sub.offset);
    if (sub.limit !== undefined) kids = kids.slice(0, sub.limit);
    out[rel.relationshipName] = kids.length
      ? { totalSize: kids.length, done: true, records: kids.map(childSelect) }
      : null;
  };
}

function childrenByParent(rows: Iterable<Rec>, keep: (r: Rec) => boolean, fk: string): Map<unknown, Rec[]> {
  const index = new Map<unknown, Rec[]>();
  for (const c of rows) {
    if (!keep(c)) continue;
    const list = index.get(c[fk]);
    if (list) list.push(c);
    else index.set(c[fk], [c]);
  }
  return index;
}
