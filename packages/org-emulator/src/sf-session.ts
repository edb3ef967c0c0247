/**
 * The real `sf` binary (devDependency @salesforce/cli, on Node 22) against the org emulator, in a throw-away HOME.
 *
 *   const s = await startSfSession({ seed, alias: 'emu', plugins: [root] });   // temp HOME, emulator, login, plugins linked
 *   const r = await s.runSf(['data', 'query', '--query', 'SELECT Id FROM User']);   // --json added
 *   r.status, r.result, r.warnings, r.exitCode, r.stderr
 *   await s.stop();
 *
 * Every sf start costs 1-3 s of CPU, so a suite should keep its sf invocations few.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { mkdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type EmulatedOrg, type Emulator, type EmulatorSeed } from './index.js';

/** The workspace's node_modules/.bin, where npm put `sf` (and the Node 22 of the `node` devDependency). */
const BIN = findBin(dirname(fileURLToPath(import.meta.url)));
export const SF = join(BIN, 'sf');

function findBin(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', '.bin', 'sf'))) return join(dir, 'node_modules', '.bin');
    if (dirname(dir) === dir)
      throw new Error('sf not found in any node_modules/.bin above the emulator: run npm install');
  }
}

export type SfJson<T = unknown> = {
  status: number;
  result?: T;
  warnings?: string[];
  name?: string;
  message?: string;
  exitCode?: number;
  actions?: string[];
  data?: unknown;
  [key: string]: unknown;
};

export type SfResult<T = unknown> = {
  /** the JSON's status (0 on success); the process exit code when there was no JSON */
  status: number;
  result: T;
  warnings: string[];
  /** process exit code */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** the whole parsed JSON (errors carry name, message, actions, data), undefined without --json */
  json?: SfJson<T>;
  /** wall time of the sf process */
  ms: number;
};

export type RunSfOptions = {
  cwd?: string;
  /** extra environment (undefined removes a variable) */
  env?: Record<string, string | undefined>;
  /** append --json and parse stdout (default true) */
  json?: boolean;
  /** also copy the child's output to this process's stdout/stderr as it arrives (the demo) */
  echo?: boolean;
  /** give sf this process's terminal (stdout and stderr are then not captured) */
  inherit?: boolean;
  timeoutMs?: number;
};

export type SfSessionOptions = {
  seed?: EmulatorSeed | EmulatorSeed[];
  /** alias of org 0, set as the default target org (default 'emu') */
  alias?: string;
  /** more orgs to log in: emulator org index -> alias */
  aliases?: Record<number, string>;
  /** plugin folders to link into the session's sf (`sf plugins link --no-install`) */
  plugins?: string[];
  /** extra environment for every sf run */
  env?: Record<string, string | undefined>;
  /** sourceApiVersion of the projects project() makes (default 62.0) */
  sourceApiVersion?: string;
};

export type SfSession = {
  home: string;
  emulator: Emulator;
  env: NodeJS.ProcessEnv;
  /** result of the login of org 0 */
  login: SfResult<{ username: string; orgId: string; instanceUrl: string }>;
  runSf<T = unknown>(args: string[], options?: RunSfOptions): Promise<SfResult<T>>;
  /** `sf org login access-token` for one emulator org, the token passed in SF_ACCESS_TOKEN */
  loginOrg(
    org: EmulatedOrg,
    alias: string,
    setDefault?: boolean,
  ): Promise<SfResult<{ username: string; orgId: string; instanceUrl: string }>>;
  /** the auth file sf wrote for a username (~/.sfdx/<username>.json) */
  authFile(username: string): Promise<Record<string, unknown>>;
  /** a fresh SFDX project under the session dir, copied from a template folder (or a bare one) */
  project(template?: string): Promise<string>;
  stop(): Promise<void>;
};

/** The environment of a hermetic sf: its own HOME and XDG dirs, no telemetry, no update checks, no colour. */
export function sfEnv(home: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // the outer shell's sf settings (target org, tokens, debug) must not leak in
    if (/^(SF|SFDX|OCLIF|NODE_OPTIONS$|DEBUG$|FORCE_COLOR$)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    PATH: `${BIN}:${process.env.PATH ?? ''}`,
    HOME: home,
    USERPROFILE: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_STATE_HOME: join(home, '.local', 'state'),
    SF_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SFDX_USE_GENERIC_UNIX_KEYCHAIN: 'true',
    SF_DISABLE_TELEMETRY: 'true',
    SFDX_DISABLE_TELEMETRY: 'true',
    SF_AUTOUPDATE_DISABLE: 'true',
    SFDX_AUTOUPDATE_DISABLE: 'true',
    SF_SKIP_NEW_VERSION_CHECK: 'true',
    SF_HIDE_RELEASE_NOTES: 'true',
    SF_HIDE_RELEASE_NOTES_FOOTER: 'true',
    SF_DISABLE_DNS_CHECK: 'true',
    SFDX_DISABLE_DNS_CHECK: 'true',
    SF_DISABLE_SOURCE_MEMBER_POLLING: 'true',
    SF_DISABLE_LOG_FILE: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    TERM: 'dumb',
  });
  return sfEnvWith(env, extra);
}

/** Runs the real sf. Resolves (never rejects) with the exit code and parsed JSON. */
export function runSf<T = unknown>(
  args: string[],
  env: NodeJS.ProcessEnv,
  options: RunSfOptions = {},
): Promise<SfResult<T>> {
  const json = options.json ?? true;
  const argv = json && !args.includes('--json') ? [...args, '--json'] : args;
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(SF, argv, {
      cwd: options.cwd ?? env.HOME,
      env: options.env ? sfEnvWith(env, options.env) : env,
      stdio: ['ignore', options.inherit ? 'inherit' : 'pipe', options.inherit ? 'inherit' : 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (options.echo) process.stdout.write(d);
    });
    child.stderr?.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      if (options.echo) process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? (signal ? 128 : 1);
      const parsed = json ? parseJson<T>(stdout) : undefined;
      if (json && !parsed) {
        fail(
          new Error(
            `sf ${argv.join(' ')} printed no JSON (exit ${exitCode}${signal ? `, ${signal}` : ''})\nstdout: ${stdout}\nstderr: ${stderr}`,
          ),
        );
        return;
      }
      done({
        status: parsed?.status ?? exitCode,
        result: parsed?.result as T,
        warnings: parsed?.warnings ?? [],
        exitCode,
        stdout,
        stderr,
        json: parsed,
        ms: Date.now() - started,
      });
    });
  });
}

function sfEnvWith(base: NodeJS.ProcessEnv, extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function parseJson<T>(stdout: string): SfJson<T> | undefined {
  const text = stdout.trim();
  try {
    return JSON.parse(text) as SfJson<T>;
  } catch {
    // a stray line before the JSON (e.g. a warning printed to stdout): take the outermost object
    const start = text.indexOf('{\n');
    if (start < 0) return undefined;
    try {
      return JSON.parse(text.slice(start)) as SfJson<T>;
    } catch {
      return undefined;
    }
  }
}

/** Links a plugin folder into the sf of this HOME without running npm (offline, about one sf start). */
export async function linkPlugin(env: NodeJS.ProcessEnv, root: string): Promise<void> {
  const r = await runSf(['plugins', 'link', root, '--no-install'], env, { json: false });
  if (r.exitCode !== 0) throw new Error(`sf plugins link failed (${r.exitCode}): ${r.stderr}`);
}

type Login = SfResult<{ username: string; orgId: string; instanceUrl: string }>;

export async function startSfSession(options: SfSessionOptions = {}): Promise<SfSession> {
  const home = await realpath(mkdtempSync(join(tmpdir(), 'sf-iu-e2e-')));
  const env = sfEnv(home, options.env);
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({ seed: options.seed });
    const emu = emulator;
    const run = <T>(args: string[], o?: RunSfOptions): Promise<SfResult<T>> => runSf<T>(args, env, o);
    const loginOrg = orgLogin(env, emu.url);
    // logins and the link write different files, so they can overlap; logins stay in turn (one alias file)
    const [login] = await Promise.all([loginAll(emu, loginOrg, options), linkPlugins(env, options.plugins ?? [])]);
    return {
      home,
      emulator: emu,
      env,
      login,
      runSf: run,
      loginOrg,
      authFile: async (username) =>
        JSON.parse(await readFile(join(home, '.sfdx', `${username}.json`), 'utf8')) as Record<string, unknown>,
      project: (template) => newProject(home, template, options.sourceApiVersion),
      stop: async () => {
        await emu.stop();
        await rm(home, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await emulator?.stop();
    await rm(home, { recursive: true, force: true });
    throw e;
  }
}

/** `sf org login access-token` against the emulator, the org's token in SF_ACCESS_TOKEN. */
function orgLogin(env: NodeJS.ProcessEnv, instanceUrl: string): SfSession['loginOrg'] {
  return async (org, alias, setDefault = false) => {
    const r = await runSf<Login['result']>(
      [
        'org',
        'login',
        'access-token',
        '--instance-url',
        instanceUrl,
        '--no-prompt',
        '--alias',
        alias,
        ...(setDefault ? ['--set-default'] : []),
      ],
      env,
      { env: { SF_ACCESS_TOKEN: org.accessToken } },
    );
    if (r.exitCode !== 0) throw new Error(`sf org login access-token failed (${r.exitCode}): ${r.stdout}${r.stderr}`);
    return r;
  };
}

/** Org 0 under the session's alias (the default target org), then the other aliased orgs, one at a time. */
async function loginAll(emu: Emulator, loginOrg: SfSession['loginOrg'], options: SfSessionOptions): Promise<Login> {
  const first = await loginOrg(emu.org(0), options.alias ?? 'emu', true);
  for (const [index, alias] of Object.entries(options.aliases ?? {})) await loginOrg(emu.org(Number(index)), alias);
  return first;
}

async function linkPlugins(env: NodeJS.ProcessEnv, roots: string[]): Promise<void> {
  for (const root of roots) await linkPlugin(env, root);
}

/** A project dir under the session's HOME: a copy of the template, or a bare one at the source API version. */
async function newProject(home: string, template: string | undefined, sourceApiVersion = '62.0'): Promise<string> {
  const dir = mkdtempSync(join(home, 'project-'));
  if (template) cpSync(template, dir, { recursive: true });
  else {
    await mkdir(join(dir, 'force-app', 'main', 'default'), { recursive: true });
    await writeJson(join(dir, 'sfdx-project.json'), {
      packageDirectories: [{ path: 'force-app', default: true }],
      sourceApiVersion,
    });
  }
  return dir;
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** Lists the files under a directory, relative, sorted (for assertions on what a command wrote). */
export function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]))
    .sort();
}
