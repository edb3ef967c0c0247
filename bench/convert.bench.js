// Benchmark: convert-profile on the largest corpus profile and on a generated ~40 MB profile, beside parsing the
// same file with the same XML parser (fast-xml-parser, same options). Prints wall time and peak memory; it is not a
// timed test. Each measurement runs in a fresh child process so its peak RSS is its own.
//
//   parse     read the file whole and parse it with the profile parser in one call: the reference
//   convert   what the command does up to the files: stream-read and parse the profile in batches, convert, stream
//             the permission sets' XML to files
//   command   convert, then lay the files out with source-deploy-retrieve as the command does (writePermissionSetSources)
//
// Goals (issue 2): convert within 2x the parse time, peak memory under 10x the file size. Peak memory is reported
// as the process's peak RSS (kernel maxRSS) and as its increment above the RSS of a process that has loaded the
// modules: Node with these modules holds ~110 MB before reading a byte, 40x a 2.6 MB file, so for small files only
// the increment says anything about the conversion.
//
//   npm run bench                     (builds lib/ first)
//   node bench/convert.bench.js [--mb 40] [--runs 3] [--modes parse,convert,command] [profile files...]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
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
    const value = args[i + 1];
    args.splice(i, 2);
    return value;
  };
  const mb = Number(option('--mb', 40));
  const runs = Number(option('--runs', 3));
  const modes = option('--modes', 'parse,convert,command').split(',');

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

  const rows = [];
  try {
    for (const file of files) {
      const size = statSync(file).size;
      const name = file.split('/').pop();
      console.log(`\n${name}  (${fmtMb(size)}), best time of ${runs} runs, highest peak of ${runs} runs`);
      const results = {};
      for (const mode of modes) {
        const samples = [];
        for (let i = 0; i < runs; i++) {
          const out = execFileSync(
            process.execPath,
            ['--expose-gc', fileURLToPath(import.meta.url), '--child', mode, file],
            {
              encoding: 'utf8',
              maxBuffer: 1 << 20,
            },
          );
          samples.push(JSON.parse(out));
        }
        const best = samples.reduce((a, b) => (b.ms < a.ms ? b : a));
        const peak = Math.max(...samples.map((s) => s.maxRss));
        const base = Math.min(...samples.map((s) => s.baseRss));
        const r = { ms: best.ms, peak, base, detail: best.detail };
        results[mode] = r;
        console.log(
          `  ${mode.padEnd(8)} ${fmtMs(r.ms).padStart(8)}   peak RSS ${fmtMb(peak).padStart(8)} = ${x(peak, size)} file;` +
            `  above the ${fmtMb(base)} of a loaded process: ${fmtMb(peak - base).padStart(8)} = ${x(peak - base, size)} file` +
            (best.detail ? `\n           ${best.detail}` : ''),
        );
      }
      const { parse, convert } = results;
      if (parse && convert) {
        const ratio = convert.ms / parse.ms;
        const absolute = convert.peak / size;
        const growth = (convert.peak - convert.base) / size;
        console.log(
          `  convert/parse time ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'}); ` +
            `convert peak RSS ${absolute.toFixed(1)}x file (goal < 10x: ${absolute < 10 ? 'met' : 'NOT met'}), ` +
            `above the loaded process ${growth.toFixed(1)}x (${growth < 10 ? 'met' : 'NOT met'})`,
        );
      }
      rows.push({ name, size, results });
    }
  } finally {
    rmSync(generated, { force: true });
  }
  printTable(rows, modes);
}

/** A markdown table of every figure, for notes and reports. */
function printTable(rows, modes) {
  console.log('\n| file | size | mode | time | vs parse | peak RSS | / size | above loaded | / size |');
  console.log('|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const { name, size, results } of rows) {
    for (const mode of modes) {
      const r = results[mode];
      const vs = results.parse ? `${(r.ms / results.parse.ms).toFixed(2)}x` : '';
      console.log(
        `| ${name} | ${fmtMb(size)} | ${mode} | ${fmtMs(r.ms)} | ${vs} | ${fmtMb(r.peak)} | ${x(r.peak, size)} | ` +
          `${fmtMb(r.peak - r.base)} | ${x(r.peak - r.base, size)} |`,
      );
    }
  }
}

/** One measurement in a fresh process; prints JSON. */
async function child(mode, file) {
  const { readProfileFile, profileXmlParser } = await import(join(lib, 'profile', 'read-profile.js'));
  const { convertToIntegrationPermissionSets } = await import(join(lib, 'permissions', 'convert.js'));
  const { writePermissionSetXml } = await import(join(lib, 'metadata', 'permission-set-xml.js'));
  const { writePermissionSetSources } = await import(join(lib, 'metadata', 'write-sources.js'));
  const out = mkdtempSync(join(tmpdir(), 'sf-integration-user-bench-out-'));
  globalThis.gc?.();
  const baseRss = process.memoryUsage().rss;
  const start = performance.now();
  let detail = '';
  try {
    if (mode === 'parse') {
      const parsed = profileXmlParser().parse(readFileSync(file, 'utf8'));
      detail = Object.keys(parsed).length === 1 ? '' : 'unexpected parse';
    } else {
      const t0 = performance.now();
      const profile = await readProfileFile(file);
      const t1 = performance.now();
      const result = convertToIntegrationPermissionSets(profile, { name: 'Bench_Integration', includeUi: true });
      const t2 = performance.now();
      const docs = result.companion ? [result.main, result.companion] : [result.main];
      if (mode === 'convert') {
        await Promise.all(
          docs.map((doc) => writePermissionSetXml(doc, join(out, `${doc.fullName}.permissionset-meta.xml`))),
        );
      } else {
        await writePermissionSetSources(docs, { outputDir: out, force: true });
      }
      const t3 = performance.now();
      const bytes = readdirSync(out).reduce((n, f) => n + statSync(join(out, f)).size, 0);
      detail =
        `read+parse ${fmtMs(t1 - t0)}, convert ${fmtMs(t2 - t1)}, write ${fmtMs(t3 - t2)}; ` +
        `${fmtMb(bytes)} written, ${result.omitted.length} omitted`;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  const ms = performance.now() - start;
  // maxRSS is the true peak of this process (KiB), kept by the kernel
  const maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify({ ms, baseRss, maxRss, detail }));
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
    push(
      `    <applicationVisibilities>\n        <application>App_${i % 50}_${i}</application>\n        <default>false</default>\n        <visible>${b(i, 2)}</visible>\n    </applicationVisibilities>\n`,
    );
  }
  for (let i = 0; i < 20000; i++) {
    push(
      `    <classAccesses>\n        <apexClass>Generated_Class_${i}</apexClass>\n        <enabled>${b(i, 3) === 'true' ? 'false' : 'true'}</enabled>\n    </classAccesses>\n`,
    );
  }
  push('    <custom>true</custom>\n');
  // fields fill the remaining size, spread over the objects
  const perField = 140;
  const fixedRest = objects * (260 + 180 + 250 + 130) + 20000 * 120 + 300 * 100;
  const fields = Math.max(1000, Math.floor((bytes - size - fixedRest) / perField));
  for (let i = 0; i < fields; i++) {
    push(
      `    <fieldPermissions>\n        <editable>${b(i, 4)}</editable>\n        <field>Object_${i % objects}__c.Field_${i}__c</field>\n        <readable>${b(i, 7) === 'true' ? 'false' : 'true'}</readable>\n    </fieldPermissions>\n`,
    );
  }
  for (let i = 0; i < objects; i++) {
    push(
      `    <layoutAssignments>\n        <layout>Object_${i}__c-Object ${i} Layout</layout>\n    </layoutAssignments>\n`,
    );
  }
  for (let i = 0; i < objects; i++) {
    push(
      `    <objectPermissions>\n        <allowCreate>${b(i, 2)}</allowCreate>\n        <allowDelete>${b(i, 5)}</allowDelete>\n        <allowEdit>${b(i, 2)}</allowEdit>\n        <allowRead>true</allowRead>\n        <modifyAllRecords>false</modifyAllRecords>\n        <object>Object_${i}__c</object>\n        <viewAllRecords>${b(i, 5)}</viewAllRecords>\n    </objectPermissions>\n`,
    );
  }
  for (let i = 0; i < 20000; i += 4) {
    push(
      `    <pageAccesses>\n        <apexPage>Generated_Page_${i}</apexPage>\n        <enabled>true</enabled>\n    </pageAccesses>\n`,
    );
  }
  for (let i = 0; i < objects; i++) {
    push(
      `    <recordTypeVisibilities>\n        <default>${b(i, 2)}</default>\n        <recordType>Object_${i}__c.Type_A</recordType>\n        <visible>true</visible>\n    </recordTypeVisibilities>\n`,
    );
  }
  const visibility = ['DefaultOn', 'DefaultOff', 'Hidden'];
  for (let i = 0; i < objects; i++) {
    push(
      `    <tabVisibilities>\n        <tab>Object_${i}__c</tab>\n        <visibility>${visibility[i % 3]}</visibility>\n    </tabVisibilities>\n`,
    );
  }
  push('    <userLicense>Salesforce</userLicense>\n');
  for (let i = 0; i < 300; i++) {
    push(
      `    <userPermissions>\n        <enabled>true</enabled>\n        <name>${i < 59 ? ['RunReports', 'ViewSetup', 'ModifyAllData', 'ApiEnabled'][i % 4] : `Permission${i}`}</name>\n    </userPermissions>\n`,
    );
  }
  push('</Profile>\n');
  return parts.join('');
}

function fmtMb(n) {
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function x(n, size) {
  return `${(n / size).toFixed(1)}x`;
}

function fmtMs(n) {
  return n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`;
}
