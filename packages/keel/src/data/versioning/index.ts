/**
 * Data versioning (the DVC idea): a content-addressed cache, pointer files for git, a stat
 * cache, dataset versions in the store, remotes, and lineage through run inputs.
 */
export { type AddOptions, type AddResult, addData } from "./add-data.js";
export { type CheckoutOptions, type CheckoutResult, checkoutData } from "./checkout-data.js";
export { type DataDiff, type DiffOptions, diffVersions } from "./data-diff.js";
export { type DataState, dataStatus, type StatusEntry, type StatusReport } from "./data-status.js";
export { datasetInputFromRef, KEEL_SOURCE_TYPE, keelDatasetSource } from "./dataset-input.js";
export { type DatasetRef, parseDatasetRef } from "./dataset-ref.js";
export { type GcReport, gcCache } from "./gc-cache.js";
export { hashCounters, hashFile } from "./hash-file.js";
export { type DataPointer, POINTER_SUFFIX, readPointer } from "./pointer-file.js";
export type { ProgressSink } from "./progress-sink.js";
export type { Remote } from "./remote.js";
export {
  pullData,
  pushData,
  type TransferOptions,
  type TransferResult,
  type TransferredVersion,
} from "./transfer-data.js";
export { type VerifyReport, verifyCache } from "./verify-cache.js";
export { CorruptedObjectError, PointerFileCorruptedError } from "./versioning-errors.js";
export { openWorkspace, type Workspace, workspaceAt } from "./workspace.js";
