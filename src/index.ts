/**
 * seedance-preflight as a library: the same operations the command line offers.
 *
 *   import { checkTargets, loadProfile } from 'seedance-preflight';
 *   const { report } = await checkTargets({ paths: ['assets/'], profile: await loadProfile(undefined) });
 */
export { checkTargets, type CheckTargetsOptions, type CheckOutcome } from './pipeline/check-targets.js';
export { checkJob, mergeReports, type CheckReport } from './check/check-job.js';
export { checkMedia, checkProbeFailure } from './check/file-rules.js';
export { checkRequestFields } from './check/request-rules.js';
export { checkAggregate } from './check/aggregate-rules.js';
export type { CheckInput, FileReport, JobMedia, JobReport } from './check/job.js';
export type { LimitSpec, Severity, Unit, Violation } from './check/violation.js';
export { RULES, rulesForKind, type RuleId } from './check/rule-catalog.js';
export { estimateTokens, findPromptReferences } from './check/prompt.js';
export { probeFile, type ProbeOptions } from './probe/probe-file.js';
export { probeMany, type ProbeManyOptions } from './probe/probe-many.js';
export { ProbeCache, defaultCacheDir } from './probe/probe-cache.js';
export { detectFormat } from './probe/detect-format.js';
export { toolBinary, type ToolBinary } from './probe/binaries.js';
export { runProcess, ProcessError, type RunOptions, type RunResult } from './probe/spawn.js';
export type { AudioInfo, ImageInfo, MediaFormat, MediaInfo, MediaKind, ProbeFailure, ProbeResult, VideoInfo } from './probe/media-info.js';
export { loadProfile, applyOverrides, ProfileError } from './spec/load-profile.js';
export { BUILTIN_PROFILES } from './spec/builtin-profiles.js';
export { SEED_PROFILE } from './spec/seed-profile.js';
export { REFERENCE_MODEL, TEXT_MODEL, type Limit, type Profile, type ModelName } from './spec/profile.js';
export { referenceRequestSchema, textRequestSchema, videoRequestSchema, type ReferenceRequest, type TextRequest, type VideoRequest } from './spec/request-schema.js';
export { loadRequestFile, parseRequestText } from './pipeline/request-file.js';
export { scanAssetFolder } from './pipeline/asset-folder.js';
export { runCli } from './cli/main.js';
export { uploadFiles, DEFAULT_FILE_CONCURRENCY, type UploadFilesOptions, type UploadProgressEvent, type UploadResult } from './upload/upload-files.js';
export { uploadSettingsFrom, uploadSettingsWarnings, UploadSettingsError, UPLOAD_ENV, type UploadSettings } from './upload/upload-settings.js';
export { makeS3Client } from './upload/s3-client.js';
export { UploadError, type UploadStage } from './upload/upload-error.js';
export { objectKey, contentDisposition, CONTENT_TYPES } from './upload/object-key.js';
export { publicObjectUrl, presignedObjectUrl } from './upload/object-url.js';
