import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHART_DIR, loadChartSchemaAndValues, readmeWithCurrentTable, renderTable, valueRows, type SchemaNode } from '../../tools/deploy/values-table.js';

describe('helm/gong-ingest/README.md', () => {
  it('documents every value: its table is the one generated from values.schema.json and values.yaml', async () => {
    const { current, expected } = await readmeWithCurrentTable();
    // On failure: npx tsx tools/deploy/values-table.ts --write
    expect(current).toBe(expected);
  });

  it('has a row for every leaf of values.yaml, with a description', async () => {
    const { schema, values } = await loadChartSchemaAndValues();
    const rows = valueRows(schema, values);
    const documented = new Set(rows.map((r) => r.path));
    const leaves: string[] = [];
    const walk = (value: unknown, path: string[]): void => {
      const isMap = typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
      if (isMap && !documented.has(path.join('.'))) for (const [k, v] of Object.entries(value)) walk(v, [...path, k]);
      else leaves.push(path.join('.'));
    };
    walk(values, []);
    expect(leaves.filter((leaf) => !documented.has(leaf))).toEqual([]);
    expect(rows.filter((r) => r.description.trim() === '').map((r) => r.path)).toEqual([]);
  });

  it('the table generator escapes cells (the check can fail)', () => {
    const table = renderTable([{ path: 'a', type: 'string', defaultValue: 'x|y', description: 'one | two <release>' }]);
    expect(table).toContain('| `a` | string | `"x\\|y"` | one \\| two &lt;release&gt; |');
  });
});

describe('values.schema.json', () => {
  let schema: SchemaNode & { $schema?: string };
  beforeAll(async () => {
    schema = JSON.parse(await readFile(join(CHART_DIR, 'values.schema.json'), 'utf8')) as SchemaNode & { $schema?: string };
  });

  it('is draft-07', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('is strict: every object with declared properties refuses others', () => {
    const loose: string[] = [];
    const walk = (node: SchemaNode | undefined, path: string): void => {
      if (!node || typeof node !== 'object') return;
      if (node.properties && node.additionalProperties !== false) loose.push(path || '(root)');
      for (const [k, child] of Object.entries(node.properties ?? {})) walk(child, `${path}.${k}`);
      for (const [k, child] of Object.entries(node.definitions ?? {})) walk(child, `#/definitions/${k}`);
      walk(node.items, `${path}[]`);
      for (const alt of [...(node.oneOf ?? []), ...(node.anyOf ?? [])]) walk(alt, path);
    };
    walk(schema, '');
    expect(loose).toEqual([]);
  });
});
