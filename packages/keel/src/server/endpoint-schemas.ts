/**
 * Wire schemas of Keel's endpoint store API (`/api/2.0/keel/endpoints/*`): a traffic policy and
 * an event as a remote `keel endpoint` sends them. Unknown keys are refused and every string is
 * bounded, so a client cannot store what the endpoint server would not read back; the rollout
 * rules themselves (canary steps, A/B split, header names) are {@link validateCanary} and
 * {@link validateAb}'s, as for a local store.
 */
import { z } from "zod";
import { validateAb, validateCanary } from "../serve/endpoints/traffic-policy.js";
import {
  ENDPOINT_EVENT_TYPES,
  type NewEndpointEvent,
  ROLLOUT_STRATEGIES,
  type TrafficPolicy,
} from "../store/endpoint-store.js";

const text = (max: number) => z.string().min(1).max(max);

const version = z.strictObject({ ref: text(4096), model: text(256), version: text(64) });

const canary = z.strictObject({
  steps: z.array(z.number()).min(1).max(100),
  intervalMs: z.number(),
  maxErrorRate: z.number(),
  maxP99Ms: z.number(),
  minAccuracyDelta: z.number().optional(),
  minRequests: z.number(),
});

const ab = z.strictObject({ split: z.number(), keyHeader: text(256) });

/** A traffic policy on the wire (the store's `TrafficPolicy`, camelCase as stored). */
export const trafficPolicy = z.strictObject({
  stable: version,
  previous: version.optional(),
  candidate: version.optional(),
  strategy: z.enum(ROLLOUT_STRATEGIES).optional(),
  canary: canary.optional(),
  canaryStep: z.int().min(0).max(99).optional(),
  stepStartedAt: z.number().optional(),
  ab: ab.optional(),
});

/**
 * A parsed policy checked by the rules a local deploy applies, with the same messages.
 * @throws KeelError INVALID_PARAMETER_VALUE naming the bad parameter.
 */
export function checkedPolicy(p: z.output<typeof trafficPolicy>): TrafficPolicy {
  if (p.canary) validateCanary(p.canary);
  return p.ab ? { ...p, ab: validateAb(p.ab) } : p;
}

/** An endpoint event as a client records it with a change. */
export const newEndpointEvent: z.ZodType<NewEndpointEvent> = z.strictObject({
  type: z.enum(ENDPOINT_EVENT_TYPES),
  actor: text(256),
  message: z.string().max(10_000),
  details: z.record(z.string(), z.unknown()).optional(),
});
