/**
 * A deploy's validation: every file is parsed against the Metadata API schema at the package's version first, then
 * each supported component (PermissionSet, Profile, External Client App types) is validated against the org. Each
 * component ends with a problem, or with how to apply it (run only if the deploy goes ahead).
 */
import { applyEca, isEcaType, validateEca, type EcaType } from '../external-client-apps.js';
import { SchemaError, validateAgainstSchema } from '../metadata-schema.js';
import {
  applyPermissionSet,
  ParseError,
  parsePermissionSetXml,
  validatePermissionSet,
  type PsDoc,
} from '../permsets.js';
import { applyProfile, parseProfileXml, profileFullName, type ProfileDoc } from '../profiles.js';
import { deployMessage, type Component, type DeployJob, type DeployMessage } from './deploy-job.js';
import type { DeployPackage, PackageType } from './deploy-zip.js';

export type Planned = { c: Component; apply?: () => DeployMessage; problem?: string };

const deployable = (type: string): boolean => type === 'PermissionSet' || type === 'Profile' || isEcaType(type);

export function planDeploy(job: DeployJob, pkg: DeployPackage, now: string): Planned[] {
  const results: Planned[] = [];
  const parsed = schemaValid(pkg.components, pkg.version, results);
  const unsupported = unsupportedMembers(pkg.types, results);
  const plan = new Planner(job, pkg.components, now);
  for (const c of parsed.filter((x) => deployable(x.type))) results.push(plan.component(c));
  for (const c of unsupported) results.push({ c, problem: `The org emulator does not support deploying ${c.type}` });
  return results;
}

/** The components whose files the schema accepts; the others go to results with the schema's problem. */
function schemaValid(components: Component[], version: string, results: Planned[]): Component[] {
  const parsed: Component[] = [];
  for (const c of components) {
    try {
      validateAgainstSchema(c.xml!, c.type, version);
      parsed.push(c);
    } catch (e) {
      if (!(e instanceof SchemaError)) throw e;
      results.push({ c, problem: e.message });
    }
  }
  return parsed;
}

/** Members of the manifest's other types (a file that failed the schema is reported once, with that problem). */
function unsupportedMembers(types: PackageType[], results: Planned[]): Component[] {
  const out: Component[] = [];
  for (const t of types) {
    if (deployable(t.name)) continue;
    for (const member of t.members ?? []) {
      if (!results.some((r) => r.c.type === t.name && r.c.fullName === String(member)))
        out.push({ type: t.name, fullName: String(member), fileName: '' });
    }
  }
  return out;
}

class Planner {
  public constructor(
    private readonly job: DeployJob,
    private readonly components: Component[],
    private readonly now: string,
  ) {}

  public component(c: Component): Planned {
    if (isEcaType(c.type)) return this.eca(c, c.type);
    return c.type === 'PermissionSet' ? this.permissionSet(c) : this.profile(c);
  }

  private get checkOnly(): boolean {
    return this.job.options.checkOnly;
  }

  private msg(c: Component, extra: Partial<DeployMessage>): DeployMessage {
    return deployMessage(c, this.now, extra);
  }

  private eca(c: Component, type: EcaType): Planned {
    const { org } = this.job;
    const problem = validateEca(org, type, c.fullName, c.xml!, this.components);
    if (problem) return { c, problem };
    return {
      c,
      apply: () => this.msg(c, this.checkOnly ? {} : applyEca(org, type, c.fullName, c.xml!, this.components)),
    };
  }

  /** A permission set replaces the org's whole (created or changed). */
  private permissionSet(c: Component): Planned {
    const { org } = this.job;
    let doc: PsDoc;
    try {
      doc = parsePermissionSetXml(c.xml!, c.fullName);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      return { c, problem: e.message };
    }
    const problems = validatePermissionSet(org, doc);
    if (problems.length) return { c, problem: problems[0] };
    return {
      c,
      apply: () => {
        const existed = !!org.permissionSetByName(doc.fullName);
        const { rec } = this.checkOnly ? { rec: org.permissionSetByName(doc.fullName) } : applyPermissionSet(org, doc);
        return this.msg(c, { created: !existed, changed: existed, id: rec?.Id });
      },
    };
  }

  /** A profile deploy merges into an existing profile; its permissions are checked as a permission set's. */
  private profile(c: Component): Planned {
    const { org } = this.job;
    const profile = org.find('Profile', (p) => profileFullName(p) === c.fullName || p.Name === c.fullName);
    if (!profile)
      return { c, problem: `Unknown profile: ${c.fullName}. Creating profiles is not supported by the org emulator` };
    let doc: ProfileDoc;
    try {
      doc = parseProfileXml(c.xml!);
    } catch (e) {
      return { c, problem: (e as Error).message };
    }
    const problems = validatePermissionSet(org, {
      fullName: c.fullName,
      label: c.fullName,
      sections: {
        userPermissions: doc.userPermissions.map((u) => ({ name: u.name, enabled: String(u.enabled) })),
        objectPermissions: doc.objectPermissions,
        fieldPermissions: doc.fieldPermissions,
      },
    });
    if (problems.length) return { c, problem: problems[0] };
    return {
      c,
      apply: () => {
        if (!this.checkOnly) applyProfile(org, profile, doc, false);
        return this.msg(c, { changed: true, id: profile.Id });
      },
    };
  }
}
