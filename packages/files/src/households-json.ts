// Versioned JSON export/import of households with their accounts (and optionally their tax lots), matching the
// domain's RxDB schemas. Import validates every document with ajv against the same JSON schemas the database
// uses (migrating documents written under an older schema version first), checks ids and references, and either
// returns everything or throws one JsonImportError listing the problems. Units as in the domain (integer cents).
import { bookCollections, type Account, type Household, type TaxLot } from '@aw/domain';
import { getValidator } from 'rxdb/plugins/validate-ajv';
import { MAX_ISSUES } from './csv-error.ts';

export const HOUSEHOLDS_JSON_FORMAT = 'aw-households';
export const HOUSEHOLDS_JSON_VERSION = 1;

type Exported = 'households' | 'accounts' | 'lots';
const COLLECTIONS: readonly Exported[] = ['households', 'accounts', 'lots'];

export interface HouseholdsJson {
  format: typeof HOUSEHOLDS_JSON_FORMAT;
  version: number;
  exportedAt: string;
  /** Schema version of each collection's documents (import migrates older ones). */
  schemaVersions: Record<Exported, number>;
  households: Household[];
  accounts: Account[];
  lots: TaxLot[];
}

export interface HouseholdsData {
  households: Household[];
  accounts: Account[];
  lots: TaxLot[];
}

export interface JsonIssue {
  file: string;
  /** Where in the document, e.g. `accounts[3].cashCents`; '' for the whole file. */
  path: string;
  reason: string;
}

export class JsonImportError extends Error {
  override name = 'JsonImportError';
  readonly code = 'json_invalid';
  constructor(readonly issues: JsonIssue[], readonly truncated = false) {
    super([`${issues[0]?.file ?? 'file'}: ${issues.length}${truncated ? '+' : ''} problem${issues.length === 1 && !truncated ? '' : 's'}, nothing imported`,
      ...issues.map((i) => `  ${i.file}${i.path ? ` at ${i.path}` : ''}: ${i.reason}`)].join('\n'));
  }
}

/** Document without RxDB's internal fields (`_rev`, `_meta`, `_deleted`, `_attachments`). */
function plain<T extends object>(doc: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) out[k] = v;
  return out as T;
}

/** The export document for `data` (lots optional); stringify it with JSON.stringify. */
export function exportHouseholdsJson(data: { households: Household[]; accounts: Account[]; lots?: TaxLot[] }, exportedAt = Date.now()): HouseholdsJson {
  return {
    format: HOUSEHOLDS_JSON_FORMAT,
    version: HOUSEHOLDS_JSON_VERSION,
    exportedAt: new Date(exportedAt).toISOString(),
    schemaVersions: { households: bookCollections.households.schema.version, accounts: bookCollections.accounts.schema.version, lots: bookCollections.lots.schema.version },
    households: data.households.map(plain),
    accounts: data.accounts.map(plain),
    lots: (data.lots ?? []).map(plain),
  };
}

const validators = new Map<Exported, (doc: unknown) => { instancePath: string; message?: string; params?: any }[]>();
function validatorOf(c: Exported) {
  let v = validators.get(c);
  if (!v) {
    // RxDB closes the top level itself when it stores a schema; do the same so unknown fields are rejected.
    v = getValidator({ ...bookCollections[c].schema, additionalProperties: false }) as any;
    validators.set(c, v!);
  }
  return v!;
}

const jsonPath = (c: string, i: number, instancePath: string) => `${c}[${i}]${instancePath.replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')}`;

/** Position in a JSON.parse error message → "line L, column C" of `text`. */
function parsePosition(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return ` (line ${before.length}, column ${before.at(-1)!.length + 1})`;
}

/** Parses and validates an export (text or already-parsed object); throws JsonImportError listing every problem. */
export function importHouseholdsJson(input: string | unknown, fileName: string): HouseholdsData {
  const issues: JsonIssue[] = [];
  let truncated = false;
  const add = (path: string, reason: string) => {
    if (issues.length >= MAX_ISSUES) truncated = true;
    else issues.push({ file: fileName, path, reason });
  };
  const fail = (): never => {
    throw new JsonImportError(issues, truncated);
  };

  let j: any = input;
  if (typeof input === 'string') {
    try {
      j = JSON.parse(input);
    } catch (e) {
      add('', `not valid JSON: ${(e as Error).message}${parsePosition(input, (e as Error).message)}`);
      fail();
    }
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) {
    add('', 'expected a JSON object');
    fail();
  }
  if (j.format !== HOUSEHOLDS_JSON_FORMAT) add('format', `expected "${HOUSEHOLDS_JSON_FORMAT}", got ${JSON.stringify(j.format)}`);
  else if (j.version !== HOUSEHOLDS_JSON_VERSION) add('version', `unsupported version ${JSON.stringify(j.version)} (this app reads version ${HOUSEHOLDS_JSON_VERSION})`);
  for (const c of COLLECTIONS) {
    if (c === 'lots' && j.lots === undefined) continue;
    if (!Array.isArray(j[c])) add(c, 'expected an array of documents');
  }
  if (issues.length) fail();

  const out = { households: [] as any[], accounts: [] as any[], lots: [] as any[] };
  for (const c of COLLECTIONS) {
    const { schema, migrationStrategies } = bookCollections[c];
    const from = j.schemaVersions?.[c] ?? schema.version;
    if (!Number.isInteger(from) || from < 0 || from > schema.version) {
      add(`schemaVersions.${c}`, `unknown schema version ${JSON.stringify(from)} (current ${schema.version})`);
      continue;
    }
    const validate = validatorOf(c);
    (j[c] ?? []).forEach((raw: unknown, i: number) => {
      let doc: any = raw;
      if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return add(`${c}[${i}]`, 'expected an object');
      try {
        for (let v = from + 1; v <= schema.version; v++) doc = migrationStrategies[v]!(plain(doc));
      } catch (e) {
        return add(`${c}[${i}]`, `cannot migrate from schema version ${from}: ${(e as Error).message}`);
      }
      doc = plain(doc);
      for (const err of validate(doc)) {
        const extra = err.params?.additionalProperty ? ` (${err.params.additionalProperty})` : err.params?.allowedValues ? ` (${err.params.allowedValues.join(', ')})` : '';
        add(jsonPath(c, i, err.instancePath), `${err.message ?? 'invalid'}${extra}`);
      }
      out[c].push(doc);
    });
  }
  if (issues.length) fail();

  // Ids unique, references resolve, team and household of children agree with their parents.
  const index = <T extends { id: string }>(c: Exported, docs: T[]) => {
    const m = new Map<string, T>();
    docs.forEach((d, i) => (m.has(d.id) ? add(`${c}[${i}].id`, `duplicate id "${d.id}"`) : m.set(d.id, d)));
    return m;
  };
  const households = index<Household>('households', out.households);
  const accounts = index<Account>('accounts', out.accounts);
  index<TaxLot>('lots', out.lots);
  out.accounts.forEach((a: Account, i: number) => {
    const h = households.get(a.householdId);
    if (!h) add(`accounts[${i}].householdId`, `household "${a.householdId}" is not in the file`);
    else if (h.teamId !== a.teamId) add(`accounts[${i}].teamId`, `"${a.teamId}" differs from its household's team "${h.teamId}"`);
  });
  out.lots.forEach((l: TaxLot, i: number) => {
    const a = accounts.get(l.accountId);
    if (!a) add(`lots[${i}].accountId`, `account "${l.accountId}" is not in the file`);
    else if (a.householdId !== l.householdId || a.teamId !== l.teamId) add(`lots[${i}]`, `household/team differ from its account "${a.id}"`);
  });
  if (issues.length) fail();
  return out;
}
