// A reference point for bench/serve: Keel's V2 model path (decode and validate the body, the
// micro-batched ONNX Runtime run, encode the outputs) behind a bare `node:http` handler, without
// Fastify, routing, metrics, logs, request ids or the prediction log. It shows how much of the
// gap to the bare server is the model path itself. Not a product: `keel serve` is the server.
//
//   node bench/serve/raw-model-server.mjs MODEL_DIR PORT
import { createServer } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "packages", "keel", "dist", "serve");
const { ServedModel } = await import(join(dist, "served-model.js"));
const { decodeInferRequest } = await import(join(dist, "protocol", "v2-decode.js"));
const { encodeOutputs, outputMetadata } = await import(join(dist, "protocol", "v2-encode.js"));

const [modelDir, port] = process.argv.slice(2);
const model = await ServedModel.load(modelDir, { name: "flights" });
const names = outputMetadata(model).map((o) => o.name);

createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", async () => {
    let status = 200;
    let body;
    try {
      const r = decodeInferRequest(JSON.parse(Buffer.concat(chunks).toString()), model.signature, names);
      const p = await model.predict(r.input, r.decoded);
      body = { model_name: model.name, model_version: model.version, outputs: encodeOutputs(p, r.outputs) };
    } catch (e) {
      status = 400;
      body = { error: String(e?.message ?? e) };
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  });
}).listen(Number(port), "127.0.0.1", () => console.log("ready"));
