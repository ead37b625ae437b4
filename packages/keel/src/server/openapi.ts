/**
 * The OpenAPI 3.0 document, generated from the same route tables the server mounts, with
 * request schemas from the rows' Zod schemas (`z.toJSONSchema`), so docs and validation agree.
 */
import { z } from "zod";
import type { RawRoute, Route, RouteTable } from "./route.js";

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

function jsonOperation(route: Route, operationId: string): JsonSchema {
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
        description: "The response message as JSON (MLflow's, for MLflow routes).",
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
 * @param tables - the JSON route tables (MLflow's, Keel's), each documented under its first
 *   prefix; the other prefixes (the `/ajax-api` twins) are noted in the description.
 * @param raw - every other route.
 */
export function buildOpenApi(
  tables: readonly RouteTable[],
  raw: readonly RawRoute[],
  version: string,
): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const add = (path: string, method: string, op: JsonSchema) => {
    paths[path] = { ...paths[path], [method.toLowerCase()]: op };
  };
  const seen = new Set<string>();
  for (const table of tables) {
    for (const route of table.routes) {
      // An rpc served on two methods (search: POST and GET) gets the method appended the second time.
      const id = seen.has(route.rpc)
        ? `${route.rpc}${route.method[0]}${route.method.slice(1).toLowerCase()}`
        : route.rpc;
      seen.add(route.rpc);
      add(`${table.prefixes[0]}${route.path}`, route.method, jsonOperation(route, id));
    }
  }
  const twins = tables.flatMap((t) =>
    t.prefixes.slice(1).map((p) => `Every ${t.prefixes[0]} path is also served under ${p}.`),
  );
  for (const route of raw) add(route.url.replace(/\*$/, "{path}"), route.method, rawOperation(route));
  return {
    openapi: "3.0.3",
    info: {
      title: "Keel server",
      version,
      description: [
        "MLflow REST API 2.0 (tracking, model registry, artifact proxy) plus Keel's native endpoints " +
          "(dataset versions under /api/2.0/keel, health, version, metrics).",
        ...twins,
      ].join(" "),
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
