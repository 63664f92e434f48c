import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

// Reads the contract and compiles the JSON Schemas of its responses with Ajv (2020-12 dialect,
// which OpenAPI 3.1 uses), so tests can check real responses against the document.

export const OPENAPI_PATH = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
export const openapiText = readFileSync(OPENAPI_PATH, 'utf8');
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  webhooks: Record<string, Record<string, Operation>>;
  components: Record<string, Record<string, unknown>>;
};
type Operation = { operationId: string; responses: Record<string, { $ref?: string; content?: Record<string, { schema: unknown }> }> };
export const doc = parse(openapiText) as Doc;

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...doc, $id: 'openapi.json' });

const escape = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export function operations(): Array<{ operationId: string; method: string; path: string }> {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) out.push({ operationId: op.operationId, method: method.toUpperCase(), path });
  }
  return out;
}

/** Validates a response against the contract; returns error strings (empty = valid). */
export function checkResponse(method: string, path: string, status: number, body: unknown): string[] {
  const op = doc.paths[path]?.[method.toLowerCase()];
  if (!op) return [`${method} ${path} is not in the contract`];
  let resp = op.responses[String(status)];
  if (!resp) return [`${method} ${path}: status ${status} is not documented`];
  let pointer = `#/paths/${escape(path)}/${method.toLowerCase()}/responses/${status}`;
  if (resp.$ref) {
    pointer = resp.$ref;
    const name = resp.$ref.split('/').pop()!;
    resp = (doc.components.responses as Record<string, typeof resp>)[name]!;
  }
  if (!resp.content?.['application/json'])
    return body === undefined || body === '' ? [] : [`${method} ${path} ${status}: no body documented`];
  const validate =
    ajv.getSchema(`openapi.json${pointer}/content/application~1json/schema`) ??
    ajv.compile({ $ref: `openapi.json${pointer}/content/application~1json/schema` });
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${method} ${path} ${status}: ${e.instancePath} ${e.message}`);
}

export function checkSchema(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${name}`)!;
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${name}: ${e.instancePath} ${e.message}`);
}
