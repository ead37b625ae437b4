/**
 * The OpenAPI 3.0 document, generated from the same route tables the server mounts, with
 * request schemas from the rows' Zod schemas (`z.toJSONSchema`), so docs and validation agree.
 */
import { z } from "zod";
import { MLFLOW_PREFIXES } from "./mount-routes.js";
import type { RawRoute, Route } from "./route.js";

type JsonSchema = Record<string, unknown>;

/** OpenAPI JSON schema of a request schema (input side: defaulted fields are optional). */
function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** Query parameters from an object schema; arrays repeat the key (`order_by=a&order_by=b`). */
function queryParameters(schema: z.ZodType): JsonSchema[] {
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: s,
    ...(s.type === "array" ? { style: "form", explode: true } : {}),
  }));
}

const ERROR_RESPONSE = {
  description: "An MLflow error: INVALID_PARAMETER_VALUE (400), RESOURCE_DOES_NOT_EXIST (404), ...",
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
};

function mlflowOperation(route: Route, operationId: string): JsonSchema {
  const input =
    route.method === "GET"
      ? { parameters: queryParameters(route.request) }
      : {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchemaOf(route.request) } },
          },
        };
  return {
    operationId,
    summary: route.summary,
    tags: [route.path.split("/")[1]],
    ...input,
    responses: {
      "200": {
        description: "MLflow's response message as JSON.",
        content: { "application/json": { schema: { type: "object" } } },
      },
      default: ERROR_RESPONSE,
    },
  };
}

function rawOperation(route: RawRoute): JsonSchema {
  const pathParam = route.url.endsWith("*")
    ? [
        {
          name: "path",
          in: "path",
          required: true,
          schema: { type: "string" },
          description: "Artifact path.",
        },
      ]
    : [];
  return {
    operationId: route.url.startsWith("/ajax-api") ? `${route.rpc}Ajax` : route.rpc,
    summary: route.summary,
    tags: [route.url.includes("mlflow-artifacts") ? "mlflow-artifacts" : "keel"],
    parameters: [...pathParam, ...(route.query ? queryParameters(route.query) : [])],
    ...(route.bytesIn
      ? {
          requestBody: {
            required: true,
            content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
          },
        }
      : {}),
    responses: {
      "200": { description: "OK", content: { [route.produces]: { schema: { type: "string" } } } },
      default: ERROR_RESPONSE,
    },
  };
}

/**
 * Build the document.
 * @param mlflow - the MLflow route table (documented under `/api/2.0/mlflow`; the
 *   `/ajax-api/2.0/mlflow` twin is noted in the description).
 * @param raw - every other route table.
 */
export function buildOpenApi(
  mlflow: readonly Route[],
  raw: readonly RawRoute[],
  version: string,
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const add = (path: string, method: string, op: JsonSchema) => {
    paths[path] = { ...paths[path], [method.toLowerCase()]: op };
  };
  const seen = new Set<string>();
  for (const route of mlflow) {
    // An rpc served on two methods (search: POST and GET) gets the method appended the second time.
    const id = seen.has(route.rpc)
      ? `${route.rpc}${route.method[0]}${route.method.slice(1).toLowerCase()}`
      : route.rpc;
    seen.add(route.rpc);
    add(`${MLFLOW_PREFIXES[0]}${route.path}`, route.method, mlflowOperation(route, id));
  }
  for (const route of raw) add(route.url.replace(/\*$/, "{path}"), route.method, rawOperation(route));
  return {
    openapi: "3.0.3",
    info: {
      title: "Keel server",
      version,
      description:
        "MLflow REST API 2.0 (tracking, model registry, artifact proxy) plus Keel's native endpoints. " +
        `Every ${MLFLOW_PREFIXES[0]} path is also served under ${MLFLOW_PREFIXES[1]}.`,
    },
    paths,
    components: {
      schemas: {
        Error: {
          type: "object",
          required: ["error_code", "message"],
          properties: { error_code: { type: "string" }, message: { type: "string" } },
        },
      },
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
    },
    security: [{ bearer: [] }],
  };
}
