/**
 * One ai.onnx.ml TreeEnsembleRegressor node (opset 3) from learn/tree's flat {@link TreeArrays}:
 * the same BRANCH_LT rule, float32 thresholds and missing-value routing as the TypeScript
 * predictor, so every row reaches the same leaf. Trees of classifiers use it too, with one target
 * per class (leaf class distributions summed with a weight), which keeps probabilities a plain
 * [N, C] float tensor and avoids TreeEnsembleClassifier's binary special cases and ZipMap.
 */
import type { TreeArrays } from "../../tree/tree-arrays.js";
import { attr } from "../attribute.js";
import type { GraphBuilder } from "../graph-builder.js";

/** How to combine the trees. */
export interface EnsembleOptions {
  /** Outputs per row (classes, or 1). */
  readonly nTargets: number;
  /** Weight multiplying every leaf value of tree t (1/nTrees for forests, learning rate for boosting). */
  readonly treeWeight: (t: number) => number;
  /** Which leaf output goes to which target: tree t's leaf value c → target `targetOf(t, c)`. */
  readonly targetOf?: (t: number, c: number) => number;
  /** Added to each target (boosting's base score); zeros by default. */
  readonly baseValues?: ArrayLike<number>;
  /** Output tensor name prefix. */
  readonly name?: string;
}

/** Appends the ensemble; returns the float [N, nTargets] tensor of summed scores. */
export function treeEnsemble(
  g: GraphBuilder,
  features: string,
  trees: readonly TreeArrays[],
  options: EnsembleOptions,
): string {
  let nodes = 0;
  let leafValues = 0;
  for (const t of trees) {
    nodes += t.nodeCount;
    for (let i = 0; i < t.nodeCount; i++) if (t.feature[i]! < 0) leafValues += t.nOutputs;
  }
  const treeIds = new Int32Array(nodes);
  const nodeIds = new Int32Array(nodes);
  const featureIds = new Int32Array(nodes);
  const values = new Float32Array(nodes);
  const modes: string[] = new Array(nodes);
  const trueIds = new Int32Array(nodes);
  const falseIds = new Int32Array(nodes);
  const missingTrue = new Int32Array(nodes);
  const targetTree = new Int32Array(leafValues);
  const targetNode = new Int32Array(leafValues);
  const targetIds = new Int32Array(leafValues);
  const targetWeights = new Float64Array(leafValues);
  let n = 0;
  let m = 0;
  trees.forEach((tree, t) => {
    const w = options.treeWeight(t);
    for (let i = 0; i < tree.nodeCount; i++, n++) {
      treeIds[n] = t;
      nodeIds[n] = i;
      const leaf = tree.feature[i]! < 0;
      modes[n] = leaf ? "LEAF" : "BRANCH_LT";
      if (!leaf) {
        featureIds[n] = tree.feature[i]!;
        values[n] = tree.threshold[i]!;
        trueIds[n] = tree.left[i]!;
        falseIds[n] = tree.right[i]!;
        missingTrue[n] = tree.missingLeft[i]!;
        continue;
      }
      for (let c = 0; c < tree.nOutputs; c++, m++) {
        targetTree[m] = t;
        targetNode[m] = i;
        targetIds[m] = options.targetOf ? options.targetOf(t, c) : c;
        targetWeights[m] = w * tree.value[i * tree.nOutputs + c]!;
      }
    }
  });
  const attrs = {
    n_targets: attr.int(options.nTargets),
    aggregate_function: attr.string("SUM"),
    post_transform: attr.string("NONE"),
    nodes_treeids: attr.ints(treeIds),
    nodes_nodeids: attr.ints(nodeIds),
    nodes_featureids: attr.ints(featureIds),
    nodes_values: attr.floats(values),
    nodes_modes: attr.strings(modes),
    nodes_truenodeids: attr.ints(trueIds),
    nodes_falsenodeids: attr.ints(falseIds),
    // Omitted when no node sends NaN left: ONNX Runtime then skips its NaN checks (about 2x faster).
    ...(missingTrue.some((v) => v !== 0) ? { nodes_missing_value_tracks_true: attr.ints(missingTrue) } : {}),
    target_treeids: attr.ints(targetTree),
    target_nodeids: attr.ints(targetNode),
    target_ids: attr.ints(targetIds),
    target_weights: attr.floats(targetWeights),
    ...(options.baseValues ? { base_values: attr.floats(options.baseValues) } : {}),
  };
  return g.node("TreeEnsembleRegressor", [features], attrs, {
    domain: "ai.onnx.ml",
    outputs: [options.name ?? "tree_scores"],
    types: [{ type: "float", shape: ["N", options.nTargets] }],
  })[0]!;
}
