/**
 * SOQL engine: parses with soql-parser-js, compiles the query into closures (one pass over the table), and
 * answers with Salesforce's record shapes. Anything it cannot evaluate faithfully is MALFORMED_QUERY.
 */
import soqlParser from 'soql-parser-js';
import type {
  Condition,
  FieldType as SelectItem,
  HavingClause,
  OrderByClause,
  Query,
  ValueQueryCondition,
  WhereClause,
} from 'soql-parser-js';
import { ApiError } from './errors.js';
import { looksLikeId, to18 } from './ids.js';
import type { FieldDef, ObjectDef } from './schema.js';
import { formatDateTime, type OrgState, type Rec } from './state.js';

const { parseQuery } = soqlParser;

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

type Accessor = (r: Rec) => unknown;
type Resolved = { get: Accessor; field: FieldDef; chain: FieldDef[]; object: ObjectDef };

const DAY = 86_400_000;

// ---- errors -----------------------------------------------------------------------------------

function located(soql: string, token: string | undefined, text: string): string {
  let col = token ? soql.toLowerCase().indexOf(token.toLowerCase()) : 0;
  if (col < 0) col = 0;
  return `\n${soql}\n${' '.repeat(col)}^\nERROR at Row:1:Column:${col + 1}\n${text}`;
}

function malformed(soql: string, text: string, token?: string): ApiError {
  return new ApiError('MALFORMED_QUERY', located(soql, token, text));
}

// ---- compile context ---------------------------------------------------------------------------

class Compiler {
  public constructor(
    private readonly org: OrgState,
    private readonly soql: string,
    private readonly opts: QueryOptions,
  ) {}

  private hidden(name: string): boolean {
    return !!this.opts.unreadable?.has(name.toLowerCase());
  }

  public object(name: string | undefined): ObjectDef {
    const obj = name ? this.org.schema.objectAt(name, this.opts.apiVersion) : undefined;
    // an object the user may not read is answered exactly like one that does not exist
    if (!obj || (obj.toolingOnly && !this.opts.tooling) || this.hidden(obj.name)) {
      throw new ApiError(
        'INVALID_TYPE',
        located(
          this.soql,
          name,
          `sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    return obj;
  }

  /** Resolves `A.B.Field` from obj (an optional leading object name/alias is skipped). */
  public resolve(obj: ObjectDef, path: string, alias?: string): Resolved {
    let parts = path.split('.');
    if (
      parts.length > 1 &&
      (parts[0].toLowerCase() === obj.name.toLowerCase() ||
        (alias && parts[0].toLowerCase() === alias.toLowerCase())) &&
      !obj.relationships.has(parts[0].toLowerCase())
    ) {
      parts = parts.slice(1);
    }
    const chain: FieldDef[] = [];
    let cur = obj;
    for (let i = 0; i < parts.length - 1; i++) {
      const ref = this.org.schema.relationshipAt(cur, parts[i], this.opts.apiVersion);
      if (!ref || ref.referenceTo!.every((t) => this.hidden(t))) {
        throw new ApiError(
          'INVALID_FIELD',
          located(
            this.soql,
            path,
            `Didn't understand relationship '${parts[i]}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
          ),
        );
      }
      chain.push(ref);
      cur = this.target(ref, path);
    }
    const last = parts[parts.length - 1];
    const field = this.org.schema.fieldAt(cur, last, this.opts.apiVersion);
    if (!field) {
      throw new ApiError(
        'INVALID_FIELD',
        located(
          this.soql,
          path,
          `No such column '${last}' on entity '${cur.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    const org = this.org;
    const leaf = field.computed ? field.computed : (r: Rec): unknown => r[field.name];
    let get: Accessor = leaf as Accessor;
    for (let i = chain.length - 1; i >= 0; i--) {
      const ref = chain[i];
      const inner = get;
      get = (r: Rec): unknown => {
        const target = org.get(r[ref.name] as string);
        return target ? inner(target) : null;
      };
    }
    return { get, field, chain, object: cur };
  }

  /** The object a lookup leads to: polymorphic lookups expose the fields their targets share (plus the first's). */
  private target(ref: FieldDef, path: string): ObjectDef {
    const targets = ref.referenceTo!.filter((t) => t === '*' || this.org.schema.objectAt(t, this.opts.apiVersion));
    if (!targets.length) {
      // the data names a target the emulator does not serve (e.g. BusinessHours): say so rather than guess
      throw malformed(
        this.soql,
        `the org emulator does not serve ${ref.referenceTo!.join(', ')} (relationship ${ref.relationshipName})`,
        path,
      );
    }
    if (targets.length === 1 && targets[0] !== '*') return this.org.schema.get(targets[0])!;
    return polymorphicView(this.org, targets);
  }

  // ---- WHERE ------------------------------------------------------------------------------------

  public where(obj: ObjectDef, clause: WhereClause | undefined, alias?: string): (r: Rec) => boolean {
    if (!clause) return () => true;
    const tokens: Array<string | ((r: Rec) => boolean)> = [];
    let node: WhereClause | undefined = clause;
    while (node) {
      const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
      if (left) {
        for (let i = 0; i < (left.openParen ?? 0); i++) tokens.push('(');
        if ('field' in left || 'fn' in left) tokens.push(this.condition(obj, left as Condition, alias));
        for (let i = 0; i < (left.closeParen ?? 0); i++) tokens.push(')');
      }
      if ('operator' in node && node.operator) tokens.push(node.operator.toUpperCase());
      node = 'right' in node ? (node.right as WhereClause | undefined) : undefined;
    }
    let pos = 0;
    const soql = this.soql;
    const expectPred = (): ((r: Rec) => boolean) => {
      const t = tokens[pos++];
      if (t === 'NOT') {
        const inner = expectPred();
        return (r) => !inner(r);
      }
      if (t === '(') {
        const inner = parseOr();
        if (tokens[pos++] !== ')') throw malformed(soql, 'unbalanced parentheses in WHERE');
        return inner;
      }
      if (typeof t === 'function') return t;
      throw malformed(soql, `unexpected token in WHERE: ${String(t)}`);
    };
    const parseAnd = (): ((r: Rec) => boolean) => {
      const parts = [expectPred()];
      while (tokens[pos] === 'AND') {
        pos++;
        parts.push(expectPred());
      }
      return parts.length === 1 ? parts[0] : (r): boolean => parts.every((p) => p(r));
    };
    const parseOr = (): ((r: Rec) => boolean) => {
      const parts = [parseAnd()];
      while (tokens[pos] === 'OR') {
        pos++;
        parts.push(parseAnd());
      }
      return parts.length === 1 ? parts[0] : (r): boolean => parts.some((p) => p(r));
    };
    const pred = parseOr();
    if (pos !== tokens.length) throw malformed(soql, 'unexpected token in WHERE');
    return pred;
  }

  private condition(obj: ObjectDef, c: Condition, alias?: string): (r: Rec) => boolean {
    if ('fn' in c)
      throw malformed(this.soql, 'functions in WHERE are not supported by the emulator', c.fn.functionName);
    const cond = c as Condition & {
      field: string;
      operator: string;
      value?: string | string[];
      literalType?: string | string[];
      valueQuery?: Query;
      dateLiteralVariable?: number | number[];
    };
    const res = this.resolve(obj, cond.field, alias);
    const op = cond.operator.toUpperCase();
    const get = res.get;
    if (cond.literalType === 'SUBQUERY' || cond.valueQuery) {
      if (op !== 'IN' && op !== 'NOT IN') throw malformed(this.soql, 'semi-join requires IN or NOT IN', cond.field);
      const ids = this.semiJoin((cond as ValueQueryCondition).valueQuery);
      return op === 'IN' ? (r): boolean => ids.has(get(r) as string) : (r): boolean => !ids.has(get(r) as string);
    }
    if (op === 'INCLUDES' || op === 'EXCLUDES')
      throw malformed(this.soql, `${op} is not supported by the emulator`, op);
    const values = Array.isArray(cond.value) ? cond.value : [cond.value];
    const types = Array.isArray(cond.literalType) ? cond.literalType : values.map(() => cond.literalType as string);
    const vars = Array.isArray(cond.dateLiteralVariable)
      ? cond.dateLiteralVariable
      : values.map(() => cond.dateLiteralVariable as number);
    const f = res.field;
    if (op === 'IN' || op === 'NOT IN') {
      const set = new Set(values.map((v, i) => keyOf(f, this.literal(f, String(v), types[i], vars[i]))));
      return op === 'IN' ? (r): boolean => set.has(keyOf(f, get(r))) : (r): boolean => !set.has(keyOf(f, get(r)));
    }
    const lit = this.literal(f, String(values[0]), types[0], vars[0]);
    if (op === 'LIKE') {
      if (typeof lit !== 'string') throw malformed(this.soql, 'LIKE needs a string', cond.field);
      const re = likeRegex(lit);
      return (r): boolean => {
        const v = get(r);
        return typeof v === 'string' && re.test(v);
      };
    }
    if (lit instanceof Range) {
      const { start, end } = lit;
      const num = (r: Rec): number | null => {
        const v = get(r);
        if (v === null || v === undefined) return null;
        return typeof v === 'number' ? v : Date.parse(String(v));
      };
      switch (op) {
        case '=':
          return (r): boolean => {
            const v = num(r);
            return v !== null && v >= start && v < end;
          };
        case '!=':
          return (r): boolean => {
            const v = num(r);
            return v === null || v < start || v >= end;
          };
        case '<':
          return (r): boolean => {
            const v = num(r);
            return v !== null && v < start;
          };
        case '<=':
          return (r): boolean => {
            const v = num(r);
            return v !== null && v < end;
          };
        case '>':
          return (r): boolean => {
            const v = num(r);
            return v !== null && v >= end;
          };
        case '>=':
          return (r): boolean => {
            const v = num(r);
            return v !== null && v >= start;
          };
        default:
          throw malformed(this.soql, `operator ${op} not supported with date literals`, op);
      }
    }
    const key = keyOf(f, lit);
    switch (op) {
      case '=':
        return (r): boolean => keyOf(f, get(r)) === key;
      case '!=':
        return (r): boolean => keyOf(f, get(r)) !== key;
      case '<':
      case '<=':
      case '>':
      case '>=': {
        if (key === null) throw malformed(this.soql, `operator ${op} cannot compare with null`, op);
        const cmp = (r: Rec): number | null => {
          const v = keyOf(f, get(r));
          if (v === null || v === undefined) return null;
          return v < key ? -1 : v > key ? 1 : 0;
        };
        if (op === '<') return (r): boolean => cmp(r) === -1;
        if (op === '<=')
          return (r): boolean => {
            const c2 = cmp(r);
            return c2 === -1 || c2 === 0;
          };
        if (op === '>') return (r): boolean => cmp(r) === 1;
        return (r): boolean => {
          const c2 = cmp(r);
          return c2 === 1 || c2 === 0;
        };
      }
      default:
        throw malformed(this.soql, `unsupported operator ${op}`, op);
    }
  }

  private semiJoin(q: Query): Set<unknown> {
    const obj = this.object(q.sObject);
    const fields = q.fields ?? [];
    if (fields.length !== 1 || fields[0].type !== 'Field')
      throw malformed(this.soql, 'a semi-join subquery must select exactly one Id field', q.sObject);
    const res = this.resolve(obj, (fields[0] as { field: string }).field);
    if (res.field.type !== 'id' && res.field.type !== 'reference')
      throw malformed(
        this.soql,
        'a semi-join subquery must select an Id or reference field',
        (fields[0] as { field: string }).field,
      );
    if (q.groupBy || q.orderBy || q.having)
      throw malformed(this.soql, 'semi-join subqueries cannot use GROUP BY, ORDER BY or HAVING', q.sObject);
    const pred = this.where(obj, q.where, q.sObjectAlias);
    const out = new Set<unknown>();
    for (const r of this.org.table(obj.name).values()) if (pred(r)) out.add(res.get(r));
    return out;
  }

  /** Converts a literal to the field's stored form (or a Range for date literals). */
  private literal(f: FieldDef, raw: string, type: string | undefined, n: number | undefined): unknown {
    const bad = (): ApiError =>
      new ApiError(
        'INVALID_QUERY_FILTER_OPERATOR',
        located(
          this.soql,
          raw,
          `value of filter criterion for field '${f.name}' must be of type ${f.type} and should not be enclosed in quotes`,
        ),
      );
    switch (type) {
      case 'NULL':
        return null;
      case 'STRING': {
        const s = unquote(raw);
        if (
          f.type === 'boolean' ||
          f.type === 'int' ||
          f.type === 'long' ||
          f.type === 'double' ||
          f.type === 'currency' ||
          f.type === 'datetime' ||
          f.type === 'date'
        )
          throw bad();
        return (f.type === 'id' || f.type === 'reference') && looksLikeId(s) ? to18(s) : s;
      }
      case 'BOOLEAN':
        if (f.type !== 'boolean') throw bad();
        return raw.toUpperCase() === 'TRUE';
      case 'INTEGER':
      case 'DECIMAL':
        if (!['int', 'long', 'double', 'currency'].includes(f.type)) throw bad();
        return Number(raw);
      case 'DATETIME':
        if (f.type !== 'datetime') throw bad();
        return Date.parse(raw.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
      case 'DATE':
        if (f.type !== 'date') throw bad();
        return raw;
      case 'DATE_LITERAL':
      case 'DATE_N_LITERAL': {
        if (f.type !== 'date' && f.type !== 'datetime') throw bad();
        return dateRange(this.soql, raw, n);
      }
      default:
        throw malformed(this.soql, `unsupported literal ${raw}`, raw);
    }
  }

  // ---- SELECT -----------------------------------------------------------------------------------

  public run(q: Query): ResultSet {
    if (q.withDataCategory || q.for || q.update || q.usingScope)
      throw malformed(this.soql, 'clause not supported by the emulator');
    const obj = this.object(q.sObject);
    const alias = q.sObjectAlias;
    const fields = q.fields ?? [];
    const pred = this.where(obj, q.where, alias);
    const groupBy = q.groupBy ? (Array.isArray(q.groupBy) ? q.groupBy : [q.groupBy]) : [];
    const hasAggregate = fields.some((f) => f.type === 'FieldFunctionExpression' && f.isAggregateFn);
    const countOnly =
      fields.length === 1 &&
      fields[0].type === 'FieldFunctionExpression' &&
      fields[0].functionName?.toUpperCase() === 'COUNT' &&
      fields[0].parameters.length === 0;
    if (countOnly) {
      if (groupBy.length) throw malformed(this.soql, 'COUNT() cannot be used with GROUP BY', 'COUNT');
      let n = 0;
      for (const r of this.org.table(obj.name).values()) if (pred(r)) n++;
      if (q.offset) n = Math.max(0, n - q.offset);
      if (q.limit !== undefined) n = Math.min(n, q.limit);
      return { totalSize: n, size: 0, aggregate: false, sObject: obj.name, page: () => [] };
    }
    if (hasAggregate || groupBy.length) {
      const rows = this.aggregate(q, obj, pred, groupBy);
      return {
        totalSize: rows.length,
        size: rows.length,
        aggregate: true,
        sObject: obj.name,
        page: (start, end) => rows.slice(start, end),
      };
    }
    const select = this.selectors(obj, fields, alias);
    const order = this.orderBy(obj, q.orderBy, alias);
    let matched: Rec[] = [];
    for (const r of this.org.table(obj.name).values()) if (pred(r)) matched.push(r);
    if (order) matched.sort(order);
    if (q.offset) matched = matched.slice(q.offset);
    if (q.limit !== undefined) matched = matched.slice(0, q.limit);
    const rows = matched;
    return {
      totalSize: rows.length,
      size: rows.length,
      aggregate: false,
      sObject: obj.name,
      page: (start, end) => rows.slice(start, end).map(select),
    };
  }

  private selectors(obj: ObjectDef, fields: SelectItem[], alias?: string): (r: Rec) => FormattedRecord {
    type Step = (r: Rec, out: FormattedRecord) => void;
    const steps: Step[] = [];
    const org = this.org;
    const version = this.opts.apiVersion;
    for (const item of fields) {
      if (item.type === 'Field' || item.type === 'FieldRelationship') {
        const path =
          item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
        if (/^FIELDS\(/i.test(path)) throw malformed(this.soql, 'FIELDS() is not supported by the emulator', 'FIELDS');
        const res = this.resolve(obj, path, alias);
        if (res.chain.length === 0) {
          const f = res.field;
          steps.push((r, out) => {
            out[f.name] = format(f, res.get(r));
          });
        } else {
          const chain = res.chain;
          const f = res.field;
          const leaf = f.computed ?? ((x: Rec): unknown => x[f.name]);
          steps.push((r, out) => {
            let cur: Rec | undefined = r;
            let target: FormattedRecord = out;
            for (const ref of chain) {
              const next = org.get(cur![ref.name] as string);
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
            target[f.name] = format(f, leaf(cur!));
          });
        }
      } else if (item.type === 'FieldSubquery') {
        const sub = item.subquery;
        const rel = this.org.schema.childAt(obj, sub.relationshipName, this.opts.apiVersion);
        if (!rel || this.hidden(rel.childSObject)) {
          throw new ApiError(
            'INVALID_TYPE',
            located(
              this.soql,
              sub.relationshipName,
              `Didn't understand relationship '${sub.relationshipName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
            ),
          );
        }
        const childObj = this.org.schema.get(rel.childSObject)!;
        if (sub.groupBy || sub.having)
          throw malformed(this.soql, 'aggregates in child subqueries are not supported', sub.relationshipName);
        const childPred = this.where(childObj, sub.where);
        const childSelect = this.selectors(childObj, sub.fields ?? [], undefined);
        const childOrder = this.orderBy(childObj, sub.orderBy);
        const fk = rel.field;
        // index children by parent once per query
        let index: Map<unknown, Rec[]> | undefined;
        steps.push((r, out) => {
          if (!index) {
            index = new Map();
            for (const c of org.table(childObj.name).values()) {
              if (!childPred(c)) continue;
              const k = c[fk];
              const list = index.get(k);
              if (list) list.push(c);
              else index.set(k, [c]);
            }
          }
          let kids = [...(index.get(r.Id) ?? [])];
          if (childOrder) kids.sort(childOrder);
          if (sub.offset) kids = kids.slice(sub.offset);
          if (sub.limit !== undefined) kids = kids.slice(0, sub.limit);
          out[rel.relationshipName] = kids.length
            ? { totalSize: kids.length, done: true, records: kids.map(childSelect) }
            : null;
        });
      } else if (item.type === 'FieldFunctionExpression') {
        throw malformed(
          this.soql,
          `function ${item.functionName} is not supported here by the emulator`,
          item.functionName,
        );
      } else {
        throw malformed(this.soql, 'TYPEOF is not supported by the emulator', 'TYPEOF');
      }
    }
    return (r: Rec): FormattedRecord => {
      const out: FormattedRecord = {
        attributes: { type: obj.name, url: `/services/data/v${version}/sobjects/${obj.name}/${r.Id}` },
      };
      for (const s of steps) s(r, out);
      return out;
    };
  }

  private orderBy(
    obj: ObjectDef,
    clause: OrderByClause | OrderByClause[] | undefined,
    alias?: string,
  ): ((a: Rec, b: Rec) => number) | undefined {
    if (!clause) return undefined;
    const list = Array.isArray(clause) ? clause : [clause];
    const keys = list.map((c) => {
      if (!('field' in c))
        throw malformed(this.soql, 'ORDER BY a function is only supported in aggregate queries', 'ORDER BY');
      const res = this.resolve(obj, c.field, alias);
      const desc = c.order === 'DESC';
      const nullsLast = c.nulls ? c.nulls === 'LAST' : desc;
      return { get: (r: Rec) => keyOf(res.field, res.get(r)), desc, nullsLast };
    });
    return (a, b) => {
      for (const k of keys) {
        const c = compare(k.get(a), k.get(b), k.desc, k.nullsLast);
        if (c) return c;
      }
      return 0;
    };
  }

  // ---- aggregates ---------------------------------------------------------------------------------

  private aggregate(
    q: Query,
    obj: ObjectDef,
    pred: (r: Rec) => boolean,
    groupBy: Array<{ field?: string; fn?: unknown }>,
  ): FormattedRecord[] {
    const alias = q.sObjectAlias;
    const groups = groupBy.map((g) => {
      if (!g.field)
        throw malformed(
          this.soql,
          'GROUP BY functions (ROLLUP, CUBE, date functions) are not supported by the emulator',
          'GROUP BY',
        );
      return { path: g.field.toLowerCase(), res: this.resolve(obj, g.field, alias) };
    });
    type Agg = { fn: string; res?: Resolved; key: string; raw: string };
    const outCols: Array<{ kind: 'group'; idx: number; key: string } | { kind: 'agg'; idx: number; key: string }> = [];
    const aggs: Agg[] = [];
    let expr = 0;
    for (const item of q.fields ?? []) {
      if (item.type === 'FieldFunctionExpression' && item.isAggregateFn) {
        const fn = item.functionName.toUpperCase();
        if (!['COUNT', 'COUNT_DISTINCT', 'MAX', 'MIN', 'SUM', 'AVG'].includes(fn))
          throw malformed(this.soql, `aggregate ${fn} not supported`, fn);
        const param = item.parameters[0];
        if (typeof param === 'object')
          throw malformed(this.soql, 'nested functions are not supported by the emulator', fn);
        const res = param ? this.resolve(obj, param, alias) : undefined;
        const key = item.alias ?? `expr${expr++}`;
        aggs.push({ fn, res, key, raw: (item.rawValue ?? `${fn}(${param ?? ''})`).replace(/\s+/g, '').toLowerCase() });
        outCols.push({ kind: 'agg', idx: aggs.length - 1, key });
      } else if (item.type === 'Field' || item.type === 'FieldRelationship') {
        const path =
          item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
        const idx = groups.findIndex(
          (g) =>
            g.path === path.toLowerCase() ||
            (g.res.field === this.resolve(obj, path, alias).field && g.path.endsWith(path.toLowerCase())),
        );
        if (idx === -1)
          throw malformed(this.soql, `Field must be grouped or aggregated: ${path.split('.').pop()}`, path);
        outCols.push({ kind: 'group', idx, key: (item as { alias?: string }).alias ?? groups[idx].res.field.name });
      } else {
        throw malformed(this.soql, 'unsupported item in an aggregate query', 'SELECT');
      }
    }
    type Bucket = { keys: unknown[]; acc: Array<{ n: number; v: unknown; set?: Set<unknown> }> };
    const buckets = new Map<string, Bucket>();
    const gGets = groups.map((g) => g.res.get);
    for (const r of this.org.table(obj.name).values()) {
      if (!pred(r)) continue;
      const keys = gGets.map((g) => g(r));
      const k = keys.length === 1 ? String(keys[0]) : keys.map(String).join('\u0000');
      let b = buckets.get(k);
      if (!b) {
        b = { keys, acc: aggs.map((a) => ({ n: 0, v: null, set: a.fn === 'COUNT_DISTINCT' ? new Set() : undefined })) };
        buckets.set(k, b);
      }
      for (let i = 0; i < aggs.length; i++) {
        const a = aggs[i];
        const acc = b.acc[i];
        const v = a.res ? a.res.get(r) : 1;
        if (v === null || v === undefined) continue;
        switch (a.fn) {
          case 'COUNT':
            acc.n++;
            break;
          case 'COUNT_DISTINCT':
            acc.set!.add(v);
            break;
          case 'MAX':
            if (acc.v === null || (v as number) > (acc.v as number)) acc.v = v;
            break;
          case 'MIN':
            if (acc.v === null || (v as number) < (acc.v as number)) acc.v = v;
            break;
          default:
            acc.n++;
            acc.v = ((acc.v as number | null) ?? 0) + Number(v);
        }
      }
    }
    if (!groups.length && buckets.size === 0)
      buckets.set('', {
        keys: [],
        acc: aggs.map((a) => ({ n: 0, v: null, set: a.fn === 'COUNT_DISTINCT' ? new Set() : undefined })),
      });
    const value = (a: Agg, acc: { n: number; v: unknown; set?: Set<unknown> }): unknown => {
      switch (a.fn) {
        case 'COUNT':
          return acc.n;
        case 'COUNT_DISTINCT':
          return acc.set!.size;
        case 'AVG':
          return acc.n ? (acc.v as number) / acc.n : null;
        case 'SUM':
          return acc.v;
        default:
          return acc.v === null ? null : format(a.res!.field, acc.v);
      }
    };
    let list = [...buckets.values()];
    if (q.having) {
      const h = this.having(q.having, aggs, value);
      list = list.filter(h);
    }
    if (q.orderBy) {
      const clauses = Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
      const keys = clauses.map((c) => {
        const desc = c.order === 'DESC';
        const nullsLast = c.nulls ? c.nulls === 'LAST' : desc;
        if ('field' in c) {
          const idx = groups.findIndex((g) => g.path === c.field.toLowerCase());
          if (idx === -1)
            throw malformed(this.soql, `Ordered field must be grouped or aggregated: ${c.field}`, c.field);
          return { get: (b: Bucket) => keyOf(groups[idx].res.field, b.keys[idx]), desc, nullsLast };
        }
        const raw = (c.fn.rawValue ?? '').replace(/\s+/g, '').toLowerCase();
        const ai = aggs.findIndex((a) => a.raw === raw);
        if (ai === -1)
          throw malformed(
            this.soql,
            `ORDER BY ${c.fn.rawValue} must be an aggregate in the SELECT list (emulator)`,
            c.fn.rawValue,
          );
        return { get: (b: Bucket) => value(aggs[ai], b.acc[ai]) as unknown, desc, nullsLast };
      });
      list.sort((a, b) => {
        for (const k of keys) {
          const c = compare(k.get(a), k.get(b), k.desc, k.nullsLast);
          if (c) return c;
        }
        return 0;
      });
    }
    if (q.offset) list = list.slice(q.offset);
    if (q.limit !== undefined) list = list.slice(0, q.limit);
    const rows = list.map((b) => {
      const out: FormattedRecord = { attributes: { type: 'AggregateResult' } };
      for (const c of outCols) {
        out[c.key] =
          c.kind === 'group' ? format(groups[c.idx].res.field, b.keys[c.idx]) : value(aggs[c.idx], b.acc[c.idx]);
      }
      return out;
    });
    return rows;
  }

  private having(
    clause: HavingClause,
    aggs: Array<{ raw: string }>,
    value: (a: never, acc: never) => unknown,
  ): (b: { acc: unknown[] }) => boolean {
    const parts: Array<(b: { acc: unknown[] }) => boolean> = [];
    const ops: string[] = [];
    let node: HavingClause | undefined = clause;
    while (node) {
      const c = node.left as Condition & { fn?: { rawValue?: string }; operator: string; value: string };
      if (!c.fn || (c as { openParen?: number }).openParen || (c as { closeParen?: number }).closeParen)
        throw malformed(this.soql, 'HAVING supports simple aggregate comparisons only (emulator)', 'HAVING');
      const raw = (c.fn.rawValue ?? '').replace(/\s+/g, '').toLowerCase();
      const ai = aggs.findIndex((a) => a.raw === raw);
      if (ai === -1)
        throw malformed(
          this.soql,
          `HAVING ${c.fn.rawValue} must be an aggregate in the SELECT list (emulator)`,
          c.fn.rawValue,
        );
      const lit = Number(c.value);
      const op = c.operator;
      parts.push((b) => {
        const v = Number((value as (a: unknown, acc: unknown) => unknown)(aggs[ai], b.acc[ai]));
        return op === '='
          ? v === lit
          : op === '!='
            ? v !== lit
            : op === '>'
              ? v > lit
              : op === '>='
                ? v >= lit
                : op === '<'
                  ? v < lit
                  : v <= lit;
      });
      if ('operator' in node && node.operator) ops.push(node.operator);
      node = 'right' in node ? node.right : undefined;
    }
    if (ops.some((o) => o !== ops[0]))
      throw malformed(this.soql, 'HAVING mixing AND and OR is not supported (emulator)', 'HAVING');
    return ops[0] === 'OR' ? (b): boolean => parts.some((p) => p(b)) : (b): boolean => parts.every((p) => p(b));
  }

  // ---- column metadata ------------------------------------------------------------------------------

  public columns(q: Query): Record<string, unknown> {
    const obj = this.object(q.sObject);
    const cols: Array<Record<string, unknown>> = [];
    let expr = 0;
    const groupBy = !!q.groupBy;
    for (const item of q.fields ?? []) {
      if (item.type === 'FieldFunctionExpression') {
        cols.push(column(item.alias ?? `expr${expr++}`, item.rawValue ?? item.functionName, true, []));
      } else if (item.type === 'Field' || item.type === 'FieldRelationship') {
        const path =
          item.type === 'Field' ? item.field : (item.rawValue ?? [...item.relationships, item.field].join('.'));
        const res = this.resolve(obj, path, q.sObjectAlias);
        if (!res.chain.length) cols.push(fieldColumn(res.field));
        else {
          let level = cols;
          for (const ref of res.chain) {
            let c = level.find((x) => x.columnName === ref.relationshipName);
            if (!c) {
              c = column(ref.relationshipName!, ref.relationshipName!, false, []);
              level.push(c);
            }
            level = c.joinColumns as Array<Record<string, unknown>>;
          }
          level.push(fieldColumn(res.field));
        }
      } else if (item.type === 'FieldSubquery') {
        const rel = this.org.schema.childAt(obj, item.subquery.relationshipName, this.opts.apiVersion);
        const child = rel ? this.org.schema.get(rel.childSObject)! : undefined;
        const sub = child
          ? (this.columns({ ...item.subquery, sObject: child.name }).columnMetadata as Array<Record<string, unknown>>)
          : [];
        cols.push(column(item.subquery.relationshipName, item.subquery.relationshipName, true, sub));
      }
    }
    return {
      columnMetadata: cols,
      entityName:
        groupBy || cols.some((c) => c.aggregate && !(c.joinColumns as unknown[]).length) ? 'AggregateResult' : obj.name,
      groupBy,
      idSelected: (q.fields ?? []).some((f) => f.type === 'Field' && f.field.toLowerCase() === 'id'),
      keyPrefix: obj.keyPrefix,
    };
  }
}

function column(
  name: string,
  display: string,
  aggregate: boolean,
  joinColumns: Array<Record<string, unknown>>,
): Record<string, unknown> {
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

function fieldColumn(f: FieldDef): Record<string, unknown> {
  const apex: Record<string, string> = {
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
  return {
    ...column(f.name, f.name, false, []),
    apexType: apex[f.type] ?? 'String',
    booleanType: f.type === 'boolean',
    custom: f.custom,
    insertable: f.createable,
    numberType: ['int', 'long', 'double', 'currency'].includes(f.type),
    textType: !['boolean', 'int', 'long', 'double', 'currency', 'date', 'datetime'].includes(f.type),
    updatable: f.updateable,
  };
}

/** A view of a polymorphic lookup's targets: the fields they share (Name, Id ...) plus the first target's. */
function polymorphicView(org: OrgState, targets: string[]): ObjectDef {
  if (targets.includes('*')) {
    // a lookup to any object: the fields every record has (Id), and Name as the Name entity gives it
    const user = org.schema.get('User')!;
    const fields = new Map([
      ['id', user.fields.get('id')!],
      ['name', user.fields.get('name')!],
    ]);
    return { ...user, name: 'Name', fields, relationships: new Map(), children: new Map() };
  }
  const defs = targets.map((t) => org.schema.get(t)!);
  const merged = new Map(defs[0].fields);
  for (const d of defs.slice(1)) for (const [k, v] of d.fields) if (!merged.has(k)) merged.set(k, v);
  return { ...defs[0], fields: merged };
}

class Range {
  public constructor(
    public readonly start: number,
    public readonly end: number,
  ) {}
}

function dateRange(soql: string, raw: string, n: number | undefined): Range {
  const now = new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const month = (offset: number): number => Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1);
  const year = (offset: number): number => Date.UTC(now.getUTCFullYear() + offset, 0, 1);
  const weekStart = today - new Date(today).getUTCDay() * DAY; // weeks start on Sunday (en_US)
  const name = raw.split(':')[0].toUpperCase();
  const k = n ?? Number(raw.split(':')[1]);
  switch (name) {
    case 'TODAY':
      return new Range(today, today + DAY);
    case 'YESTERDAY':
      return new Range(today - DAY, today);
    case 'TOMORROW':
      return new Range(today + DAY, today + 2 * DAY);
    case 'LAST_WEEK':
      return new Range(weekStart - 7 * DAY, weekStart);
    case 'THIS_WEEK':
      return new Range(weekStart, weekStart + 7 * DAY);
    case 'NEXT_WEEK':
      return new Range(weekStart + 7 * DAY, weekStart + 14 * DAY);
    case 'LAST_MONTH':
      return new Range(month(-1), month(0));
    case 'THIS_MONTH':
      return new Range(month(0), month(1));
    case 'NEXT_MONTH':
      return new Range(month(1), month(2));
    case 'LAST_90_DAYS':
      return new Range(today - 90 * DAY, today + DAY);
    case 'NEXT_90_DAYS':
      return new Range(today + DAY, today + 91 * DAY);
    case 'THIS_YEAR':
      return new Range(year(0), year(1));
    case 'LAST_YEAR':
      return new Range(year(-1), year(0));
    case 'NEXT_YEAR':
      return new Range(year(1), year(2));
    case 'LAST_N_DAYS':
      return new Range(today - k * DAY, today + DAY);
    case 'NEXT_N_DAYS':
      return new Range(today + DAY, today + (k + 1) * DAY);
    case 'N_DAYS_AGO':
      return new Range(today - k * DAY, today - (k - 1) * DAY);
    case 'LAST_N_WEEKS':
      return new Range(weekStart - k * 7 * DAY, weekStart);
    case 'NEXT_N_WEEKS':
      return new Range(weekStart + 7 * DAY, weekStart + (k + 1) * 7 * DAY);
    case 'LAST_N_MONTHS':
      return new Range(month(-k), month(0));
    case 'NEXT_N_MONTHS':
      return new Range(month(1), month(k + 1));
    case 'LAST_N_YEARS':
      return new Range(year(-k), year(0));
    case 'NEXT_N_YEARS':
      return new Range(year(1), year(k + 1));
    default:
      throw malformed(soql, `date literal ${raw} is not supported by the emulator`, raw);
  }
}

function unquote(raw: string): string {
  const s = raw.startsWith("'") && raw.endsWith("'") ? raw.slice(1, -1) : raw;
  return s.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' })[c] ?? c);
}

function likeRegex(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) re += pattern[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (c === '%') re += '.*';
    else if (c === '_') re += '.';
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 'is');
}

/** Comparable key of a stored value: strings compare case-insensitively, ids in 18-char form. */
function keyOf(f: FieldDef, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (f.type === 'id' || f.type === 'reference') return typeof v === 'string' ? to18(v) : (v as string);
  if (typeof v === 'string') return v.toLowerCase();
  return v as number | boolean;
}

function compare(a: unknown, b: unknown, desc: boolean, nullsLast: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) {
    if (an && bn) return 0;
    return an === nullsLast ? 1 : -1;
  }
  const c =
    typeof a === 'string' && typeof b === 'string'
      ? a.localeCompare(b)
      : (a as number) < (b as number)
        ? -1
        : (a as number) > (b as number)
          ? 1
          : 0;
  return desc ? -c : c;
}

export function format(f: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (f.type === 'datetime' && typeof v === 'number') return formatDateTime(v);
  return v;
}

export function parseSoql(soql: string): Query {
  let q: Query;
  try {
    q = parseQuery(soql, { allowApexBindVariables: false });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    const m = /found: '([^']*)'/.exec((e as Error).message);
    throw malformed(soql, `unexpected token: ${m ? m[1] : msg}`, m?.[1]);
  }
  return q;
}

/** Runs a query and keeps its answer for paging (see ResultSet). */
export function openQuery(org: OrgState, soql: string, opts: QueryOptions): ResultSet {
  return new Compiler(org, soql, opts).run(parseSoql(soql));
}

/** Runs a query and formats every row (in-process access, no paging). */
export function runQuery(org: OrgState, soql: string, opts: QueryOptions): QueryOutput {
  const out = openQuery(org, soql, opts);
  return { totalSize: out.totalSize, records: out.page(0, out.size) };
}

export function queryColumns(org: OrgState, soql: string, opts: QueryOptions): Record<string, unknown> {
  return new Compiler(org, soql, opts).columns(parseSoql(soql));
}
