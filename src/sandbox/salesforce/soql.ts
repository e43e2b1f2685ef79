/**
 * The SOQL subset the emulator answers: SELECT fields (and parent fields like `Account.Name`, or
 * COUNT()), FROM one sObject, WHERE with = != <> > >= < <= IN / NOT IN, LIKE, AND / OR / NOT and
 * parentheses, string, number, boolean, null, date and datetime literals, ORDER BY (ASC/DESC,
 * NULLS FIRST/LAST), LIMIT and OFFSET. Anything else is MALFORMED_QUERY, an unknown field
 * INVALID_FIELD, an unknown object INVALID_TYPE, with Salesforce's wording.
 */
import { fieldOf, type FieldSpec, type SObjectSpec } from './objects.js';

export class SoqlError extends Error {
  constructor(readonly errorCode: 'MALFORMED_QUERY' | 'INVALID_FIELD' | 'INVALID_TYPE' | 'INVALID_QUERY_LOCATOR', message: string) {
    super(message);
  }
}

export type Value = string | number | boolean | null | { date: number };
export type Condition =
  | { kind: 'and' | 'or'; parts: Condition[] }
  | { kind: 'not'; part: Condition }
  | { kind: 'compare'; field: string; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: Value }
  | { kind: 'in'; field: string; negated: boolean; values: Value[] }
  /** `pattern` as written between the quotes: `%` any run, `_` one character, a backslash escapes the next. */
  | { kind: 'like'; field: string; pattern: string };

export interface Query {
  fields: string[];
  count: boolean;
  object: string;
  where: Condition | null;
  orderBy: { field: string; descending: boolean; nullsLast: boolean }[];
  limit: number | null;
  offset: number;
}

const TOKEN = /\s*(?:('(?:[^'\\]|\\.)*')|(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))|(\d{4}-\d\d-\d\d)(?![\d:T])|(-?\d+(?:\.\d+)?)|(!=|<>|<=|>=|=|<|>|\(|\)|,)|([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*))/y;

type Token = { kind: 'string' | 'datetime' | 'date' | 'number' | 'symbol' | 'word'; text: string };

function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < soql.length) {
    if (/^\s*$/.test(soql.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(soql);
    if (!m) throw new SoqlError('MALFORMED_QUERY', `\n${soql.slice(at, at + 40)}\n^\nERROR at Row:1:Column:${at + 1}\nunexpected token: '${soql.slice(at).trim().split(/\s+/)[0]}'`);
    at = TOKEN.lastIndex;
    const kinds = ['string', 'datetime', 'date', 'number', 'symbol', 'word'] as const;
    const index = m.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: kinds[index]!, text: m[index + 1]! });
  }
  return tokens;
}

export function parseSoql(soql: string): Query {
  const tokens = tokenize(soql);
  let i = 0;
  const peek = () => tokens[i];
  const isWord = (w: string) => peek()?.kind === 'word' && peek()!.text.toUpperCase() === w;
  const unexpected = (): never => {
    throw new SoqlError('MALFORMED_QUERY', `unexpected token: '${peek()?.text ?? '<EOF>'}'`);
  };
  const expectWord = (w: string) => (isWord(w) ? i++ : unexpected());
  const expectSymbol = (s: string) => (peek()?.kind === 'symbol' && peek()!.text === s ? i++ : unexpected());
  const field = () => (peek()?.kind === 'word' ? tokens[i++]!.text : unexpected());

  expectWord('SELECT');
  const fields: string[] = [];
  let count = false;
  if (isWord('COUNT') && tokens[i + 1]?.text === '(' && tokens[i + 2]?.text === ')') {
    count = true;
    i += 3;
  } else {
    do fields.push(field());
    while (peek()?.text === ',' && ++i);
  }
  expectWord('FROM');
  const object = field();

  const value = (): Value => {
    const t = tokens[i++] ?? unexpected();
    if (t.kind === 'string') return t.text.slice(1, -1).replace(/\\(.)/g, '$1');
    if (t.kind === 'number') return Number(t.text);
    if (t.kind === 'datetime' || t.kind === 'date') return { date: Date.parse(t.kind === 'date' ? `${t.text}T00:00:00Z` : t.text.replace(/([+-]\d\d)(\d\d)$/, '$1:$2')) };
    if (t.kind === 'word' && /^(true|false)$/i.test(t.text)) return t.text.toLowerCase() === 'true';
    if (t.kind === 'word' && /^null$/i.test(t.text)) return null;
    i--;
    return unexpected();
  };
  const atom = (): Condition => {
    if (peek()?.text === '(') {
      i++;
      const inner = or();
      expectSymbol(')');
      return inner;
    }
    if (isWord('NOT')) {
      i++;
      return { kind: 'not', part: atom() };
    }
    const name = field();
    const negated = isWord('NOT');
    if (negated) i++;
    if (isWord('IN')) {
      i++;
      expectSymbol('(');
      const values: Value[] = [];
      do values.push(value());
      while (peek()?.text === ',' && ++i);
      expectSymbol(')');
      return { kind: 'in', field: name, negated, values };
    }
    if (negated) unexpected();
    if (isWord('LIKE')) {
      i++;
      const t = tokens[i++];
      if (t?.kind !== 'string') return (i--, unexpected());
      return { kind: 'like', field: name, pattern: t.text.slice(1, -1) };
    }
    const op = peek()?.kind === 'symbol' && ['=', '!=', '<>', '<', '<=', '>', '>='].includes(peek()!.text) ? tokens[i++]!.text : unexpected();
    return { kind: 'compare', field: name, op: (op === '<>' ? '!=' : op) as '=', value: value() };
  };
  const and = (): Condition => {
    const parts = [atom()];
    while (isWord('AND') && ++i) parts.push(atom());
    return parts.length === 1 ? parts[0]! : { kind: 'and', parts };
  };
  function or(): Condition {
    const parts = [and()];
    while (isWord('OR') && ++i) parts.push(and());
    return parts.length === 1 ? parts[0]! : { kind: 'or', parts };
  }

  let where: Condition | null = null;
  if (isWord('WHERE')) {
    i++;
    where = or();
  }
  const orderBy: Query['orderBy'] = [];
  if (isWord('ORDER')) {
    i++;
    expectWord('BY');
    do {
      const name = field();
      let descending = false;
      if (isWord('ASC') || isWord('DESC')) descending = tokens[i++]!.text.toUpperCase() === 'DESC';
      let nullsLast = descending;
      if (isWord('NULLS')) {
        i++;
        nullsLast = isWord('LAST') ? true : isWord('FIRST') ? false : unexpected();
        i++;
      }
      orderBy.push({ field: name, descending, nullsLast });
    } while (peek()?.text === ',' && ++i);
  }
  let limit: number | null = null;
  let offset = 0;
  if (isWord('LIMIT')) {
    i++;
    limit = peek()?.kind === 'number' ? Number(tokens[i++]!.text) : unexpected();
  }
  if (isWord('OFFSET')) {
    i++;
    offset = peek()?.kind === 'number' ? Number(tokens[i++]!.text) : unexpected();
  }
  if (i < tokens.length) unexpected();
  return { fields, count, object, where, orderBy, limit, offset };
}

/** Checks every field name against the object (and `Account.` parents against Account). */
export function checkFields(query: Query, spec: SObjectSpec, parents: Record<string, SObjectSpec>): void {
  const names = [...query.fields, ...query.orderBy.map((o) => o.field), ...conditionFields(query.where)];
  for (const name of names) {
    const [head, rest] = name.includes('.') ? [name.slice(0, name.indexOf('.')), name.slice(name.indexOf('.') + 1)] : [name, null];
    const ok = rest === null ? !!fieldOf(spec, head) : !!parents[head.toLowerCase()] && !!fieldOf(parents[head.toLowerCase()]!, rest);
    if (!ok) {
      throw new SoqlError('INVALID_FIELD', `\n${name}\n^\nERROR at Row:1:Column:1\nNo such column '${name}' on entity '${spec.type}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`);
    }
  }
}

function conditionFields(c: Condition | null): string[] {
  if (!c) return [];
  if (c.kind === 'not') return conditionFields(c.part);
  return 'parts' in c ? c.parts.flatMap(conditionFields) : [c.field];
}

/** Reads a (possibly dotted) field of a row case-insensitively. */
export type FieldReader = (name: string) => unknown;

const isDateType = (field: FieldSpec | undefined) => field?.type === 'datetime' || field?.type === 'date';

function comparable(raw: unknown, value: Value, dateField: boolean): [unknown, unknown] {
  if (value !== null && typeof value === 'object') return [raw === null || raw === undefined ? null : Date.parse(String(raw).replace(/([+-]\d\d)(\d\d)$/, '$1:$2')), value.date];
  if (dateField && typeof value === 'string') return [raw, value];
  if (typeof raw === 'string' && typeof value === 'string') return [raw.toLowerCase(), value.toLowerCase()];
  return [raw ?? null, value];
}

export function matches(c: Condition | null, read: FieldReader, fieldSpec: (name: string) => FieldSpec | undefined): boolean {
  if (!c) return true;
  switch (c.kind) {
    case 'and': return c.parts.every((p) => matches(p, read, fieldSpec));
    case 'or': return c.parts.some((p) => matches(p, read, fieldSpec));
    case 'not': return !matches(c.part, read, fieldSpec);
    case 'in': {
      const found = c.values.some((v) => {
        const [a, b] = comparable(read(c.field), v, isDateType(fieldSpec(c.field)));
        return a === b;
      });
      return c.negated ? !found : found;
    }
    case 'like': {
      const raw = read(c.field);
      return raw !== null && raw !== undefined && likeRegExp(c.pattern).test(String(raw));
    }
    case 'compare': {
      const [a, b] = comparable(read(c.field), c.value, isDateType(fieldSpec(c.field)));
      if (c.op === '=') return a === b;
      if (c.op === '!=') return a !== b;
      if (a === null || b === null) return false;
      const x = a as number | string;
      const y = b as number | string;
      return c.op === '<' ? x < y : c.op === '<=' ? x <= y : c.op === '>' ? x > y : x >= y;
    }
  }
}

/** ORDER BY over rows already read (`read(row, field)`). */
export function sortRows<R>(rows: R[], order: Query['orderBy'], read: (row: R, field: string) => unknown): R[] {
  if (order.length === 0) return rows;
  return rows.sort((r1, r2) => {
    for (const o of order) {
      const a = read(r1, o.field) ?? null;
      const b = read(r2, o.field) ?? null;
      if (a === b) continue;
      if (a === null || b === null) return (a === null) === o.nullsLast ? 1 : -1;
      const cmp = typeof a === 'string' && typeof b === 'string' ? (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : a < b ? -1 : 1) : (a as number) < (b as number) ? -1 : 1;
      return o.descending ? -cmp : cmp;
    }
    return 0;
  });
}

/** A LIKE pattern as a regular expression: case-insensitive like every SOQL text comparison, the whole value. */
function likeRegExp(pattern: string): RegExp {
  let source = '';
  for (let k = 0; k < pattern.length; k++) {
    const ch = pattern[k]!;
    if (ch === '\\' && k + 1 < pattern.length) source += pattern[++k]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}
