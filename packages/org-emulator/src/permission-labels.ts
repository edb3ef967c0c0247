/**
 * Labels of user permission fields as real orgs describe them (`PermissionsEnableNotifications` is "Send Outbound
 * Messages", not a label made from its name). Data and evidence: data/permission-labels.json.
 */
import { readFileSync } from 'node:fs';

const labels = new Map<string, string>(
  Object.entries(
    (
      JSON.parse(readFileSync(new URL('../data/permission-labels.json', import.meta.url), 'utf8')) as {
        labels: Record<string, string>;
      }
    ).labels,
  ).map(([name, label]) => [name.toLowerCase(), label]),
);

const PREFIXES = ['MaximumPermissions', 'Permissions'];

/** The real label of a `Permissions<Name>` / `MaximumPermissions<Name>` field when known, else `fallback`. */
export function permissionFieldLabel(fieldName: string, fallback: string): string {
  const prefix = PREFIXES.find((p) => fieldName.startsWith(p) && fieldName.length > p.length);
  return (prefix && labels.get(fieldName.slice(prefix.length).toLowerCase())) ?? fallback;
}
