/**
 * A study of `sweep`: its flags, its help, and how its arguments become a run that
 * yields rows. The registry of studies is `STUDIES` in `sweep_command.ts`; a study is
 * one module (`untied_study.ts`) and one entry there.
 *
 * @module
 */

import type { FlagTable } from "./flag_table.ts";

/** A study's arguments, parsed and checked: how to run it and how the run is recorded. */
export interface PreparedStudy {
  /** Whether `--json` was given: one versioned record instead of one JSON line per row. */
  json: boolean;
  /** The resolved configuration, keyed by flag, every default filled in (what replay passes). */
  config: Record<string, unknown>;
  /**
   * The grid cells, one row each, in row order (e.g. the depths of `untied`): the work
   * items that `--shard I/N` splits.
   */
  cells: readonly number[];
  /**
   * Runs the study over `cells` (default all; a row depends only on its cell and the
   * config); `onRow` sees each row as soon as it is done.
   */
  run(
    onRow: (row: unknown) => void,
    cells?: readonly number[],
  ): readonly unknown[] | Promise<readonly unknown[]>;
}

/** A study of `sweep`. */
export interface SweepStudy {
  /** One line for `sweep --help`. */
  summary: string;
  /** The text of `sweep <study> --help`. */
  help: string;
  /** The study's flags, in the order the replay command writes them. */
  flags: FlagTable;
  /**
   * Parses and checks the study's arguments before any work (undefined for `--help`); a
   * bad flag or value is a `UsageError` naming the flag.
   */
  prepare(args: readonly string[]): PreparedStudy | undefined;
}

/**
 * A row as one line of JSON: an infinite context is written "inf" and a quantity a row
 * does not define (NaN, e.g. B at depth 1) is null.
 */
export function sweepRowJson(row: unknown): string {
  return JSON.stringify(row, (_, v) => (v === Infinity ? "inf" : v));
}
