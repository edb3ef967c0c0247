/** The shapes the SOQL engine takes and gives. */
import type { FieldDef, ObjectDef } from '../schema.js';
import type { Rec } from '../state.js';

export type QueryOptions = {
  tooling?: boolean;
  apiVersion: string;
  /** lower-case names of objects the running user cannot read: answered as if they did not exist */
  unreadable?: ReadonlySet<string>;
};
export type FormattedRecord = Record<string, unknown>;
export type QueryOutput = { totalSize: number; records: FormattedRecord[] };

/**
 * A query's answer, formatted on demand: plain queries keep references to the matching rows (no copies) and
 * format a page when it is asked for; aggregate results are the (small) list of groups.
 */
export type ResultSet = {
  readonly totalSize: number;
  /** rows the result holds (0 for COUNT()) */
  readonly size: number;
  /** GROUP BY or aggregate functions: Salesforce cannot page such a result */
  readonly aggregate: boolean;
  /** the FROM object */
  readonly sObject: string;
  page(start: number, end: number): FormattedRecord[];
};

export type Accessor = (r: Rec) => unknown;
export type Predicate = (r: Rec) => boolean;
/** A field path resolved from an object: how to read it from a row, the field, the lookups crossed, the field's object. */
export type Resolved = { get: Accessor; field: FieldDef; chain: FieldDef[]; object: ObjectDef };

/** A selected field path as written: `Name`, `Owner.Profile.Name`. */
export function selectedPath(item: {
  type: string;
  field?: string;
  rawValue?: string;
  relationships?: string[];
}): string {
  if (item.type === 'Field') return item.field!;
  return item.rawValue ?? [...item.relationships!, item.field!].join('.');
}
