import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
// types only: ajv is loaded when a definition file is read, not when the command starts (issue 12)
import type { Ajv, ErrorObject } from 'ajv';
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('sf-integration-user', 'integration-user.create');

export const OBJECT_ACCESS = ['read', 'create', 'edit', 'delete', 'viewall', 'modifyall'] as const;
export type ObjectAccess = (typeof OBJECT_ACCESS)[number];
export type FieldAccess = 'read' | 'edit';

/** Everything the create command needs, after merging the definition file and the flags. */
export type CreateRequest = {
  username: string;
  email: string;
  firstName?: string;
  lastName: string;
  alias: string;
  role?: string;
  marketingUser: boolean;
  permissionSetName: string;
  permissionSetLabel?: string;
  objects: Array<{ object: string; access: ObjectAccess[] }>;
  fields: Array<{ field: string; access: FieldAccess }>;
  userPermissions: string[];
  permissionSets: string[];
  fromProfileFile?: string;
  /** username of an existing user whose effective access the new user gets (converted) */
  fromUser?: string;
  /** high-risk user permissions of the copied access to keep (the others are left out) */
  keepPermissions: string[];
  /** --from-user --narrow-to-usage: the usage-log window in days */
  usageDays?: number;
  outputDir?: string;
};

/** The --definition-file content (see definition-schema/integration-user-definition.schema.json). */
export type Definition = {
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  alias?: string;
  role?: string;
  marketingUser?: boolean;
  permissionSetName?: string;
  permissionSetLabel?: string;
  objects?: Record<string, ObjectAccess[]>;
  fields?: Record<string, FieldAccess>;
  userPermissions?: string[];
  permissionSets?: string[];
  fromProfileFile?: string;
  keepPermissions?: string[];
  outputDir?: string;
  /** the suffix this definition's username gets in sandboxes and scratch orgs, instead of the sandbox name */
  usernameSuffix?: string;
  /** an explicit username per org: keyed by sandbox name, org id, "production" or "scratch" */
  usernames?: Record<string, string>;
};

/** What the flags supply; arrays in the raw `Object:access` / `Object.Field:access` flag syntax. */
export type FlagInput = Omit<Definition, 'objects' | 'fields' | 'usernames'> & {
  objects?: string[];
  fields?: string[];
  fromUser?: string;
  usageDays?: number;
};

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

export const schemaPath = (): string =>
  resolve(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'definition-schema',
    'integration-user-definition.schema.json',
  );

let validator: ReturnType<Ajv['compile']> | undefined;

const describeErrors = (errors: ErrorObject[] | null | undefined): string =>
  (errors ?? [])
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`,
    )
    .join('; ');

/** Reads and validates a definition file; paths inside it are resolved against the file's folder. */
export async function readDefinitionFile(path: string): Promise<Definition> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw messages.createError('error.DefinitionFile', [path, e instanceof Error ? e.message : String(e)]);
  }
  if (!validator) {
    const schema = JSON.parse(await readFile(schemaPath(), 'utf8')) as Record<string, unknown>;
    const { Ajv: AjvClass } = await import('ajv');
    validator = new AjvClass({ allErrors: true, strict: false }).compile(schema);
  }
  if (!validator(data)) throw messages.createError('error.DefinitionFile', [path, describeErrors(validator.errors)]);
  const definition = data as Definition;
  const base = dirname(resolve(path));
  return {
    ...definition,
    fromProfileFile: definition.fromProfileFile ? resolve(base, definition.fromProfileFile) : undefined,
    outputDir: definition.outputDir ? resolve(base, definition.outputDir) : undefined,
  };
}

/** Parses `Object:read,edit`. */
export function parseObjectAccess(value: string): { object: string; access: ObjectAccess[] } {
  const match = /^\s*([^:\s]+)\s*:\s*(.+)$/.exec(value);
  const object = match?.[1];
  if (!match || !object || !NAME.test(object)) {
    throw messages.createError('error.InvalidAccess', [
      `"${value}" isn't Object:access (for example Account:read,edit).`,
    ]);
  }
  const access = match[2].split(',').map((a) =>
    a
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, ''),
  );
  const bad = access.filter((a) => !(OBJECT_ACCESS as readonly string[]).includes(a));
  if (bad.length > 0 || access.length === 0) {
    throw messages.createError('error.InvalidAccess', [`Unknown object access "${bad.join(', ')}" in "${value}".`]);
  }
  return { object, access: [...new Set(access)] as ObjectAccess[] };
}

/** Parses `Object.Field:read|edit`. */
export function parseFieldAccess(value: string): { field: string; access: FieldAccess } {
  const match = /^\s*([A-Za-z][A-Za-z0-9_]*)\.([A-Za-z][A-Za-z0-9_]*)\s*:\s*(read|edit)\s*$/i.exec(value);
  if (!match) {
    throw messages.createError('error.InvalidAccess', [`"${value}" isn't Object.Field:read or Object.Field:edit.`]);
  }
  return { field: `${match[1]}.${match[2]}`, access: match[3].toLowerCase() as FieldAccess };
}

/** Default permission set API name: Integration_<local part>, cleaned to API-name rules. */
export function defaultPermissionSetName(username: string): string {
  const local = username
    .split('@')[0]
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
  // leave room for the companion set's _Companion suffix within the 80-character limit
  return `Integration_${local || 'User'}`.slice(0, 70).replace(/_$/, '');
}

const unionCaseless = (a: readonly string[] = [], b: readonly string[] = []): string[] => {
  const seen = new Map<string, string>();
  for (const v of [...a, ...b]) if (!seen.has(v.toLowerCase())) seen.set(v.toLowerCase(), v);
  return [...seen.values()];
};

/**
 * Merges the definition file and flags: a scalar flag replaces the file's value; an --object or
 * --field flag replaces the file's entry for that object or field and adds new ones; permission
 * names are united.
 */
export function buildRequest(
  flags: FlagInput,
  definition: Definition = {},
  deriveAlias: (o: { firstName?: string; lastName?: string; username: string }) => string,
): CreateRequest {
  const username = (flags.username ?? definition.username ?? '').trim();
  const firstName = flags.firstName ?? definition.firstName;
  const lastName = flags.lastName ?? definition.lastName ?? username.split('@')[0];

  const objects = new Map<string, { object: string; access: ObjectAccess[] }>();
  for (const [object, access] of Object.entries(definition.objects ?? {})) {
    objects.set(object.toLowerCase(), { object, access: [...new Set(access)] });
  }
  for (const raw of flags.objects ?? []) {
    const parsed = parseObjectAccess(raw);
    objects.set(parsed.object.toLowerCase(), parsed);
  }
  const fields = new Map<string, { field: string; access: FieldAccess }>();
  for (const [field, access] of Object.entries(definition.fields ?? {}))
    fields.set(field.toLowerCase(), { field, access });
  for (const raw of flags.fields ?? []) {
    const parsed = parseFieldAccess(raw);
    fields.set(parsed.field.toLowerCase(), parsed);
  }

  return {
    username,
    email: (flags.email ?? definition.email ?? username).trim(),
    firstName,
    lastName,
    alias: flags.alias ?? definition.alias ?? deriveAlias({ firstName, lastName, username }),
    role: flags.role ?? definition.role,
    marketingUser: flags.marketingUser ?? definition.marketingUser ?? false,
    permissionSetName: flags.permissionSetName ?? definition.permissionSetName ?? defaultPermissionSetName(username),
    permissionSetLabel: flags.permissionSetLabel ?? definition.permissionSetLabel,
    objects: [...objects.values()],
    fields: [...fields.values()],
    userPermissions: unionCaseless(definition.userPermissions, flags.userPermissions),
    permissionSets: unionCaseless(definition.permissionSets, flags.permissionSets),
    fromProfileFile: flags.fromProfileFile ?? definition.fromProfileFile,
    fromUser: flags.fromUser,
    keepPermissions: unionCaseless(definition.keepPermissions, flags.keepPermissions),
    usageDays: flags.usageDays,
    outputDir: flags.outputDir ?? definition.outputDir,
  };
}

/** Whether the request asks for any generated permission set at all. */
export const wantsGeneratedAccess = (r: CreateRequest): boolean =>
  r.objects.length > 0 ||
  r.fields.length > 0 ||
  r.userPermissions.length > 0 ||
  Boolean(r.fromProfileFile) ||
  Boolean(r.fromUser);
