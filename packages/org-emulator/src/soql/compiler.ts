/**
 * What every part of a query's compilation shares: the org, the SOQL text (for error positions), the options, and
 * name resolution (objects, field paths through lookups) at the request's API version.
 */
import { ApiError } from '../errors.js';
import type { FieldDef, ObjectDef } from '../schema.js';
import type { OrgState, Rec } from '../state.js';
import { located, malformed } from './errors.js';
import type { Accessor, QueryOptions, Resolved } from './types.js';

export class Compiler {
  public constructor(
    public readonly org: OrgState,
    public readonly soql: string,
    public readonly opts: QueryOptions,
  ) {}

  public hidden(name: string): boolean {
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
    const parts = this.withoutObjectPrefix(obj, path.split('.'), alias);
    const chain: FieldDef[] = [];
    let cur = obj;
    for (const part of parts.slice(0, -1)) {
      const ref = this.relationship(cur, part, path);
      chain.push(ref);
      cur = this.target(ref, path);
    }
    const field = this.field(cur, parts[parts.length - 1], path);
    return { get: this.accessor(field, chain), field, chain, object: cur };
  }

  private withoutObjectPrefix(obj: ObjectDef, parts: string[], alias?: string): string[] {
    const first = parts[0].toLowerCase();
    const namesObject = first === obj.name.toLowerCase() || (!!alias && first === alias.toLowerCase());
    return parts.length > 1 && namesObject && !obj.relationships.has(first) ? parts.slice(1) : parts;
  }

  private relationship(obj: ObjectDef, name: string, path: string): FieldDef {
    const ref = this.org.schema.relationshipAt(obj, name, this.opts.apiVersion);
    if (!ref || ref.referenceTo!.every((t) => this.hidden(t))) {
      throw new ApiError(
        'INVALID_FIELD',
        located(
          this.soql,
          path,
          `Didn't understand relationship '${name}' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    return ref;
  }

  private field(obj: ObjectDef, name: string, path: string): FieldDef {
    const field = this.org.schema.fieldAt(obj, name, this.opts.apiVersion);
    if (!field) {
      throw new ApiError(
        'INVALID_FIELD',
        located(
          this.soql,
          path,
          `No such column '${name}' on entity '${obj.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
        ),
      );
    }
    return field;
  }

  /** Reads the field through the lookups of the chain (null where a lookup is empty). */
  private accessor(field: FieldDef, chain: FieldDef[]): Accessor {
    const org = this.org;
    let get: Accessor = field.computed ? field.computed : (r: Rec): unknown => r[field.name];
    for (let i = chain.length - 1; i >= 0; i--) {
      const ref = chain[i];
      const inner = get;
      get = (r: Rec): unknown => {
        const target = org.get(r[ref.name] as string);
        return target ? inner(target) : null;
      };
    }
    return get;
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
