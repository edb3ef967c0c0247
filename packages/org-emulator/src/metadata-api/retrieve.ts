/**
 * A retrieve's result: a zip (unpackaged/…) with each requested permission set and profile as the org holds it
 * and a package.xml of what was found, the files' properties, and a message for each member that cannot be found.
 */
import JSZip from 'jszip';
import type { OrgState, Rec } from '../state.js';
import { escapeXml } from '../xml.js';
import { componentBody, componentsOf, fileProps, metadataFile } from './org-components.js';
import { arr, type Value } from './soap-xml.js';
import { fieldText } from '../field-text.js';

export type RetrieveJob = {
  id: string;
  org: OrgState;
  request: Record<string, unknown>;
  pollsLeft: number;
  apiVersion: string;
  result?: Record<string, Value>;
};

type Unpackaged = { types?: Array<{ name?: string; members?: string[] }>; version?: string };
/** What a retrieve collects: the zip, its files' properties, the problems, package.xml's <types>. */
type Retrieved = {
  zip: JSZip;
  files: Array<Record<string, Value>>;
  messages: Array<Record<string, Value>>;
  pkgTypes: string[];
};

export async function retrieveResult(org: OrgState, job: RetrieveJob): Promise<Record<string, Value>> {
  const unpackaged = (job.request.unpackaged ?? {}) as Unpackaged;
  const version = fieldText(unpackaged.version ?? job.request.apiVersion ?? job.apiVersion);
  const out: Retrieved = { zip: new JSZip(), files: [], messages: [], pkgTypes: [] };
  for (const t of arr(unpackaged.types))
    retrieveType(org, String(t.name ?? ''), arr(t.members).map(String), version, out);
  out.zip.file(
    'unpackaged/package.xml',
    `<?xml version="1.0" encoding="UTF-8"?>\n<Package xmlns="http://soap.sforce.com/2006/04/metadata">${out.pkgTypes.join('')}<version>${version}</version></Package>\n`,
  );
  out.files.push({ ...fileProps(org, 'Package', 'unpackaged/package.xml', 'unpackaged/package.xml', ''), id: '' });
  const zipFile = (await out.zip.generateAsync({ type: 'nodebuffer' })).toString('base64');
  return {
    done: true,
    fileProperties: out.files,
    id: job.id,
    messages: out.messages,
    status: 'Succeeded',
    success: true,
    zipFile,
  };
}

/** One <types> of the request: its members ('*': all the org has) into the zip, or a message each. */
function retrieveType(org: OrgState, type: string, members: string[], version: string, out: Retrieved): void {
  const all = componentsOf(org, type);
  const chosen = members.includes('*')
    ? all
    : members.map((m) => all.find((c) => c.fullName === m) ?? { fullName: m, rec: undefined as unknown as Rec });
  const found: string[] = [];
  for (const c of chosen) {
    if (!c.rec) {
      out.messages.push({
        fileName: `unpackaged/${type === 'Profile' ? 'profiles' : 'permissionsets'}/${c.fullName}`,
        problem: `Entity of type '${type}' named '${c.fullName}' cannot be found`,
      });
      continue;
    }
    found.push(c.fullName);
    const path = `unpackaged/${metadataFile(type, c.fullName)}`;
    out.zip.file(
      path,
      `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">${componentBody(org, type, c.rec, false, version)}</${type}>\n`,
    );
    out.files.push(fileProps(org, type, c.fullName, path, c.rec.Id));
  }
  if (type !== 'PermissionSet' && type !== 'Profile') {
    for (const m of members)
      out.messages.push({
        fileName: `unpackaged/${m}`,
        problem: `Entity of type '${type}' named '${m}' cannot be found`,
      });
  }
  if (found.length)
    out.pkgTypes.push(
      `<types>${found.map((f) => `<members>${escapeXml(f)}</members>`).join('')}<name>${type}</name></types>`,
    );
}
