/**
 * Every flag of every command as a setting: its environment variable and config-file key, or why it has none.
 * Data only (no imports): doctor reads it without loading the other commands. A test reads every option from the
 * parser and asserts each is here exactly once, so a new flag cannot be left without a variable or a reason.
 */

/** How a flag takes its value: a value (`--fit <mode>`), a switch (`--strict`), a negatable switch (`--no-cache`). */
export type SettingKind = 'value' | 'switch' | 'negatable';

/** A value checked before it reaches the command, with `name` (the variable, or FILE: key) in the message. */
export type SettingCheck = 'concurrency' | 'seconds' | 'seconds-or-zero' | 'fit' | 'audio-format' | 'url-mode' | 'expires' | 'http-url' | 'profile' | 'fail-on';

export interface SettingSpec {
  /** The long flag as written: '--no-cache'. */
  flag: string;
  kind: SettingKind;
  /** The commands that take it ('global': the program's own options), as their words: 'queue status'. */
  commands: readonly string[];
  /** The variable, when it is not SEEDANCE_<NAME> (a name the tool read before the rule: kept as it was). */
  env?: string;
  /** The commands that read the variable themselves (as they did before the config file), or 'all': it is never copied into their option. */
  readBy?: readonly string[] | 'all';
  /** A path: a relative one in a config file is taken from the file's folder ('name-or-file': only when it looks like a file). */
  path?: 'file' | 'name-or-file';
  /** Repeatable: a config file may give a list. */
  list?: true;
  check?: SettingCheck;
  /**
   * Where a command takes the setting in one mode only: with (or without) another option holding a value. A value from
   * a variable or the file is left unused in the other mode; a flag given there stays, for the command to refuse.
   */
  only?: Readonly<Record<string, { with: string } | { without: string }>>;
}

/** batch --queue hands the jobs to workers: the flags of a local batch mean nothing there. */
const LOCAL_BATCH = { batch: { without: 'queue' } } as const;

export const GLOBAL = 'global';
const QUEUE_COMMANDS = ['queue status', 'queue retry', 'queue clean', 'queue drain'] as const;

export const SETTINGS: readonly SettingSpec[] = [
  { flag: '--json', kind: 'switch', commands: [GLOBAL] },
  { flag: '--profile', kind: 'value', commands: [GLOBAL], path: 'name-or-file', check: 'profile' },
  { flag: '--api-base', kind: 'value', commands: [GLOBAL], env: 'EVOLINK_BASE_URL', readBy: 'all', check: 'http-url' },
  { flag: '--endpoint', kind: 'value', commands: [GLOBAL], env: 'SEEDANCE_S3_ENDPOINT', readBy: 'all', check: 'http-url' },
  { flag: '--force-path-style', kind: 'switch', commands: [GLOBAL], env: 'SEEDANCE_S3_FORCE_PATH_STYLE', readBy: 'all' },
  { flag: '--quiet', kind: 'switch', commands: [GLOBAL] },
  { flag: '--verbose', kind: 'switch', commands: [GLOBAL] },
  { flag: '--no-progress', kind: 'negatable', commands: [GLOBAL] },
  // NO_COLOR and FORCE_COLOR keep their own meaning (the terminal reads them); SEEDANCE_COLOR=0 is --no-color
  { flag: '--no-color', kind: 'negatable', commands: [GLOBAL] },
  { flag: '--junit', kind: 'value', commands: ['check', 'batch'], path: 'file' },
  { flag: '--report', kind: 'value', commands: ['check', 'fix', 'run', 'batch'], path: 'file', only: LOCAL_BATCH },
  { flag: '--remote', kind: 'switch', commands: ['check'] },
  { flag: '--concurrency', kind: 'value', commands: ['check', 'fix', 'upload'], check: 'concurrency' },
  { flag: '--no-cache', kind: 'negatable', commands: ['check', 'fix'] },
  { flag: '--strict', kind: 'switch', commands: ['check', 'fix'] },
  { flag: '--fail-on', kind: 'value', commands: ['check', 'fix'], check: 'fail-on' },
  { flag: '--out', kind: 'value', commands: ['fix', 'run'], path: 'file' },
  { flag: '--fit', kind: 'value', commands: ['fix', 'run', 'batch'], check: 'fit' },
  { flag: '--audio-format', kind: 'value', commands: ['fix', 'run', 'batch'], check: 'audio-format' },
  { flag: '--encode-timeout', kind: 'value', commands: ['fix', 'run', 'batch', 'worker'], readBy: ['fix', 'run', 'batch', 'worker'], check: 'seconds-or-zero', only: LOCAL_BATCH },
  { flag: '--dry-run', kind: 'switch', commands: ['fix', 'submit', 'run', 'batch'], only: LOCAL_BATCH },
  { flag: '--bucket', kind: 'value', commands: ['upload', 'run', 'batch', 'worker', 'sandbox'], env: 'SEEDANCE_S3_BUCKET', readBy: ['upload', 'run', 'batch', 'worker'] },
  { flag: '--prefix', kind: 'value', commands: ['upload', 'run', 'batch', 'worker'], env: 'SEEDANCE_S3_PREFIX', readBy: ['upload', 'run', 'batch', 'worker'] },
  { flag: '--url-mode', kind: 'value', commands: ['upload', 'run', 'batch', 'worker'], env: 'SEEDANCE_S3_URL_MODE', readBy: ['upload', 'run', 'batch', 'worker'], check: 'url-mode' },
  { flag: '--expires', kind: 'value', commands: ['upload', 'run', 'batch', 'worker'], env: 'SEEDANCE_S3_EXPIRES', readBy: ['upload', 'run', 'batch', 'worker'], check: 'expires' },
  { flag: '--public-base-url', kind: 'value', commands: ['upload', 'run', 'batch', 'worker'], env: 'SEEDANCE_S3_PUBLIC_BASE_URL', readBy: ['upload', 'run', 'batch', 'worker'], check: 'http-url' },
  { flag: '--no-verify', kind: 'negatable', commands: ['upload'] },
  { flag: '--wait', kind: 'switch', commands: ['submit'] },
  { flag: '--no-wait', kind: 'negatable', commands: ['batch'], only: { batch: { with: 'queue' } } },
  { flag: '--timeout', kind: 'value', commands: ['submit', 'run', 'batch', 'wait'], check: 'seconds' },
  { flag: '--poll-interval', kind: 'value', commands: ['submit', 'wait'], check: 'seconds' },
  { flag: '--no-verify-urls', kind: 'negatable', commands: ['submit'] },
  { flag: '--request-timeout', kind: 'value', commands: ['submit', 'run', 'batch', 'worker', 'status', 'wait'], readBy: ['submit', 'run', 'batch', 'worker', 'status', 'wait'], check: 'seconds', only: LOCAL_BATCH },
  { flag: '--sandbox', kind: 'switch', commands: ['run', 'batch'], only: LOCAL_BATCH },
  { flag: '--sandbox-dir', kind: 'value', commands: ['run', 'batch', 'sandbox'], readBy: ['run', 'batch', 'sandbox'], path: 'file', only: { run: { with: 'sandbox' }, batch: { with: 'sandbox' } } },
  { flag: '--work', kind: 'value', commands: ['run'], path: 'file' },
  { flag: '--only', kind: 'value', commands: ['batch'], list: true },
  { flag: '--exclude', kind: 'value', commands: ['batch'], list: true },
  { flag: '--media-concurrency', kind: 'value', commands: ['batch', 'worker'], check: 'concurrency', only: LOCAL_BATCH },
  { flag: '--api-concurrency', kind: 'value', commands: ['batch', 'worker'], check: 'concurrency', only: LOCAL_BATCH },
  // batch --queue [url] is switched on only by the command line; given bare, its URL comes from here
  { flag: '--queue', kind: 'value', commands: ['batch', 'worker', ...QUEUE_COMMANDS], env: 'SEEDANCE_QUEUE_URL', readBy: ['batch', 'worker', ...QUEUE_COMMANDS] },
  { flag: '--queue-name', kind: 'value', commands: ['batch', 'worker', ...QUEUE_COMMANDS], only: { batch: { with: 'queue' } } },
  { flag: '--root', kind: 'value', commands: ['worker'], path: 'file' },
  { flag: '--lock-duration', kind: 'value', commands: ['worker'], check: 'seconds' },
  { flag: '--api-port', kind: 'value', commands: ['sandbox'] },
  { flag: '--s3-port', kind: 'value', commands: ['sandbox'] },
  { flag: '--task-duration', kind: 'value', commands: ['sandbox'], check: 'seconds' },
];

/** Flags that never come from a variable or a config file, and why (README "Settings" and doctor say so). */
/** `aliasOf`: a hidden earlier name; given on the command line, it is the flag, and the setting of the name it stands for stays unused. */
export const EXCLUDED: ReadonlyArray<{ flag: string; commands: readonly string[]; why: string; aliasOf?: string }> = [
  { flag: '--version', commands: [GLOBAL], why: 'prints the version and ends: a request of the moment, not a setting' },
  { flag: '--config', commands: [GLOBAL], why: 'names the config file itself: from the command line or SEEDANCE_CONFIG, never from a config file' },
  { flag: '--request', commands: ['check', 'fix', 'submit', 'run'], why: "names one job's request file: a setting would send every run to the same request" },
  { flag: '--prompt', commands: ['check', 'fix', 'run'], why: "is one job's prompt, given each time" },
  { flag: '--download', commands: ['submit', 'wait'], why: "names one task's result file" },
  { flag: '--adopt-task', commands: ['run'], why: "names one task, of one job's create" },
  { flag: '--restart', commands: ['run', 'batch'], why: 'creates new (paid) tasks: a choice made each time on the command line' },
  { flag: '--allow-outside-paths', commands: ['check', 'fix', 'run', 'batch'], why: 'switches off the confinement of a job to its folder: a file found upward, or a variable set long ago, must not turn a safety check off' },
  { flag: '--allow-insecure-callbacks', commands: ['sandbox'], why: 'switches off a check the provider makes: given each time on the command line' },
  { flag: '--api-key', commands: ['sandbox'], why: "is the sandbox's own key, a secret: on the command line or a random one; EVOLINK_API_KEY (your real key) is never taken for it" },
  { flag: '--output', commands: ['run'], why: 'is the earlier name of --out, kept on the command line only: set out', aliasOf: '--out' },
  { flag: '--directory', commands: ['sandbox'], why: 'is the earlier name of --sandbox-dir, kept on the command line only: set sandboxDir', aliasOf: '--sandbox-dir' },
  { flag: '--all', commands: ['queue retry'], why: 'chooses which jobs one command changes' },
  { flag: '--older-than', commands: ['queue clean'], why: 'chooses which jobs one command removes for good' },
  { flag: '--yes', commands: ['queue clean', 'queue drain'], why: 'is a confirmation, given each time on the command line' },
];

/** The variable that names the config file (the --config flag beats it). */
export const CONFIG_ENV = 'SEEDANCE_CONFIG';

/** SEEDANCE_ variables the tool reads that are not flags (doctor warns of any other SEEDANCE_ name as a likely typo). */
export const OTHER_VARIABLES: readonly string[] = [CONFIG_ENV, 'SEEDANCE_PREFLIGHT_CACHE_DIR', 'SEEDANCE_LOCK_STALE_SECONDS', 'SEEDANCE_SANDBOX_API_BASE', 'SEEDANCE_DEBUG'];
/** Prefixes of the test suite's own variables (SEEDANCE_TEST_REQUIRE_REDIS, SEEDANCE_PROPERTY_SEED): never a typo of a setting. */
export const OTHER_VARIABLE_PREFIXES: readonly string[] = ['SEEDANCE_TEST_', 'SEEDANCE_PROPERTY_'];

/** '--no-cache' → 'cache', '--api-base' → 'api-base': the idea a flag names, negation left out. */
export function positiveName(flag: string): string {
  return flag.replace(/^--(no-)?/, '');
}

/** The config-file key: the positive name in camelCase ('apiBase'), as commander names the option's value. */
export function settingKey(spec: Pick<SettingSpec, 'flag'>): string {
  return positiveName(spec.flag).replace(/-([a-z0-9])/g, (_all, c: string) => c.toUpperCase());
}

/** The one rule: SEEDANCE_<POSITIVE_NAME> in capitals with '_' for '-', unless the flag kept an older variable. */
export function settingEnv(spec: Pick<SettingSpec, 'flag' | 'env'>): string {
  return spec.env ?? `SEEDANCE_${positiveName(spec.flag).toUpperCase().replace(/-/g, '_')}`;
}

/** The setting `command` (its words, or GLOBAL) takes as `flag`. */
export function findSetting(flag: string, command: string): SettingSpec | undefined {
  return SETTINGS.find((s) => s.flag === flag && s.commands.includes(command));
}

/** A command's words below the program: 'queue status' (structurally typed: this file imports nothing). */
export function commandPath(command: { name(): string; parent: unknown }): string {
  const words: string[] = [];
  for (let c = command as { name(): string; parent: unknown } | null; c?.parent; c = c.parent as typeof c) words.unshift(c.name());
  return words.join(' ');
}
