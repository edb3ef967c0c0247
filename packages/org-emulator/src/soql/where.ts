/**
 * WHERE: the clause's conditions become row predicates, joined by AND, OR, NOT and parentheses (a small
 * recursive descent over the parser's flat token list), semi-joins included.
 */
import type { Condition, Query, ValueQueryCondition, WhereClause } from 'soql-parser-js';
import type { FieldDef, ObjectDef } from '../schema.js';
import type { Compiler } from './compiler.js';
import { comparePredicate, inPredicate, likePredicate, rangePredicate } from './comparisons.js';
import { malformed } from './errors.js';
import { literal, Range } from './literals.js';
import type { Predicate } from './types.js';

type Token = string | Predicate;
type FieldCondition = Condition & {
  field: string;
  operator: string;
  value?: string | string[];
  literalType?: string | string[];
  valueQuery?: Query;
  dateLiteralVariable?: number | number[];
};

export function compileWhere(c: Compiler, obj: ObjectDef, clause: WhereClause | undefined, alias?: string): Predicate {
  if (!clause) return () => true;
  return new PredicateParser(c.soql, tokens(c, obj, clause, alias)).parse();
}

/** The clause as a flat list: '(' and ')', 'AND' / 'OR' / 'NOT', and each condition compiled to a predicate. */
function tokens(c: Compiler, obj: ObjectDef, clause: WhereClause, alias?: string): Token[] {
  const out: Token[] = [];
  let node: WhereClause | undefined = clause;
  while (node) {
    const left = node.left as (Condition & { openParen?: number; closeParen?: number }) | null;
    if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push('(');
      if ('field' in left || 'fn' in left) out.push(condition(c, obj, left, alias));
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push(')');
    }
    if ('operator' in node && node.operator) out.push(node.operator.toUpperCase());
    node = 'right' in node ? node.right : undefined;
  }
  return out;
}

/** or := and (OR and)*; and := unary (AND unary)*; unary := NOT unary | '(' or ')' | condition */
class PredicateParser {
  private pos = 0;

  public constructor(
    private readonly soql: string,
    private readonly tokens: Token[],
  ) {}

  public parse(): Predicate {
    const pred = this.or();
    if (this.pos !== this.tokens.length) throw malformed(this.soql, 'unexpected token in WHERE');
    return pred;
  }

  private or(): Predicate {
    const parts = this.joined('OR', () => this.and());
    return parts.length === 1 ? parts[0] : (r): boolean => parts.some((p) => p(r));
  }

  private and(): Predicate {
    const parts = this.joined('AND', () => this.unary());
    return parts.length === 1 ? parts[0] : (r): boolean => parts.every((p) => p(r));
  }

  private joined(op: string, next: () => Predicate): Predicate[] {
    const parts = [next()];
    while (this.tokens[this.pos] === op) {
      this.pos++;
      parts.push(next());
    }
    return parts;
  }

  private unary(): Predicate {
    const t = this.tokens[this.pos++];
    if (t === 'NOT') {
      const inner = this.unary();
      return (r) => !inner(r);
    }
    if (t === '(') {
      const inner = this.or();
      if (this.tokens[this.pos++] !== ')') throw malformed(this.soql, 'unbalanced parentheses in WHERE');
      return inner;
    }
    if (typeof t === 'function') return t;
    throw malformed(this.soql, `unexpected token in WHERE: ${String(t)}`);
  }
}

function condition(c: Compiler, obj: ObjectDef, cond: Condition, alias?: string): Predicate {
  if ('fn' in cond)
    throw malformed(c.soql, 'functions in WHERE are not supported by the emulator', cond.fn.functionName);
  const fc = cond as FieldCondition;
  const { get, field: f } = c.resolve(obj, fc.field, alias);
  const op = fc.operator.toUpperCase();
  if (fc.literalType === 'SUBQUERY' || fc.valueQuery) {
    if (op !== 'IN' && op !== 'NOT IN') throw malformed(c.soql, 'semi-join requires IN or NOT IN', fc.field);
    const ids = semiJoin(c, (fc as ValueQueryCondition).valueQuery);
    return op === 'IN' ? (r): boolean => ids.has(get(r)) : (r): boolean => !ids.has(get(r));
  }
  if (op === 'INCLUDES' || op === 'EXCLUDES') throw malformed(c.soql, `${op} is not supported by the emulator`, op);
  const literals = literalsOf(c, f, fc);
  if (op === 'IN' || op === 'NOT IN') return inPredicate(f, get, literals, op === 'NOT IN');
  const lit = literals[0];
  if (op === 'LIKE') return likePredicate(c.soql, get, lit, fc.field);
  if (lit instanceof Range) return rangePredicate(c.soql, get, op, lit);
  return comparePredicate(c.soql, f, get, op, lit);
}

/** The condition's value(s) in the field's stored form (a list for IN, one value otherwise). */
function literalsOf(c: Compiler, f: FieldDef, fc: FieldCondition): unknown[] {
  const values = Array.isArray(fc.value) ? fc.value : [fc.value];
  const types = Array.isArray(fc.literalType) ? fc.literalType : values.map(() => fc.literalType as string);
  const vars = Array.isArray(fc.dateLiteralVariable)
    ? fc.dateLiteralVariable
    : values.map(() => fc.dateLiteralVariable as number);
  const op = fc.operator.toUpperCase();
  const wanted = op === 'IN' || op === 'NOT IN' ? values : values.slice(0, 1);
  return wanted.map((v, i) => literal(c.soql, f, String(v), types[i], vars[i]));
}

/** The values a semi-join subquery selects (ids), from the rows its WHERE keeps. */
function semiJoin(c: Compiler, q: Query): Set<unknown> {
  const obj = c.object(q.sObject);
  const fields = q.fields ?? [];
  if (fields.length !== 1 || fields[0].type !== 'Field')
    throw malformed(c.soql, 'a semi-join subquery must select exactly one Id field', q.sObject);
  const path = (fields[0] as { field: string }).field;
  const res = c.resolve(obj, path);
  if (res.field.type !== 'id' && res.field.type !== 'reference')
    throw malformed(c.soql, 'a semi-join subquery must select an Id or reference field', path);
  if (q.groupBy || q.orderBy || q.having)
    throw malformed(c.soql, 'semi-join subqueries cannot use GROUP BY, ORDER BY or HAVING', q.sObject);
  const pred = compileWhere(c, obj, q.where, q.sObjectAlias);
  const out = new Set<unknown>();
  for (const r of c.org.table(obj.name).values()) if (pred(r)) out.add(res.get(r));
  return out;
}
