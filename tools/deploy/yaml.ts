import { createRequire } from 'node:module';

/**
 * YAML parsing for the deploy checks (helm output, values files, docker-compose.yml), through js-yaml with the
 * YAML 1.2 core schema (no custom tags, so nothing in a manifest can construct objects). js-yaml is loaded with
 * require and typed here by hand, so this file type-checks with js-yaml 3 or 4 and without @types/js-yaml.
 */
interface JsYaml {
  loadAll(text: string, iterator?: undefined, options?: { schema?: unknown; filename?: string }): unknown[];
  load(text: string, options?: { schema?: unknown; filename?: string }): unknown;
  CORE_SCHEMA: unknown;
  /** js-yaml 3: the default schema without JS types (merge keys, timestamps…). */
  DEFAULT_SAFE_SCHEMA?: unknown;
  /** js-yaml 4: the same, now the default and safe. */
  DEFAULT_SCHEMA: unknown;
}

const jsYaml = createRequire(import.meta.url)('js-yaml') as JsYaml;

/** Every document of a multi-document stream, empty documents (a lone `---`, comments only) left out. */
export function parseYamlDocuments(text: string, filename?: string): unknown[] {
  return jsYaml.loadAll(text, undefined, { schema: jsYaml.CORE_SCHEMA, filename }).filter((doc) => doc !== null && doc !== undefined);
}

/** One document. `mergeKeys` adds YAML's `<<:` merge keys (docker-compose files use them), still without JS types. */
export function parseYaml(text: string, options: { filename?: string; mergeKeys?: boolean } = {}): unknown {
  const schema = options.mergeKeys ? (jsYaml.DEFAULT_SAFE_SCHEMA ?? jsYaml.DEFAULT_SCHEMA) : jsYaml.CORE_SCHEMA;
  return jsYaml.load(text, { schema, filename: options.filename });
}
