import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Connection } from '@salesforce/core';
import { Duration } from '@salesforce/kit';
// types only: source-deploy-retrieve is loaded when a deploy runs, not when a command starts (issue 12)
import type {
  ComponentSet,
  DeployResult,
  MetadataApiDeploy,
  MetadataApiDeployStatus,
  RegistryAccess,
} from '@salesforce/source-deploy-retrieve';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { pollDelay } from './poll.js';
import { PERMISSION_SET_SECTIONS, type SectionName } from '../permissions/model.js';
import { PERMISSION_SET_ELEMENT_ORDER, SECTION_FIELD_ORDER } from '../permissions/schema.js';
import { findProjectDir, listFiles } from './project-paths.js';

export type DeployedComponent = {
  fullName: string;
  type: string;
  /** Created | Changed | Unchanged | Deleted | Failed */
  state: string;
  filePath?: string;
  /** the record Id in the org (the PermissionSet Id), when the org reports it */
  id?: string;
  problem?: string;
};

export type DeployOutcome = {
  id: string;
  status: string;
  success: boolean;
  checkOnly: boolean;
  components: DeployedComponent[];
  /** true when any component was created or changed (a re-run that changes nothing reports false) */
  changed: boolean;
};

export type DeployOptions = {
  checkOnly?: boolean;
  waitMinutes?: number;
  /** a fixed status poll interval; default: start fast and back off (poll.ts) */
  pollFrequencyMs?: number;
  onProgress?: (status: { status: string; deployed: number; total: number; errors: number }) => void;
  /** SFDX project whose sfdx-project.json decides the source layout; default: the project holding the files, if any */
  projectDir?: string;
  /**
   * package.xml's <version>: the API version Salesforce parses the files at (what they were written for); default,
   * as SDR does, the connection's version
   */
  sourceApiVersion?: string;
};

/** A deploy that ran but didn't succeed: failures carry each component's problem text. */
export class DeployFailure extends Error {
  public constructor(
    public readonly outcome: DeployOutcome,
    public readonly failures: DeployedComponent[],
    message: string,
  ) {
    super(message);
    this.name = 'DeployFailure';
  }
}

type RawMessage = {
  fullName?: string;
  componentType?: string;
  id?: string;
  problem?: string;
  success?: boolean | string;
};
const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/**
 * Deploys permission set source files with source-deploy-retrieve (a ComponentSet built from the
 * written files), polling until done or `waitMinutes` pass. Rolls back on any error, so a failed
 * deploy changes nothing. Throws DeployFailure when components fail.
 */
export async function deployPermissionSets(
  conn: Connection,
  files: readonly string[],
  options: DeployOptions = {},
): Promise<DeployOutcome> {
  // the project's registry, so decomposed permission sets (sourceBehaviorOptions) resolve as one component each
  const projectDir = options.projectDir ?? (files.length ? await findProjectDir(dirname(files[0])) : undefined);
  const { ComponentSet, MetadataConverter, RegistryAccess } = await import('@salesforce/source-deploy-retrieve');
  const registry = new RegistryAccess(undefined, projectDir);
  let components = ComponentSet.fromSource({ fsPaths: [...files], registry });
  let work: string | undefined;
  try {
    if (isDecomposed(registry)) {
      // SDR recomposes a decomposed permission set with its elements out of the schema's sequence, which the
      // Metadata API rejects ("invalid at this location"): deploy a metadata-format copy put back in order
      work = await mkdtemp(join(tmpdir(), 'sf-integration-user-deploy-'));
      await new MetadataConverter(registry).convert(components, 'metadata', {
        type: 'directory',
        outputDirectory: work,
        genUniqueDir: false,
      });
      await reorderPermissionSets(work);
      components = ComponentSet.fromSource({ fsPaths: [work], registry: new RegistryAccess() });
    }
    return await deployComponents(conn, components, options);
  } finally {
    if (work) await rm(work, { recursive: true, force: true });
  }
}

async function deployComponents(
  conn: Connection,
  components: ComponentSet,
  options: DeployOptions,
): Promise<DeployOutcome> {
  const checkOnly = options.checkOnly ?? false;
  if (options.sourceApiVersion) components.sourceApiVersion = options.sourceApiVersion;
  const deploy = await components.deploy({
    usernameOrConnection: conn,
    apiOptions: { checkOnly, rollbackOnError: true, singlePackage: true, ignoreWarnings: false },
  });
  if (options.onProgress) reportProgress(deploy, options.onProgress);
  backOff(deploy, options.pollFrequencyMs);
  const result = await deploy.pollStatus({
    frequency: Duration.milliseconds(1),
    timeout: Duration.minutes(options.waitMinutes ?? 33),
  });
  const response = result.response;
  const componentList = await deployedComponents(result);
  const success = String(response.status) === 'Succeeded' && response.success !== false;
  const outcome: DeployOutcome = {
    id: response.id,
    status: String(response.status),
    success,
    checkOnly,
    components: componentList,
    changed: componentList.some((c) => c.state === 'Created' || c.state === 'Changed'),
  };
  if (!success) {
    const failures = componentList.filter((c) => c.state === 'Failed');
    // whole-deploy failures (no component to blame) come as errorMessage
    const top = (response as { errorMessage?: string }).errorMessage;
    const text =
      failures.map((f) => `${f.type} ${f.fullName}: ${f.problem ?? 'failed'}`).join('\n') ||
      top ||
      `Deploy ${String(response.status)}`;
    throw new DeployFailure(outcome, failures, text);
  }
  return outcome;
}

function reportProgress(deploy: MetadataApiDeploy, notify: NonNullable<DeployOptions['onProgress']>): void {
  deploy.onUpdate((s: MetadataApiDeployStatus) =>
    notify({
      status: String(s.status),
      deployed: Number(s.numberComponentsDeployed ?? 0),
      total: Number(s.numberComponentsTotal ?? 0),
      errors: Number(s.numberComponentErrors ?? 0),
    }),
  );
}

/** One entry per component (a failed file wins over its other files), with the org's record Id when reported. */
async function deployedComponents(result: DeployResult): Promise<DeployedComponent[]> {
  const { ComponentStatus } = await import('@salesforce/source-deploy-retrieve');
  const response = result.response;
  // the raw messages carry the org's record Ids, which SDR's file responses drop
  const raw = [
    ...asArray<RawMessage>(response.details?.componentSuccesses),
    ...asArray<RawMessage>(response.details?.componentFailures),
  ];
  const idOf = (type: string, fullName: string): string | undefined =>
    raw.find((m) => m.componentType === type && m.fullName === fullName && m.id)?.id;

  const byKey = new Map<string, DeployedComponent>();
  for (const file of result.getFileResponses()) {
    const key = `${file.type}#${file.fullName}`;
    const existing = byKey.get(key);
    const component: DeployedComponent = {
      fullName: file.fullName,
      type: file.type,
      state: String(file.state),
      filePath: file.filePath,
      id: idOf(file.type, file.fullName),
      problem: file.state === ComponentStatus.Failed ? file.error : undefined,
    };
    if (!existing || component.state === 'Failed') byKey.set(key, component);
  }
  return [...byKey.values()];
}

/**
 * SDR polls at a fixed interval (PollingClient, no back-off option): poll every millisecond and wait before each
 * status check instead, as poll.ts schedules it. The first check is immediate, as in SDR.
 */
function backOff(deploy: MetadataApiDeploy, fixedMs: number | undefined): void {
  const check = deploy.checkStatus.bind(deploy);
  let n = 0;
  deploy.checkStatus = async (): Promise<MetadataApiDeployStatus> => {
    const delay = pollDelay(n++, fixedMs);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    return check();
  };
}

const isDecomposed = (registry: RegistryAccess): boolean =>
  registry.getTypeByName('PermissionSet').strategies?.transformer === 'decomposedPermissionSet';

const XML_OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  processEntities: false,
  parseTagValue: false,
  trimValues: true,
} as const;
type XmlNode = Record<string, unknown> & { ':@'?: Record<string, string> };
const nameOf = (node: XmlNode): string => Object.keys(node).find((k) => k !== ':@') ?? '';
const rank = (order: readonly string[], name: string): number => {
  const at = order.indexOf(name);
  return at < 0 ? order.length : at;
};

/** Puts every PermissionSet under `dir` back in the schema's sequence: elements, then each entry's fields (stable). */
async function reorderPermissionSets(dir: string): Promise<void> {
  const parser = new XMLParser(XML_OPTIONS);
  const builder = new XMLBuilder({ ...XML_OPTIONS, format: true, indentBy: '    ', suppressEmptyNode: false });
  for (const file of await listFiles(dir)) {
    if (!file.endsWith('.permissionset')) continue;
    const doc = parser.parse(await readFile(file, 'utf8')) as XmlNode[];
    const root = doc.find((n) => nameOf(n) === 'PermissionSet');
    if (!root) continue;
    const children = root.PermissionSet as XmlNode[];
    children.sort(
      (a, b) => rank(PERMISSION_SET_ELEMENT_ORDER, nameOf(a)) - rank(PERMISSION_SET_ELEMENT_ORDER, nameOf(b)),
    );
    for (const child of children) {
      const section = nameOf(child);
      if (!(section in PERMISSION_SET_SECTIONS) || !Array.isArray(child[section])) continue;
      const order = SECTION_FIELD_ORDER[section as SectionName];
      (child[section] as XmlNode[]).sort((a, b) => rank(order, nameOf(a)) - rank(order, nameOf(b)));
    }
    await writeFile(file, String(builder.build(doc)));
  }
}

/** Classifies a component problem so the caller can suggest the right fix. */
export function classifyDeployProblem(
  problem: string,
): 'unknown-field' | 'unknown-object' | 'unknown-permission' | 'license' | 'dependency' | 'other' {
  if (/no CustomField named|Invalid field|field .* does not exist/i.test(problem)) return 'unknown-field';
  if (
    /no CustomObject named|Invalid object|entity type .* (does not exist|is not supported)|no such object/i.test(
      problem,
    )
  )
    return 'unknown-object';
  if (/Unknown user permission/i.test(problem)) return 'unknown-permission';
  if (/license/i.test(problem)) return 'license';
  if (/depends on permission/i.test(problem)) return 'dependency';
  return 'other';
}
