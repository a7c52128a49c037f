/**
 * The committed records the documentation is rendered from: one JSON file per record in
 * `docs/records/`, each naming the command that produced it, the commit it ran on, when, and
 * the command's data. Every run-derived number in README.md and docs/ comes from one of them.
 *
 * @module
 */

/** The folder of the records, relative to the repository root. */
export const RECORDS_DIR = "docs/records";

/** The schema tag every record carries. */
export const RECORD_SCHEMA = "icl-verify/docs-record/1";

/** One committed record. */
export interface DocsRecord {
  /** Always {@linkcode RECORD_SCHEMA}. */
  schema: string;
  /** The record's name: its file name without `.json`. */
  name: string;
  /** The command that produced `data`, as it pastes on a fresh machine. */
  command: string;
  /** The full hash of the commit the command ran on. */
  commit: string;
  /** What was run: the tree of `commit`, or the files a record imports. */
  source: string;
  /** When the record was made (ISO 8601, UTC). */
  created: string;
  /** Wall-clock seconds of the command, where it was run for the record. */
  wallSeconds?: number;
  /** The machine it ran on, in words. */
  host?: string;
  /** The command's output. */
  data: unknown;
}

/** The records by name. */
export type Records = ReadonlyMap<string, DocsRecord>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` is a record named `name` and returns it typed; throws a TypeError that
 * names the record and the first field that is missing or wrong.
 */
export function asRecord(name: string, value: unknown): DocsRecord {
  if (!isObject(value)) throw new TypeError(`record ${name}: not a JSON object`);
  for (const field of ["schema", "name", "command", "commit", "source", "created"]) {
    if (typeof value[field] !== "string" || value[field] === "") {
      throw new TypeError(`record ${name}: "${field}" must be a non-empty string`);
    }
  }
  if (value.schema !== RECORD_SCHEMA) {
    throw new TypeError(`record ${name}: schema must be ${RECORD_SCHEMA}, got ${value.schema}`);
  }
  if (value.name !== name) {
    throw new TypeError(`record ${name}: "name" must be the file's name, got ${value.name}`);
  }
  if (!/^[0-9a-f]{40}$/.test(value.commit as string)) {
    throw new TypeError(`record ${name}: "commit" must be a full 40-digit hash`);
  }
  if (Number.isNaN(Date.parse(value.created as string))) {
    throw new TypeError(`record ${name}: "created" must be an ISO 8601 date`);
  }
  if (!("data" in value)) throw new TypeError(`record ${name}: "data" is missing`);
  return value as unknown as DocsRecord;
}

/** Reads every `*.json` of `dir` (an absolute path) as a record, keyed by name. */
export async function readRecords(dir: string): Promise<Records> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name.slice(0, -5));
  }
  const records = new Map<string, DocsRecord>();
  for (const name of names.sort()) {
    const text = await Deno.readTextFile(`${dir}/${name}.json`);
    records.set(name, asRecord(name, JSON.parse(text)));
  }
  return records;
}

/** The record `name`, or an Error naming it and the records there are. */
export function recordNamed(records: Records, name: string): DocsRecord {
  const record = records.get(name);
  if (record === undefined) {
    throw new Error(
      `no record ${name} in ${RECORDS_DIR} (have: ${[...records.keys()].join(", ")})`,
    );
  }
  return record;
}

/** The record as the file text it is committed as (two-space JSON and a final newline). */
export function recordText(record: DocsRecord): string {
  return JSON.stringify(record, null, 2) + "\n";
}
