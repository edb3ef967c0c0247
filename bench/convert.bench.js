// Benchmark: convert-profile on the largest corpus profile and on a generated ~40 MB profile, beside parsing the
// same file with the same XML parser (fast-xml-parser, same options). Prints wall time and peak memory; it is not a
// timed test. Each measurement runs in a fresh child process so its peak RSS is its own.
//
//   npm run bench                     (builds lib/ first)
//   node bench/convert.bench.js [--mb 40] [--runs 3] [profile files...]
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const lib = join(root, 'lib');

if (process.argv[2] === '--child') {
  await child(process.argv[3], process.argv[4]);
} else {
  await main();
}

async function main() {
  const args = process.argv.slice(2);
  const option = (name, fallback) => {
    const i = args.indexOf(name);
    if (i < 0) return fallback;
    const value = Number(args[i + 1]);
    args.splice(i, 2);
    return value;
  };
  const mb = option('--mb', 40);
  const runs = option('--runs', 3);

  const files = [...args];
  if (files.length === 0) {
    const corpus = join(root, '..', 'shared', 'corpus', 'profiles');
    if (existsSync(corpus)) {
      const largest = readdirSync(corpus)
        .map((f) => join(corpus, f))
        .sort((a, b) => statSync(b).size - statSync(a).size)[0];
      if (largest) files.push(largest);
    } else {
      console.log(`(no corpus at ${corpus}: only the generated profile is measured)`);
    }
  }
  const generated = join(tmpdir(), `sf-integration-user-bench-${mb}mb.profile-meta.xml`);
  writeFileSync(generated, generateProfile(mb * 1024 * 1024));
  files.push(generated);

  try {
    for (const file of files) {
      const size = statSync(file).size;
      console.log(`\n${file.split('/').pop()}  (${fmtMb(size)})`);
      const results = {};
      for (const mode of ['parse', 'convert']) {
        const samples = [];
        for (let i = 0; i < runs; i++) {
          const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, file], {
            encoding: 'utf8',
            maxBuffer: 1 << 20,
          });
          samples.push(JSON.parse(out));
        }
        const best = samples.reduce((a, b) => (b.ms < a.ms ? b : a));
        const peak = Math.max(...samples.map((s) => s.maxRss));
        const base = Math.min(...samples.map((s) => s.baseRss));
        const heap = Math.max(...samples.map((s) => s.heapAfter));
        results[mode] = { ms: best.ms, peak, base, heap, detail: best.detail };
        console.log(
          `  ${mode.padEnd(8)} ${fmtMs(best.ms).padStart(9)}   peak RSS ${fmtMb(peak).padStart(9)} ` +
            `(${(peak / size).toFixed(1)}x file; ${fmtMb(peak - base)} above the ${fmtMb(base)} of a loaded process = ` +
            `${((peak - base) / size).toFixed(1)}x)   heap at end ${fmtMb(heap)}` +
            (best.detail ? `   ${best.detail}` : '')
        );
      }
      const ratio = results.convert.ms / results.parse.ms;
      // a Node process with the plugin's modules loaded already holds ~110 MB: judge the memory goal above that
      const growth = (results.convert.peak - results.convert.base) / size;
      console.log(
        `  convert/parse time ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'}); ` +
          `peak RSS above the loaded process ${growth.toFixed(1)}x file size (goal < 10x: ${growth < 10 ? 'met' : 'NOT met'})`
      );
    }
  } finally {
    rmSync(generated, { force: true });
  }
}

/** One measurement in a fresh process; prints JSON. */
async function child(mode, file) {
  const { parseProfileXml, profileXmlParser } = await import(join(lib, 'profile', 'read-profile.js'));
  const { convertToIntegrationPermissionSets } = await import(join(lib, 'permissions', 'convert.js'));
  const { permissionSetToXml } = await import(join(lib, 'metadata', 'permission-set-xml.js'));
  globalThis.gc?.();
  const baseRss = process.memoryUsage().rss;
  const start = performance.now();
  let detail = '';
  if (mode === 'parse') {
    const xml = readFileSync(file, 'utf8');
    const parsed = profileXmlParser().parse(xml);
    detail = `${Object.keys(parsed).length} root`;
  } else {
    const xml = readFileSync(file, 'utf8');
    const t0 = performance.now();
    const profile = parseProfileXml(xml, file.split('/').pop());
    const t1 = performance.now();
    const result = convertToIntegrationPermissionSets(profile, { name: 'Bench_Integration', includeUi: true });
    const t2 = performance.now();
    const bytes = permissionSetToXml(result.main).length + (result.companion ? permissionSetToXml(result.companion).length : 0);
    const t3 = performance.now();
    detail =
      `[read+validate+parse ${fmtMs(t1 - t0)}, convert ${fmtMs(t2 - t1)}, write XML ${fmtMs(t3 - t2)}; ` +
      `${fmtMb(bytes)} out, ${result.omitted.length} omitted]`;
  }
  const ms = performance.now() - start;
  const heapAfter = process.memoryUsage().heapUsed;
  // maxRSS is the true peak of this process (KiB), sampled by the kernel
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ms, baseRss, maxRss, heapAfter, detail }));
}

/** A synthetic profile of about `bytes`: thousands of objects, fields, classes, pages, tabs, layouts. */
function generateProfile(bytes) {
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Profile xmlns="http://soap.sforce.com/2006/04/metadata">\n'];
  let size = parts[0].length;
  const push = (s) => {
    parts.push(s);
    size += s.length;
  };
  const objects = 3000;
  const b = (i, m) => (i % m === 0 ? 'true' : 'false');
  for (let i = 0; i < objects; i++) {
    push(`    <applicationVisibilities>\n        <application>App_${i % 50}_${i}</application>\n        <default>false</default>\n        <visible>${b(i, 2)}</visible>\n    </applicationVisibilities>\n`);
  }
  for (let i = 0; i < 20000; i++) {
    push(`    <classAccesses>\n        <apexClass>Generated_Class_${i}</apexClass>\n        <enabled>${b(i, 3) === 'true' ? 'false' : 'true'}</enabled>\n    </classAccesses>\n`);
  }
  push('    <custom>true</custom>\n');
  // fields fill the remaining size, spread over the objects
  const perField = 140;
  const fixedRest = objects * (260 + 180 + 250 + 130) + 20000 * 120 + 300 * 100;
  const fields = Math.max(1000, Math.floor((bytes - size - fixedRest) / perField));
  for (let i = 0; i < fields; i++) {
    push(`    <fieldPermissions>\n        <editable>${b(i, 4)}</editable>\n        <field>Object_${i % objects}__c.Field_${i}__c</field>\n        <readable>${b(i, 7) === 'true' ? 'false' : 'true'}</readable>\n    </fieldPermissions>\n`);
  }
  for (let i = 0; i < objects; i++) {
    push(`    <layoutAssignments>\n        <layout>Object_${i}__c-Object ${i} Layout</layout>\n    </layoutAssignments>\n`);
  }
  for (let i = 0; i < objects; i++) {
    push(
      `    <objectPermissions>\n        <allowCreate>${b(i, 2)}</allowCreate>\n        <allowDelete>${b(i, 5)}</allowDelete>\n        <allowEdit>${b(i, 2)}</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Object_${i}__c</object>\n        <viewAllRecords>${b(i, 5)}</viewAllRecords>\n    </objectPermissions>\n`
    );
  }
  for (let i = 0; i < 20000; i += 4) {
    push(`    <pageAccesses>\n        <apexPage>Generated_Page_${i}</apexPage>\n        <enabled>true</enabled>\n    </pageAccesses>\n`);
  }
  for (let i = 0; i < objects; i++) {
    push(`    <recordTypeVisibilities>\n        <default>${b(i, 2)}</default>\n        <recordType>Object_${i}__c.Type_A</recordType>\n        <visible>true</visible>\n    </recordTypeVisibilities>\n`);
  }
  const visibility = ['DefaultOn', 'DefaultOff', 'Hidden'];
  for (let i = 0; i < objects; i++) {
    push(`    <tabVisibilities>\n        <tab>Object_${i}__c</tab>\n        <visibility>${visibility[i % 3]}</visibility>\n    </tabVisibilities>\n`);
  }
  push('    <userLicense>Salesforce</userLicense>\n');
  for (let i = 0; i < 300; i++) {
    push(`    <userPermissions>\n        <enabled>true</enabled>\n        <name>${i < 59 ? ['RunReports', 'ViewSetup', 'ModifyAllData', 'ApiEnabled'][i % 4] : `Permission${i}`}</name>\n    </userPermissions>\n`);
  }
  push('</Profile>\n');
  return parts.join('');
}

function fmtMb(n) {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function fmtMs(n) {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`;
}
