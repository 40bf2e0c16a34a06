import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ERRORS } from '../src/errors/catalogue.js';

function documentedRows(): Map<string, { status: number; error: string; description: string }> {
  const text = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const table =
    text.split('<!-- errors-table:start -->')[1]?.split('<!-- errors-table:end -->')[0] ?? '';
  const rows = new Map<string, { status: number; error: string; description: string }>();
  for (const line of table.split('\n').slice(3)) {
    const cells = line.split(' | ').map((c) => c.replace(/^\| ?| ?\|$/g, ''));
    if (cells.length < 4) continue;
    const [key, status, error, description] = cells;
    assert.ok(!rows.has(key ?? ''), `docs/errors.md lists ${key} twice`);
    rows.set(key ?? '', {
      status: Number(status),
      error: error ?? '',
      description: description ?? '',
    });
  }
  return rows;
}

describe('docs/errors.md', () => {
  it('lists exactly the errors of the catalogue, with the same status, code and text', () => {
    const documented = documentedRows();
    assert.ok(documented.size > 10, 'the table was found');
    assert.deepEqual([...documented.keys()].sort(), Object.keys(ERRORS).sort());
    for (const [key, spec] of Object.entries(ERRORS)) {
      assert.deepEqual(
        documented.get(key),
        { status: spec.status, error: spec.error, description: spec.description },
        key,
      );
    }
  });
});
