/**
 * Start-up cost through the real sf (whole process, same CLI, same run, median of RUNS), beside issue 12's targets:
 *   - `sf integration-user create --help` <= 1.1x `sf org create user --help`
 *   - `sf integration-user convert-profile` on the largest corpus profile <= 1.3x
 *     (`sf integration-user convert-profile --help` wall + a fast-xml-parser parse of that file)
 *
 * The targets are measured on the plugin as users get it: packed (`npm pack`) and laid out in sf's data folder as
 * `sf plugins install` does (offline: its dependencies are this checkout's). A linked plugin (`sf plugins link`, a
 * developer's set-up) is shown too, for information: for linked plugins oclif loads the TypeScript compiler to read
 * tsconfig.json (@oclif/core config/ts-path.js, readTSConfig), about half a second that installed plugins never pay.
 *
 *   node --import tsx bench/startup.bench.ts [pluginRoot=this repo] [runs=7]
 *   (pluginRoot must be built: `npm run build`; pass /work/main to measure another checkout)
 *
 * Where the time goes: BENCH_CPU_PROF=1 adds a CPU profile of `create --help` (node --cpu-prof), summarised by
 * package (self time). The raw .cpuprofile is kept and opens in Chrome DevTools (Performance tab).
 */
import { execFile, spawn } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { linkPlugin, SF, sfEnv } from '@sf-integration-user/org-emulator/sf-session';

const ROOT = resolve(process.argv[2] ?? join(fileURLToPath(import.meta.url), '..', '..'));
const RUNS = Number(process.argv[3] ?? 7);
const CORPUS = '/work/shared/corpus/profiles';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function wall(args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((done, fail) => {
    const child = spawn(SF, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', fail);
    child.on('close', (code) =>
      code === 0
        ? done(Number(process.hrtime.bigint() - started) / 1e6)
        : fail(new Error(`sf ${args.join(' ')}: exit ${String(code)}\n${err}`)),
    );
  });
}

async function largestProfile(): Promise<string> {
  let best = { file: '', size: -1 };
  for (const name of await readdir(CORPUS)) {
    const size = (await stat(join(CORPUS, name))).size;
    if (size > best.size) best = { file: join(CORPUS, name), size };
  }
  return best.file;
}

async function parseMs(file: string): Promise<number> {
  const xml = await readFile(file, 'utf8');
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    new XMLParser({ ignoreAttributes: false }).parse(xml);
    times.push(performance.now() - t);
  }
  return median(times);
}

/** Self time per package (node_modules/<pkg>, the plugin's lib, node internals) from a .cpuprofile. */
async function summariseProfile(dir: string): Promise<string[]> {
  const file = (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return ['(no profile written)'];
  type Node = { id: number; callFrame: { url: string } };
  const profile = JSON.parse(await readFile(join(dir, file), 'utf8')) as {
    nodes: Node[];
    samples: number[];
    timeDeltas: number[];
  };
  const urlOf = new Map(profile.nodes.map((n) => [n.id, n.callFrame.url]));
  const byPackage = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const url = urlOf.get(id) ?? '';
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
    const key = m
      ? m[1]
      : url.includes('/lib/') && url.includes(ROOT)
        ? 'this plugin'
        : url
          ? 'other'
          : '(program/gc/idle)';
    byPackage.set(key, (byPackage.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...byPackage]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([k, ms]) => `  ${ms.toFixed(0).padStart(6)} ms  ${k}`)
    .concat(`  profile: ${join(dir, file)}`);
}

/**
 * The plugin as `sf plugins install` leaves it: the packed files in <data>/sf/node_modules/<name>, listed in
 * <data>/sf/package.json as a user plugin. Its dependencies are this checkout's node_modules (no registry needed).
 */
async function installPacked(env: NodeJS.ProcessEnv, root: string, work: string): Promise<void> {
  const run = promisify(execFile);
  const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], {
    cwd: root,
  });
  const tarball = join(work, stdout.trim().split('\n').pop() ?? '');
  const pjson = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { name: string };
  const dataDir = join(env.XDG_DATA_HOME ?? join(env.HOME ?? '', '.local', 'share'), 'sf');
  const pluginDir = join(dataDir, 'node_modules', pjson.name);
  await mkdir(pluginDir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', pluginDir, '--strip-components=1']);
  await symlink(join(root, 'node_modules'), join(pluginDir, 'node_modules'));
  const tag = `file:${tarball}`;
  await writeFile(
    join(dataDir, 'package.json'),
    JSON.stringify({
      name: '@salesforce/cli',
      private: true,
      dependencies: { [pjson.name]: tag },
      oclif: { schema: 1, plugins: [{ name: pjson.name, type: 'user', tag }] },
    }),
  );
}

const ratioLine = (label: string, ratio: number, target: number): string =>
  `  ${label}: ${ratio.toFixed(2)}x (target <= ${target.toFixed(2)}x) ${ratio <= target ? 'OK' : 'MISSED'}`;

async function main(): Promise<void> {
  const installedHome = await mkdtemp(join(tmpdir(), 'startup-bench-'));
  const linkedHome = await mkdtemp(join(tmpdir(), 'startup-bench-linked-'));
  const out = await mkdtemp(join(tmpdir(), 'startup-bench-out-'));
  const installed = sfEnv(installedHome);
  const linked = sfEnv(linkedHome);
  try {
    await installPacked(installed, ROOT, out);
    await linkPlugin(linked, ROOT);
    const profile = await largestProfile();
    const convert = ['integration-user', 'convert-profile', '--source-file', profile, '--output-dir', out, '--force'];
    const cases: Record<string, [string[], NodeJS.ProcessEnv]> = {
      'org create user --help': [['org', 'create', 'user', '--help'], installed],
      'integration-user create --help': [['integration-user', 'create', '--help'], installed],
      'integration-user convert-profile --help': [['integration-user', 'convert-profile', '--help'], installed],
      'integration-user convert-profile (largest profile)': [convert, installed],
      'integration-user create --help (linked)': [['integration-user', 'create', '--help'], linked],
    };
    const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
    for (const [args, env] of Object.values(cases)) await wall(args, env); // warm the file cache
    // interleaved, so a slow moment of the machine hits every case alike
    for (let i = 0; i < RUNS; i++)
      for (const [k, [args, env]] of Object.entries(cases)) times[k].push(await wall(args, env));
    const m = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
    const parse = await parseMs(profile);
    console.log(`start-up through the real sf (${SF}), plugin ${ROOT} packed and installed, median of ${RUNS}`);
    for (const [k, v] of Object.entries(m)) console.log(`  ${v.toFixed(0).padStart(6)} ms  sf ${k}`);
    console.log(
      `  ${parse.toFixed(0).padStart(6)} ms  fast-xml-parser parse of ${profile} (${((await stat(profile)).size / 1e6).toFixed(1)} MB)`,
    );
    const help = m['org create user --help'];
    console.log(ratioLine('create --help / org create user --help', m['integration-user create --help'] / help, 1.1));
    console.log(
      ratioLine(
        'convert-profile / (its --help + parse)',
        m['integration-user convert-profile (largest profile)'] /
          (m['integration-user convert-profile --help'] + parse),
        1.3,
      ),
    );
    const linkedRatio = m['integration-user create --help (linked)'] / help;
    console.log(`  linked (for information): create --help / org create user --help: ${linkedRatio.toFixed(2)}x`);
    if (process.env.BENCH_CPU_PROF) {
      const dir = await mkdtemp(join(tmpdir(), 'startup-cpuprof-'));
      const [args] = cases['integration-user create --help'];
      await wall(args, { ...installed, NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` });
      console.log('where `sf integration-user create --help` spends its CPU (self time by package):');
      for (const line of await summariseProfile(dir)) console.log(line);
    }
  } finally {
    for (const dir of [installedHome, linkedHome, out]) await rm(dir, { recursive: true, force: true });
  }
}

await main();
