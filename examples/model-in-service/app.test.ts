import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FLIGHTS,
  type FlightsFixture,
  flightsFixture,
  post,
} from "../../packages/keel/test/serve/helpers.js";
import { type KeelModel, loadModel } from "../../packages/runtime/src/index.js";
// @ts-expect-error: the example is plain JavaScript, as an app team would write it
import { buildApp } from "./app.mjs";

describe("example: model-in-service (Fastify app embedding @keel/runtime)", () => {
  let fx: FlightsFixture;
  let app: { listen(o: object): Promise<string>; close(): Promise<void> };
  let url: string;
  let reference: KeelModel;

  beforeAll(async () => {
    fx = await flightsFixture();
    app = await buildApp({ modelDir: fx.modelDir, threshold: 0.3 });
    url = await app.listen({ host: "127.0.0.1", port: 0 });
    reference = await loadModel(fx.modelDir);
  });
  afterAll(async () => {
    await app?.close();
    await reference?.release();
    await fx?.project.close();
  });

  it("predicts inside its own route, with the app's own logic around the model", async () => {
    for (const flight of FLIGHTS) {
      const r = await post(`${url}/flights/delay-risk`, flight);
      expect(r.status).toBe(200);
      const p = await reference.predict([flight as unknown as Record<string, unknown>]);
      if (p.task === "regression") throw new Error("expected a classifier");
      expect(r.body.risk).toBeCloseTo(p.probabilities[1]!, 3);
      expect(r.body.advice).toBe(
        p.probabilities[1]! >= 0.3 ? "likely delayed: book a later connection" : "on time expected",
      );
    }
  });

  it("answers 400 with every problem for bad input", async () => {
    const r = await post(`${url}/flights/delay-risk`, { month: "June", origin: 7 });
    expect(r.status).toBe(400);
    expect(r.body.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining("column 'distance' is missing"),
        expect.stringContaining("column 'month': expected number, got string"),
        expect.stringContaining("column 'origin': expected string, got number"),
      ]),
    );
    expect((await post(`${url}/flights/delay-risk`, FLIGHTS[0])).status).toBe(200);
  });
});
