/**
 * A small typed builder for one ONNX inference graph: inputs, initializers, nodes, outputs and the
 * opset imports they need. Converters append to one builder in topological order; `toBytes()`
 * serialises the model with protobufjs.
 */
import { type Attribute, attributeProto } from "./attribute.js";
import { modelProtoType } from "./onnx-schema.js";
import { DATA_TYPE, type ElemType, type Tensor, tensorProto } from "./tensor.js";

/** Operator domains Keel uses: "" is the default ai.onnx domain. */
export type OpDomain = "" | "ai.onnx.ml";

/**
 * Opset versions Keel targets: ai.onnx 17 and ai.onnx.ml 3, so that older runtimes and the
 * onnx 1.12 checker accept the graph. IR version 8 is the one those opsets belong to.
 */
export const OPSET_VERSION: Readonly<Record<OpDomain, number>> = Object.freeze({ "": 17, "ai.onnx.ml": 3 });

/** ONNX IR version written into every model. */
export const IR_VERSION = 8;

/** A dimension: a fixed size, or a symbolic name such as `"N"` for the batch. */
export type Dim = number | string;

/** A graph input or output: name, element type and shape. */
export interface ValueInfo {
  /** Tensor name. */
  readonly name: string;
  /** Element type. */
  readonly type: ElemType;
  /** Shape (symbolic dims allowed). */
  readonly shape: readonly Dim[];
}

/**
 * Declared type of a node output. ai.onnx.ml operators have no type inference in older onnx
 * checkers (1.12), so converters declare their outputs' types and the checker can follow them.
 */
export interface OutputType {
  /** Element type. */
  readonly type: ElemType;
  /** Shape (symbolic dims allowed). */
  readonly shape: readonly Dim[];
}

/** Options for serialising the model. */
export interface ModelOptions {
  /** Graph name. */
  readonly graphName?: string;
  /** `producer_name` (defaults to "keel"). */
  readonly producerName?: string;
  /** `producer_version`. */
  readonly producerVersion?: string;
  /** Human-readable description. */
  readonly docString?: string;
  /** String metadata stored in `metadata_props`. */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface NodeSpec {
  readonly op: string;
  readonly domain: OpDomain;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: Readonly<Record<string, Attribute>>;
  readonly name: string;
}

/** Accumulates one graph; names are unique across inputs, initializers and node outputs. */
export class GraphBuilder {
  readonly #inputs: ValueInfo[] = [];
  readonly #outputs: ValueInfo[] = [];
  readonly #initializers: { name: string; tensor: Tensor }[] = [];
  readonly #valueInfo: ValueInfo[] = [];
  readonly #nodes: NodeSpec[] = [];
  readonly #names = new Set<string>();
  readonly #domains = new Set<OpDomain>([""]);
  #counter = 0;

  /** A fresh tensor name starting with `prefix`, never used before in this graph. */
  fresh(prefix: string): string {
    let name = prefix;
    while (this.#names.has(name)) name = `${prefix}_${++this.#counter}`;
    this.#names.add(name);
    return name;
  }

  /** Declares a graph input; returns its name (which must be unused). */
  input(name: string, type: ElemType, shape: readonly Dim[]): string {
    this.#claim(name);
    this.#inputs.push({ name, type, shape });
    return name;
  }

  /** Declares `name` (an existing tensor) as a graph output. */
  output(name: string, type: ElemType, shape: readonly Dim[]): void {
    if (!this.#names.has(name))
      throw new Error(`graph output '${name}' is not produced by any node or input`);
    this.#outputs.push({ name, type, shape });
  }

  /** Stores a constant tensor as an initializer; returns its (fresh) name. */
  constant(prefix: string, tensor: Tensor): string {
    const name = this.fresh(prefix);
    this.#initializers.push({ name, tensor });
    return name;
  }

  /**
   * Appends a node. `outputs` is a list of name prefixes (made unique) or a count; returns the
   * output names. Use `nodeTo` when an output must have an exact name (a graph output).
   * `types` declares output types for operators older checkers cannot infer (ai.onnx.ml).
   */
  node(
    op: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, Attribute>> = {},
    options: { domain?: OpDomain; outputs?: readonly string[] | number; types?: readonly OutputType[] } = {},
  ): string[] {
    const spec = options.outputs ?? 1;
    const prefixes =
      typeof spec === "number" ? Array.from({ length: spec }, (_, i) => `${op}_out${i}`) : spec;
    const outputs = prefixes.map((p) => this.fresh(p));
    this.#push(op, inputs, outputs, attrs, options.domain ?? "");
    for (const [i, t] of (options.types ?? []).entries()) this.#valueInfo.push({ name: outputs[i]!, ...t });
    return outputs;
  }

  /** Appends a node whose outputs get exactly the given names (e.g. `label`, `probabilities`). */
  nodeTo(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Readonly<Record<string, Attribute>> = {},
    domain: OpDomain = "",
  ): void {
    for (const o of outputs) this.#claim(o);
    this.#push(op, inputs, outputs, attrs, domain);
  }

  /** Serialises the model as `onnx.ModelProto` bytes. */
  toBytes(options: ModelOptions = {}): Uint8Array {
    const type = modelProtoType();
    const valueInfo = (v: ValueInfo) => ({
      name: v.name,
      type: {
        tensor_type: {
          elem_type: DATA_TYPE[v.type],
          shape: { dim: v.shape.map((d) => (typeof d === "number" ? { dim_value: d } : { dim_param: d })) },
        },
      },
    });
    const graph = {
      name: options.graphName ?? "keel",
      input: this.#inputs.map(valueInfo),
      value_info: this.#valueInfo.map(valueInfo),
      output: this.#outputs.map(valueInfo),
      initializer: this.#initializers.map((i) => tensorProto(i.name, i.tensor)),
      node: this.#nodes.map((n) => ({
        name: n.name,
        op_type: n.op,
        domain: n.domain,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs).map(([k, a]) => attributeProto(k, a)),
      })),
    };
    const model = {
      ir_version: IR_VERSION,
      producer_name: options.producerName ?? "keel",
      producer_version: options.producerVersion ?? "",
      doc_string: options.docString ?? "",
      opset_import: [...this.#domains].map((domain) => ({ domain, version: OPSET_VERSION[domain] })),
      metadata_props: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph,
    };
    return type.encode(type.fromObject(model)).finish();
  }

  #claim(name: string): void {
    if (this.#names.has(name)) throw new Error(`tensor name '${name}' is already used in this graph`);
    this.#names.add(name);
  }

  #push(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Readonly<Record<string, Attribute>>,
    domain: OpDomain,
  ): void {
    for (const i of inputs) {
      // "" is ONNX's marker for an omitted optional input.
      if (i !== "" && !this.#names.has(i))
        throw new Error(`node ${op} reads '${i}', which no earlier node produces`);
    }
    this.#domains.add(domain);
    this.#nodes.push({ op, domain, inputs, outputs, attrs, name: `${op}_${this.#nodes.length}` });
  }
}
