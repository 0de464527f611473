/**
 * A tagged template that turns every interpolated value into a bound
 * parameter, so a query cannot be built by concatenating values:
 *
 *   const q = sql`SELECT * FROM t WHERE a = ${a} AND b IN ${sql.list(ids)}`;
 *   db.prepare(q.text).all(...q.params);
 *
 * Identifiers (table names) cannot be parameters; use `sql.ident`, which only
 * accepts names matching a strict pattern.
 */
export interface SqlQuery {
  readonly text: string;
  readonly params: readonly SqlValue[];
}

export type SqlValue = string | number | bigint | Buffer | Uint8Array | null;

class Fragment implements SqlQuery {
  constructor(
    readonly text: string,
    readonly params: readonly SqlValue[],
  ) {}
}

type Interpolation = SqlValue | Fragment | boolean | undefined;

export function sql(strings: TemplateStringsArray, ...values: Interpolation[]): SqlQuery {
  let text = strings[0] ?? '';
  const params: SqlValue[] = [];
  values.forEach((value, i) => {
    if (value instanceof Fragment) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value === undefined ? null : typeof value === 'boolean' ? (value ? 1 : 0) : value);
    }
    text += strings[i + 1] ?? '';
  });
  return new Fragment(text, params);
}

/** `(?, ?, ?)` for an IN list; an empty list becomes `(NULL)`, which matches nothing. */
sql.list = (values: readonly SqlValue[]): SqlQuery =>
  values.length === 0 ? new Fragment('(NULL)', []) : new Fragment(`(${values.map(() => '?').join(', ')})`, values);

/** Joins fragments with a separator (e.g. ' AND '). */
sql.join = (parts: readonly SqlQuery[], separator: string): SqlQuery =>
  new Fragment(
    parts.map((p) => p.text).join(separator),
    parts.flatMap((p) => p.params),
  );

/** A trusted identifier such as a vec0 table name; rejects anything but [A-Za-z_][A-Za-z0-9_]*. */
sql.ident = (name: string): SqlQuery => {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Unsafe SQL identifier: ${JSON.stringify(name)}`);
  return new Fragment(`"${name}"`, []);
};

/** Raw SQL text with no values, for static snippets chosen by code (never user input). */
sql.raw = (text: string): SqlQuery => new Fragment(text, []);

sql.empty = new Fragment('', []);
