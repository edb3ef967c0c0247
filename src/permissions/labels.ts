/**
 * Admin-facing labels of user permissions: what Setup shows (`Send Outbound Messages`) beside what the metadata
 * says (`EnableNotifications`). Reports name a permission as `EnableNotifications (Send Outbound Messages)`.
 *
 * Built-in: permission-labels.json (en_US, each label with the source it was read from). Labels change between
 * releases and are translated, so the org's own label wins when a command has read it: the PermissionSet describe
 * gives `Permissions<Name>` fields with their labels, a describe the commands make anyway.
 */
import data from './permission-labels.json' with { type: 'json' };

type LabelFile = {
  sources: Record<string, { where: string; what: string }>;
  labels: Record<string, [label: string, source: string]>;
};

const file = data as unknown as LabelFile;
const byLowerName = new Map(Object.entries(file.labels).map(([name, entry]) => [name.toLowerCase(), entry]));

/** Labels by user permission name (any case), e.g. read from the org. */
export type PermissionLabels = ReadonlyMap<string, string>;

/** The built-in label and where it comes from, or undefined when no source gave one. */
export function builtInLabel(name: string): { label: string; source: string } | undefined {
  const entry = byLowerName.get(name.toLowerCase());
  return entry ? { label: entry[0], source: entry[1] } : undefined;
}

/** Where a built-in label's source id points (document or file, and what it holds). */
export const labelSource = (id: string): { where: string; what: string } | undefined => file.sources[id];

/** The label an admin sees: the org's when known, else the built-in one. Keys of `org` are lower case. */
export function permissionLabel(name: string, org?: PermissionLabels): string | undefined {
  return org?.get(name.toLowerCase()) ?? builtInLabel(name)?.label;
}

/** `EnableNotifications (Send Outbound Messages)`; the name alone when no label is known or it says the same. */
export function withLabel(name: string, org?: PermissionLabels): string {
  const label = permissionLabel(name, org);
  return label && label.toLowerCase() !== name.toLowerCase() ? `${name} (${label})` : name;
}

/** Labels of the `Permissions<Name>` fields of a PermissionSet describe, keyed by lower-case permission name. */
export function labelsFromDescribe(
  fields: ReadonlyArray<{ name: string; label?: string; type?: string }>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fields) {
    if (!f.label || !f.name.startsWith('Permissions') || f.name.length === 'Permissions'.length) continue;
    if (f.type !== undefined && f.type !== 'boolean') continue;
    out.set(f.name.slice('Permissions'.length).toLowerCase(), f.label);
  }
  return out;
}
