import { resolve } from 'node:path';
import type { Command } from 'commander';
import { displayPath } from '../../shared/display-path.js';
import { UploadError } from '../../upload/upload-error.js';
import { cliHint } from '../output/cli-hint.js';
import type { UploadResult } from '../../upload/upload-result.js';
import { uploadSettingsWarnings } from '../../upload/upload-settings.js';
import { EXIT, type CliIo } from '../io.js';
import { addUploadFlags, uploadSettingsFromFlags, type UploadFlags } from '../upload-flags.js';
import { requireSettings } from '../settings-check.js';
import { formatUploadJson } from '../output/upload-json.js';
import { formatUploadText } from '../output/upload-text.js';
import { parseConcurrency } from '../parse-options.js';
import { terminalOf } from '../terminal/terminal.js';

interface UploadOptions extends UploadFlags {
  concurrency?: string;
  verify: boolean;
  json?: boolean;
}

export function registerUpload(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = program
    .command('upload')
    .summary('upload media to S3 and print a URL the provider can fetch for each')
    .description(
      'Uploads each file under a key made from its content hash (PREFIX + sha256 + extension of the detected format), so\n' +
        'unchanged files are never sent twice: an object already in the bucket is reported as skipped. Each URL is then\n' +
        'fetched with a plain HTTP GET and must answer with the right Content-Type.\n' +
        'Settings also come from SEEDANCE_S3_BUCKET, SEEDANCE_S3_PREFIX, SEEDANCE_S3_ENDPOINT, SEEDANCE_S3_FORCE_PATH_STYLE,\n' +
        'SEEDANCE_S3_URL_MODE, SEEDANCE_S3_EXPIRES and SEEDANCE_S3_PUBLIC_BASE_URL; credentials and region from the AWS SDK\n' +
        '(AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_REGION; region us-east-1 when none is set).\n' +
        'Exit 0 when every file is uploaded and its URL works, 1 when an upload or a URL fails, 2 for usage or settings errors.',
    )
    .argument('<paths...>', 'media files');
  addUploadFlags(command)
    .option('--concurrency <n>', 'files uploaded at once (default 4); large files also send 4 parts at once')
    .option('--no-verify', 'skip the GET of each URL after upload')
    .addHelpText('after', '\nExamples:\n  seedance-preflight upload clip.mp4 hero.png --bucket my-media --prefix seedance/\n  seedance-preflight upload out/* --bucket media --url-mode presigned --expires 172800 --json\n  seedance-preflight upload clip.mp4 --bucket media --endpoint http://127.0.0.1:4568 --force-path-style')
    .action(async (paths: string[], options: UploadOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as UploadOptions;
      setExit(await runUpload(paths, { ...options, json: globals.json, endpoint: globals.endpoint, forcePathStyle: globals.forcePathStyle }, io));
    });
}

async function runUpload(paths: string[], options: UploadOptions, io: CliIo): Promise<number> {
  requireSettings('upload', options, io.env);
  const settings = uploadSettingsFromFlags(options, io.env);
  const warnings = uploadSettingsWarnings(settings);
  const warn = (message: string) => {
    warnings.push(message);
    io.stderr(`seedance-preflight: warning: ${message}\n`);
  };
  for (const message of warnings.splice(0)) warn(message);
  // the AWS SDK costs ~150 ms to load: only when uploading, not for every command
  const { uploadFiles } = await import('../../upload/upload-files.js');
  // each file's bytes on a terminal's live area; in a log nothing (the summary names every file)
  const progress = await terminalOf(io).view({ noun: 'file', total: paths.length, log: false });
  const resolved = paths.map((path) => resolve(io.cwd, path));
  const shown = (path: string) => displayPath(paths[resolved.indexOf(path)] ?? path, io.cwd);
  let results: UploadResult[];
  try {
    results = await uploadFiles(
      resolved,
      settings,
      {
        env: io.env,
        verify: options.verify,
        ...(options.concurrency !== undefined && { concurrency: parseConcurrency(options.concurrency) }),
        onProgress: (event) => {
          if (event.type === 'warning') warn(event.message);
          if (event.type === 'sending') progress.update({ type: 'upload', key: shown(event.path), file: shown(event.path), loaded: event.loaded, bytes: event.bytes });
          if (event.type === 'done') progress.update({ type: 'ended', key: shown(event.path), outcome: 'done', detail: 'uploaded' });
        },
      },
    );
  } catch (error) {
    progress.stop();
    if (!(error instanceof UploadError)) throw error;
    // name the file as it was given
    const given = displayPath(paths[resolved.indexOf(error.path)] ?? error.path, io.cwd);
    const message = `${given}: ${error.detail}`;
    const hint = cliHint(error) ?? null;
    if (options.json) io.stdout(formatUploadJson([], warnings, { path: given, stage: error.stage, code: error.code, message, hint }));
    io.stderr(`seedance-preflight: ${message}
${hint ? `  to do: ${hint}
` : ''}`);
    return error.environment ? EXIT.usage : EXIT.failed;
  }
  progress.stop();
  // paths as every output shows them: relative to the folder the command ran in
  const done = results.map((result, i) => ({ ...result, path: displayPath(paths[i] ?? result.path, io.cwd) }));
  io.stdout(options.json ? formatUploadJson(done, warnings) : formatUploadText(done));
  return EXIT.ok;
}
