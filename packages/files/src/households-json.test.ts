import { describe, expect, it } from 'vitest';
import { accountSchemaV0, bookCollections, sampleBookDocs } from '@aw/domain';
import { exportHouseholdsJson, importHouseholdsJson, JsonImportError, type JsonIssue } from './index.ts';

const docs = sampleBookDocs();
const data = () => ({ households: [docs.households], accounts: [docs.accounts], lots: [docs.lots] });

function issuesOf(input: unknown): JsonIssue[] {
  try {
    importHouseholdsJson(input as any, 'book.json');
  } catch (e) {
    expect(e).toBeInstanceOf(JsonImportError);
    return (e as JsonImportError).issues;
  }
  throw new Error('expected a JsonImportError');
}

describe('households JSON export/import', () => {
  it('round-trips households, accounts and lots, dropping RxDB internals', () => {
    const exported = exportHouseholdsJson({ ...data(), accounts: [{ ...docs.accounts, _rev: '1-abc', _meta: { lwt: 1 } } as any] }, 0);
    expect(exported).toMatchObject({ format: 'aw-households', version: 1, exportedAt: '1970-01-01T00:00:00.000Z',
      schemaVersions: { households: bookCollections.households.schema.version, accounts: bookCollections.accounts.schema.version,
        lots: bookCollections.lots.schema.version } });
    const back = importHouseholdsJson(JSON.stringify(exported), 'book.json');
    expect(back).toEqual(data());
  });

  it('exports without lots and imports files that have none', () => {
    const { lots: _l, ...noLots } = data();
    const json = exportHouseholdsJson(noLots);
    expect(importHouseholdsJson(json, 'b.json').lots).toEqual([]);
    const { lots: _x, ...withoutKey } = json;
    expect(importHouseholdsJson(withoutKey, 'b.json').accounts).toHaveLength(1);
  });

  it('migrates accounts exported under schema v0 (float dollars) to v1 cents', () => {
    expect(accountSchemaV0.version).toBe(0);
    const { cashCents: _c, accountRevision: _r, ...v0 } = docs.accounts;
    const json = { ...exportHouseholdsJson(data()), schemaVersions: { households: 0, accounts: 0, lots: 0 }, accounts: [{ ...v0, cash: 1234.56 }] };
    expect(importHouseholdsJson(json, 'old.json').accounts[0]).toMatchObject({ cashCents: 123456, accountRevision: 0 });
  });

  it('names the path and reason of a schema violation in every bad document, and imports nothing', () => {
    const json = exportHouseholdsJson(data());
    json.households.push({ ...docs.households, id: 'hh-2', extra: 1 } as any, { ...docs.households, id: 'hh-3', state: 'California' });
    json.accounts[0] = { ...json.accounts[0]!, type: 'checking' as any };
    json.accounts.push({ ...docs.accounts, id: 'acc-2', cashCents: 10.5 });
    json.lots[0] = { ...json.lots[0]!, acquiredDate: '2024-3-15' };
    const issues = issuesOf(json);
    expect(issues.map((i) => [i.path, i.reason])).toEqual([
      ['households[1]', 'must NOT have additional properties (extra)'],
      ['households[2].state', 'must NOT have more than 2 characters'],
      ['accounts[0].type', 'must be equal to one of the allowed values (taxable, ira, roth_ira, 401k)'],
      ['accounts[1].cashCents', 'must be integer'],
      ['lots[0].acquiredDate', 'must NOT have fewer than 10 characters'],
    ]);
    expect(issues.every((i) => i.file === 'book.json')).toBe(true);
  });

  it('checks ids and references', () => {
    const json = exportHouseholdsJson(data());
    json.accounts.push({ ...docs.accounts, id: 'acc-2', householdId: 'hh-missing' }, { ...docs.accounts, teamId: 'north' });
    json.lots.push({ ...docs.lots, id: 'lot-2', accountId: 'acc-9' });
    expect(issuesOf(json).map((i) => [i.path, i.reason])).toEqual([
      ['accounts[2].id', 'duplicate id "acc-1"'],
      ['accounts[1].householdId', 'household "hh-missing" is not in the file'],
      ['accounts[2].teamId', '"north" differs from its household\'s team "demo"'],
      ['lots[1].accountId', 'account "acc-9" is not in the file'],
    ]);
  });

  it('rejects other files with a clear reason', () => {
    expect(issuesOf('{"format": "aw-households", "version": 1,')[0]!.reason).toMatch(/^not valid JSON: .*\(line 1, column \d+\)$|^not valid JSON/);
    expect(issuesOf('[1,2]')[0]!.reason).toBe('expected a JSON object');
    expect(issuesOf({ format: 'something-else' })[0]).toMatchObject({ path: 'format' });
    expect(issuesOf({ ...exportHouseholdsJson(data()), version: 7 })[0]!.reason).toMatch(/unsupported version 7/);
    expect(issuesOf({ ...exportHouseholdsJson(data()), accounts: {} })[0]).toMatchObject({ path: 'accounts', reason: 'expected an array of documents' });
  });
});
