/**
 * The table of task families: every family-dependent step of the toolkit (sampling,
 * the Bayes target, option checks, the population path, WebGPU support) looks its
 * family up here. A new family is one module implementing `TaskFamilyDefinition`
 * plus its row below (and its name in the `TaskFamily` union).
 *
 * @module
 */

import { requireChoice } from "../../validation/errors.ts";
import type { TaskConfig, TaskFamily } from "../model_types.ts";
import { PAPER_FAMILY } from "./paper.ts";
import { REGRESSION_FAMILY } from "./regression.ts";
import type { TaskFamilyDefinition } from "./task_family.ts";

/** The definition of every task family, by name. */
export const FAMILIES: Readonly<Record<TaskFamily, TaskFamilyDefinition>> = {
  paper: PAPER_FAMILY,
  regression: REGRESSION_FAMILY,
};

/** The family of a task that names none. */
export const DEFAULT_FAMILY: TaskFamily = "paper";

/** Names of the task families. */
export const TASK_FAMILIES: readonly TaskFamily[] = Object.keys(FAMILIES) as TaskFamily[];

/** Validates a family name (default `paper`). */
export function requireFamily(value: unknown): TaskFamily {
  return requireChoice("family", value ?? DEFAULT_FAMILY, TASK_FAMILIES);
}

/** The definition of a task's family (`paper` when the task names none). */
export function familyOf(task: Pick<TaskConfig, "family">): TaskFamilyDefinition {
  return FAMILIES[task.family ?? DEFAULT_FAMILY];
}
