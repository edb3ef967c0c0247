/**
 * What a deploy zip holds: its package.xml (the shallowest), the version its metadata is shaped for, the types it
 * names, and the component files the emulator reads (permission types parsed against the schema, External Client Apps).
 */
import JSZip from 'jszip';
import { XMLParser } from 'fast-xml-parser';
import { matchEcaFile } from '../external-client-apps.js';
import type { Component } from './deploy-job.js';

export type PackageType = { name: string; members?: string[] };
export type DeployPackage = { version: string; types: PackageType[]; components: Component[] };

/** Folders and suffixes (metadata format) of the permission types whose files are parsed against the schema. */
const SCHEMA_FILES: ReadonlyArray<{ folder: string; suffix: string; type: string }> = [
  { folder: 'permissionsets', suffix: 'permissionset', type: 'PermissionSet' },
  { folder: 'profiles', suffix: 'profile', type: 'Profile' },
  { folder: 'mutingpermissionsets', suffix: 'mutingpermissionset', type: 'MutingPermissionSet' },
  { folder: 'permissionsetgroups', suffix: 'permissionsetgroup', type: 'PermissionSetGroup' },
];

const MANIFEST_PARSER = new XMLParser({
  removeNSPrefix: true,
  isArray: (n) => n === 'types' || n === 'members',
  parseTagValue: false,
});

/** The package, or the deploy's error message when the zip is unreadable or has no package.xml. */
export async function readDeployZip(bytes: Buffer, endpointVersion: string): Promise<DeployPackage | string> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return 'The zip file is not valid';
  }
  const names = Object.keys(zip.files).filter((n) => !zip.files[n].dir);
  const manifest = names
    .filter((n) => /(^|\/)package\.xml$/.test(n))
    .sort((a, b) => a.split('/').length - b.split('/').length)[0];
  if (!manifest) return 'No package.xml found';
  const pkg = MANIFEST_PARSER.parse(await zip.files[manifest].async('string')) as {
    Package?: { types?: PackageType[]; version?: string };
  };
  const base = manifest.slice(0, -'package.xml'.length);
  const components: Component[] = [];
  for (const n of names) {
    if (!n.startsWith(base)) continue;
    const rel = n.slice(base.length);
    const file = matchSchemaFile(rel) ?? matchEcaFile(rel);
    if (file) components.push({ ...file, fileName: rel, xml: await zip.files[n].async('string') });
  }
  return {
    // the metadata's shape is the manifest's <version> (SDR writes sourceApiVersion there); else the endpoint's
    version: pkg.Package?.version ? String(pkg.Package.version) : endpointVersion,
    types: pkg.Package?.types ?? [],
    components,
  };
}

function matchSchemaFile(rel: string): { type: string; fullName: string } | undefined {
  for (const f of SCHEMA_FILES) {
    const m = new RegExp(`^${f.folder}/([^/]+)\\.${f.suffix}$`).exec(rel);
    if (m) return { type: f.type, fullName: decodeURIComponent(m[1]) };
  }
  return undefined;
}
