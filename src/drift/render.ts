import type { UserCheck } from './check.js';
import type { OrgEnvironment } from '../environments/org-environment.js';
import type { ManagedUser } from '../environments/managed-users.js';

export type CheckResult = {
  environment: OrgEnvironment;
  /** true when nothing drifted */
  inSync: boolean;
  users: UserCheck[];
  /** users this plugin made that no definition names */
  withoutDefinition: ManagedUser[];
  skippedFiles: string[];
  /** --output-file: where the Markdown summary went */
  outputFile?: string;
};

/** One row per drift (one "in sync" row for a user without any), for the terminal table. */
export function driftRows(result: CheckResult): Array<{ user: string; kind: string; detail: string }> {
  return result.users.flatMap((u) =>
    u.drift.length === 0
      ? [{ user: u.username, kind: 'in sync', detail: '' }]
      : u.drift.map((d) => ({ user: u.username, kind: d.kind, detail: d.detail })),
  );
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown summary for a pull request. */
export function driftMarkdown(result: CheckResult): string {
  const env = result.environment;
  const where = env.kind === 'sandbox' ? `sandbox ${env.sandboxName ?? '(name unknown)'}` : env.kind;
  const drifted = result.users.filter((u) => u.drift.length > 0);
  const lines = [
    '## Integration users: drift check',
    '',
    `Org ${env.orgId} (${where}): ${result.inSync ? 'every user matches its definition.' : `${drifted.length} of ${result.users.length} users differ from their definitions.`}`,
    '',
    '| User | Definition | Drift | Detail |',
    '|---|---|---|---|',
    ...result.users.flatMap((u) =>
      (u.drift.length ? u.drift : [{ kind: 'in sync', detail: '' }]).map(
        (d) => `| ${cell(u.username)} | ${cell(u.file ?? '')} | ${d.kind} | ${cell(d.detail)} |`,
      ),
    ),
  ];
  if (result.withoutDefinition.length) {
    lines.push(
      '',
      '### Users without a definition',
      '',
      'Made by this plugin, still active, named by no definition (left as they are; `sf integration-user retire` takes one out of service):',
      '',
    );
    for (const u of result.withoutDefinition) lines.push(`- ${u.username} (${u.permissionSets.join(', ')})`);
  }
  lines.push(
    '',
    result.inSync
      ? '_Nothing to do._'
      : '_Run `sf integration-user create --definition-file <folder>` to reconcile (after review)._',
    '',
  );
  return lines.join('\n');
}
