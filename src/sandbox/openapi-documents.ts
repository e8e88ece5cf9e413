import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { REFERENCE_MODEL, TEXT_MODEL, type ModelName } from '../spec/profile.js';
import { packageRoot } from '../shared/package-root.js';

/** The provider's OpenAPI documents, kept unchanged beside this file (copies of ../shared/spec/openapi). */
export const OPENAPI_FILES: Readonly<Record<ModelName, string>> = {
  [REFERENCE_MODEL]: 'reference-to-video.yaml',
  [TEXT_MODEL]: 'text-to-video.yaml',
};

/** The folder holding the YAML: beside this module under src/, or src/sandbox/openapi from dist/ (tsc does not copy .yaml). */
function openapiDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'openapi'), join(packageRoot(import.meta.url), 'src', 'sandbox', 'openapi')];
  const found = candidates.find((dir) => existsSync(join(dir, OPENAPI_FILES[TEXT_MODEL])));
  if (!found) throw new Error(`the OpenAPI documents are missing: looked in ${candidates.join(' and ')}`);
  return found;
}

export interface RequestValidator {
  model: ModelName;
  validate: ValidateFunction;
}

/** The error body a document gives as the example for one status. */
export interface DocumentedError {
  code: string;
  message: string;
  type: string;
}

export interface OpenApiDocuments {
  /** Ajv validators of each model's VideoGenerationRequest, compiled from the documents themselves. */
  validators: Map<ModelName, RequestValidator>;
  /** Per model, the example error body of each documented status of the create operation. */
  errors: Map<ModelName, Map<number, DocumentedError>>;
  /** Per model, the output frame size of each quality × aspect ratio, read from the table in aspect_ratio's description. */
  outputSizes: Map<ModelName, OutputSizeTable>;
  /** Per model, each request property's documented `default` (duration 5, quality 720p…). */
  defaults: Map<ModelName, Readonly<Record<string, unknown>>>;
}

/** quality (as the enum spells it: "4k") → aspect ratio ("16:9") → frame size. */
export type OutputSizeTable = ReadonlyMap<string, ReadonlyMap<string, { width: number; height: number }>>;

/** Parses both documents and compiles their request schemas. */
export function loadOpenApiDocuments(directory: string = openapiDirectory()): OpenApiDocuments {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12; strict off, since the documents carry `example` and OpenAPI keywords
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
  addFormats(ajv);
  const validators = new Map<ModelName, RequestValidator>();
  const errors = new Map<ModelName, Map<number, DocumentedError>>();
  const outputSizes = new Map<ModelName, OutputSizeTable>();
  const defaults = new Map<ModelName, Readonly<Record<string, unknown>>>();
  for (const [model, file] of Object.entries(OPENAPI_FILES) as [ModelName, string][]) {
    const document = parse(readFileSync(join(directory, file), 'utf8')) as OpenApiShape;
    ajv.addSchema(document as object, file);
    const validate = ajv.getSchema(`${file}#/components/schemas/VideoGenerationRequest`);
    if (!validate) throw new Error(`${file} has no components.schemas.VideoGenerationRequest`);
    validators.set(model, { model, validate });
    errors.set(model, documentedErrors(document, file));
    const properties = document.components?.schemas?.VideoGenerationRequest?.properties ?? {};
    outputSizes.set(model, outputSizeTable(properties.aspect_ratio?.description ?? '', file));
    defaults.set(model, Object.fromEntries(Object.entries(properties).flatMap(([name, property]) => ('default' in property ? [[name, property.default]] : []))));
  }
  return { validators, errors, outputSizes, defaults };
}

interface OpenApiShape {
  components?: { schemas?: { VideoGenerationRequest?: { properties?: Record<string, { description?: string; default?: unknown }> } } };
  paths?: Record<string, { post?: { responses?: Record<string, { content?: Record<string, { example?: { error?: DocumentedError } }> }> } }>;
}

function documentedErrors(document: OpenApiShape, file: string): Map<number, DocumentedError> {
  const responses = document.paths?.['/v1/videos/generations']?.post?.responses;
  if (!responses) throw new Error(`${file} has no responses for POST /v1/videos/generations`);
  const out = new Map<number, DocumentedError>();
  for (const [status, response] of Object.entries(responses)) {
    const example = response.content?.['application/json']?.example?.error;
    // YAML folds long strings (">-"), which may leave a trailing space: keep the words, not the folding
    if (example) out.set(Number(status), { code: example.code, type: example.type, message: example.message.replace(/\s+/g, ' ').trim() });
  }
  return out;
}

/** The markdown table under 各解像度の対応ピクセル値: a header of qualities, then one row per ratio of "W×H" cells. */
function outputSizeTable(description: string, file: string): OutputSizeTable {
  const rows = description.split('\n').filter((line) => line.trim().startsWith('|')).map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()));
  const qualities = (rows[0] ?? []).slice(1).map((q) => q.toLowerCase());
  const table = new Map<string, Map<string, { width: number; height: number }>>(qualities.map((q) => [q, new Map()]));
  for (const [ratio, ...cells] of rows.slice(1)) {
    cells.forEach((cell, i) => {
      const size = /^(\d+)×(\d+)$/.exec(cell);
      if (size && ratio) table.get(qualities[i]!)?.set(ratio, { width: Number(size[1]), height: Number(size[2]) });
    });
  }
  if (![...table.values()].some((sizes) => sizes.size > 0)) throw new Error(`${file}: no output size table in aspect_ratio's description`);
  return table;
}

/** An Ajv error as the field it concerns and a sentence: "duration must be >= 4". */
export function describeSchemaError(error: ErrorObject): { param: string; message: string } {
  const path = error.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: string }).missingProperty);
    return { param: path ? `${path}.${missing}` : missing, message: `${path ? `${path}.` : ''}${missing} is required` };
  }
  const allowed = error.keyword === 'enum' ? `: ${((error.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}` : '';
  return { param: path || 'body', message: `${path || 'body'} ${error.message ?? 'is invalid'}${allowed}` };
}
