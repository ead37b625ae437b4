/**
 * The model signature (Zod): ordered raw-column inputs and named outputs. It is written into
 * model.json and read back by @keel/runtime, which checks prediction input against it.
 */
import { z } from "zod";

/** One raw input column. */
export const signatureInputSchema = z.strictObject({
  name: z.string().min(1),
  type: z.enum(["number", "boolean", "string", "datetime"]),
  nullable: z.boolean(),
  categories: z.array(z.string()).optional(),
  unknownCategory: z.enum(["error", "ignore"]).optional(),
});

/** One graph output. */
export const signatureOutputSchema = z.strictObject({
  name: z.enum(["label", "probabilities", "variable", "features", "strings"]),
  type: z.enum(["int64", "float", "string"]),
  shape: z.array(z.int()),
});

/** Inputs and outputs of a model. */
export const signatureSchema = z.strictObject({
  inputs: z.array(signatureInputSchema).min(1),
  outputs: z.array(signatureOutputSchema).min(1),
});

/** One raw input column of a signature. */
export type SignatureInput = z.infer<typeof signatureInputSchema>;
/** One output of a signature. */
export type SignatureOutput = z.infer<typeof signatureOutputSchema>;
/** A model signature. */
export type Signature = z.infer<typeof signatureSchema>;
