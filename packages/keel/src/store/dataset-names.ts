/** Dataset names: what may stand before `@` in `NAME@N` (kept apart so readers need no SQL code). */
export const DATASET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,255}$/;
