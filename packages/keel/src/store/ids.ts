/** Parsing of the string ids that the store API exposes for integer keys. */
import { notFound } from "../errors.js";

const MAX_INT32 = 2_147_483_647;

/** An experiment id as the integer key, or null when it cannot name any experiment. */
export function parseExperimentId(id: string): number | null {
  const text = String(id).trim();
  if (!/^\d+$/.test(text)) return null;
  const n = Number(text);
  return n <= MAX_INT32 ? n : null;
}

/** The integer key of an experiment id, or RESOURCE_DOES_NOT_EXIST when it cannot exist. */
export function experimentKey(id: string): number {
  const n = parseExperimentId(id);
  if (n === null) throw notFound(`No Experiment with id=${id} exists`);
  return n;
}
