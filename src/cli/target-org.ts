import type { Org } from '@salesforce/core';

/**
 * The --target-org value as the user typed it (`--target-org x`, `--target-org=x`, `-o x`, `-o=x`, `-ox`), or
 * undefined when they left it to the configured default. Commands use it to tell "asked for an org" from "a default
 * org happens to be set", and to name the org in suggested commands as the user named it (an alias reads better).
 */
export function targetOrgFromArgv(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return undefined;
    if (a === '--target-org' || a === '-o') return argv[i + 1] ?? '';
    const m = /^(?:--target-org=|-o=?)(.*)$/.exec(a);
    if (m) return m[1];
  }
  return undefined;
}

/** True when --target-org (or -o) was given on the command line, whatever the configured default. */
export function hasExplicitTargetOrg(argv: readonly string[]): boolean {
  return targetOrgFromArgv(argv) !== undefined;
}

/** How to name the org in output and suggested commands: as typed, else its username, else its Id. */
export function targetOrgLabel(argv: readonly string[], org: Org): string {
  return targetOrgFromArgv(argv) || (org.getUsername() ?? org.getOrgId());
}
