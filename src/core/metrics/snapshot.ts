/**
 * A columnar in-memory snapshot of one dataset's records: typed arrays per slot, what the
 * in-memory evaluator scans. Built row by row (the store streams rows in batches) with
 * `createSnapshotBuilder`.
 *
 * - number/money/boolean slots: Float64Array of exact integers (|v| ≤ 2^52, checked) and a
 *   null bitmap (bit set = no value);
 * - date slots: Int32Array of epoch days, NULL_DAY for no value;
 * - datetime slots: Float64Array of epoch milliseconds, NaN for no value;
 * - text slots and the owner: Int32Array codes into a dictionary, -1 for no value.
 */
import { slotFamilyOf, type DatasetDef } from '../data/datasets.js';
import { epochDay, parseInstant } from '../period.js';
import { MAX_STORED_INTEGER } from './validate.js';

export const NULL_DAY = -2147483648;

export interface DictionaryColumn {
  codes: Int32Array;
  dictionary: string[];
}

export interface NumberColumn {
  values: Float64Array;
  /** One bit per row; set when the row has no value. */
  nulls: Uint32Array;
}

export interface ColumnarSnapshot {
  dataset: string;
  rowCount: number;
  /** Record ids (bigint in the store; exact in a float64 below 2^53). */
  ids: Float64Array;
  owner: DictionaryColumn;
  text: Record<string, DictionaryColumn>;
  numbers: Record<string, NumberColumn>;
  dates: Record<string, Int32Array>;
  datetimes: Record<string, Float64Array>;
}

export const isNullAt = (column: NumberColumn, row: number): boolean => ((column.nulls[row >>> 5] ?? 0) >>> (row & 31) & 1) === 1;

/**
 * One row as the store reads it: `id`, `owner` (payee id) and one property per slot the
 * dataset uses — text a string, numbers a bigint's decimal string or a number, dates an
 * epoch day, datetimes epoch milliseconds; null or undefined for no value.
 */
export type SnapshotRow = Record<string, string | number | null | undefined>;

/**
 * A batch of rows column by column (what the store streams): `values` by slot, one entry
 * per row. Text slots: the string or null. Other slots: a number or its decimal string —
 * numbers scaled integers, dates epoch days, datetimes epoch ms — with null or '' for no value.
 */
export interface ColumnBatch {
  count: number;
  ids: ArrayLike<number | string>;
  owner: ArrayLike<string | null>;
  values: Readonly<Record<string, ArrayLike<string | number | null>>>;
}

export interface SnapshotBuilder {
  append(row: SnapshotRow): void;
  appendColumns(batch: ColumnBatch): void;
  build(): ColumnarSnapshot;
}

function grow<T extends Float64Array | Int32Array | Uint32Array>(array: T, size: number, make: (n: number) => T): T {
  if (size <= array.length) return array;
  const next = make(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

/** Collects rows into typed arrays (capacity doubles as rows arrive). */
export function createSnapshotBuilder(dataset: DatasetDef, initialCapacity = 1024): SnapshotBuilder {
  let capacity = Math.max(16, initialCapacity);
  let rows = 0;
  let ids = new Float64Array(capacity);
  const dictionaries = new Map<string, Map<string, number>>();
  const dictColumn = (slot: string) => {
    dictionaries.set(slot, new Map());
    return { codes: new Int32Array(capacity), dictionary: [] as string[] };
  };
  const owner = dictColumn('owner');
  const text: Record<string, DictionaryColumn> = {};
  const numbers: Record<string, NumberColumn> = {};
  const dates: Record<string, Int32Array> = {};
  const datetimes: Record<string, Float64Array> = {};
  for (const field of dataset.fields) {
    const family = slotFamilyOf(field.type);
    if (family === 't') text[field.slot] = dictColumn(field.slot);
    else if (family === 'n') numbers[field.slot] = { values: new Float64Array(capacity), nulls: new Uint32Array(Math.ceil(capacity / 32)) };
    else if (family === 'd') dates[field.slot] = new Int32Array(capacity);
    else if (family === 'ts') datetimes[field.slot] = new Float64Array(capacity);
  }

  const encode = (slot: string, column: DictionaryColumn, value: string | number | null | undefined): number => {
    if (value === null || value === undefined) return -1;
    const text = String(value);
    const dictionary = dictionaries.get(slot) as Map<string, number>;
    let code = dictionary.get(text);
    if (code === undefined) {
      code = column.dictionary.length;
      column.dictionary.push(text);
      dictionary.set(text, code);
    }
    return code;
  };

  const ensure = (size: number) => {
    if (size <= capacity) return;
    capacity = Math.max(size, capacity * 2);
    ids = grow(ids, capacity, (n) => new Float64Array(n));
    owner.codes = grow(owner.codes, capacity, (n) => new Int32Array(n));
    for (const column of Object.values(text)) column.codes = grow(column.codes, capacity, (n) => new Int32Array(n));
    for (const column of Object.values(numbers)) {
      column.values = grow(column.values, capacity, (n) => new Float64Array(n));
      column.nulls = grow(column.nulls, Math.ceil(capacity / 32), (n) => new Uint32Array(n));
    }
    for (const slot of Object.keys(dates)) dates[slot] = grow(dates[slot] as Int32Array, capacity, (n) => new Int32Array(n));
    for (const slot of Object.keys(datetimes)) datetimes[slot] = grow(datetimes[slot] as Float64Array, capacity, (n) => new Float64Array(n));
  };

  const setNumber = (slot: string, column: NumberColumn, i: number, raw: string | number | null | undefined) => {
    if (raw === null || raw === undefined || raw === '') {
      column.values[i] = 0;
      column.nulls[i >>> 5] = (column.nulls[i >>> 5] ?? 0) | (1 << (i & 31));
      return;
    }
    const value = Number(raw);
    if (!Number.isInteger(value) || Math.abs(value) > MAX_STORED_INTEGER) {
      throw new RangeError(`${dataset.key}.${slot} = ${raw} is outside what the in-memory snapshot holds exactly (±2^52)`);
    }
    column.values[i] = value;
  };
  const isNone = (raw: string | number | null | undefined): boolean => raw === null || raw === undefined || raw === '';

  return {
    append(row) {
      ensure(rows + 1);
      const i = rows;
      ids[i] = Number(row.id);
      owner.codes[i] = encode('owner', owner, row.owner);
      for (const slot in text) {
        const column = text[slot] as DictionaryColumn;
        column.codes[i] = encode(slot, column, row[slot]);
      }
      for (const slot in numbers) setNumber(slot, numbers[slot] as NumberColumn, i, row[slot]);
      for (const slot in dates) (dates[slot] as Int32Array)[i] = isNone(row[slot]) ? NULL_DAY : Number(row[slot]);
      for (const slot in datetimes) (datetimes[slot] as Float64Array)[i] = isNone(row[slot]) ? Number.NaN : Number(row[slot]);
      rows += 1;
    },
    appendColumns(batch) {
      ensure(rows + batch.count);
      const base = rows;
      const column = (slot: string): ArrayLike<string | number | null> => {
        const values = batch.values[slot];
        if (!values || values.length !== batch.count) throw new Error(`batch column ${slot} has ${values?.length ?? 0} values, not ${batch.count}`);
        return values;
      };
      for (let j = 0; j < batch.count; j += 1) {
        ids[base + j] = Number(batch.ids[j]);
        owner.codes[base + j] = encode('owner', owner, isNone(batch.owner[j]) ? null : batch.owner[j]);
      }
      for (const slot in text) {
        const target = text[slot] as DictionaryColumn;
        const values = column(slot);
        for (let j = 0; j < batch.count; j += 1) target.codes[base + j] = encode(slot, target, values[j]);
      }
      for (const slot in numbers) {
        const target = numbers[slot] as NumberColumn;
        const values = column(slot);
        for (let j = 0; j < batch.count; j += 1) setNumber(slot, target, base + j, values[j]);
      }
      for (const slot in dates) {
        const target = dates[slot] as Int32Array;
        const values = column(slot);
        for (let j = 0; j < batch.count; j += 1) target[base + j] = isNone(values[j]) ? NULL_DAY : Number(values[j]);
      }
      for (const slot in datetimes) {
        const target = datetimes[slot] as Float64Array;
        const values = column(slot);
        for (let j = 0; j < batch.count; j += 1) target[base + j] = isNone(values[j]) ? Number.NaN : Number(values[j]);
      }
      rows += batch.count;
    },
    build() {
      const cut = <T extends Float64Array | Int32Array>(a: T): T => a.subarray(0, rows) as T;
      return {
        dataset: dataset.key,
        rowCount: rows,
        ids: cut(ids),
        owner: { codes: cut(owner.codes), dictionary: owner.dictionary },
        text: Object.fromEntries(Object.entries(text).map(([slot, c]) => [slot, { codes: cut(c.codes), dictionary: c.dictionary }])),
        numbers: Object.fromEntries(Object.entries(numbers).map(([slot, c]) => [slot, { values: cut(c.values), nulls: c.nulls }])),
        dates: Object.fromEntries(Object.entries(dates).map(([slot, c]) => [slot, cut(c)])),
        datetimes: Object.fromEntries(Object.entries(datetimes).map(([slot, c]) => [slot, cut(c)])),
      };
    },
  };
}

/** A record as the records table holds it, by field key: numbers as scaled integers (number or bigint), dates 'YYYY-MM-DD', datetimes ISO instants. */
export interface PlainRecord {
  id: number;
  values: Readonly<Record<string, string | number | bigint | boolean | null | undefined>>;
}

/** A plain record as the row a snapshot builder takes (dates as epoch days, instants as epoch ms). */
export function snapshotRowOf(dataset: DatasetDef, record: PlainRecord): SnapshotRow {
  const row: SnapshotRow = { id: record.id, owner: null };
  for (const field of dataset.fields) {
    const value = record.values[field.key];
    const slotKey = field.slot === 'owner' ? 'owner' : field.slot;
    if (value === null || value === undefined) {
      row[slotKey] = null;
      continue;
    }
    switch (slotFamilyOf(field.type)) {
      case 'd':
        row[slotKey] = epochDay(String(value));
        break;
      case 'ts': {
        const ms = parseInstant(String(value));
        if (ms === null) throw new Error(`${field.key}: not an instant: ${String(value)}`);
        row[slotKey] = ms;
        break;
      }
      case 'n':
        row[slotKey] = typeof value === 'boolean' ? (value ? 1 : 0) : String(value);
        break;
      default:
        row[slotKey] = String(value);
    }
  }
  return row;
}

/**
 * Builds a snapshot from plain records (tests, simulations, small datasets).
 * @example snapshotFromRecords(DEALS, [{ id: 1, values: { amount: 125000, stage: 'closed_won', close_date: '2026-02-03' } }]).rowCount // 1
 */
export function snapshotFromRecords(dataset: DatasetDef, records: readonly PlainRecord[]): ColumnarSnapshot {
  const builder = createSnapshotBuilder(dataset, records.length);
  for (const record of records) builder.append(snapshotRowOf(dataset, record));
  return builder.build();
}
