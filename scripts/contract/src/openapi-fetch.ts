// Every operation through a client from openapi-typescript + openapi-fetch,
// written as the README shows it.
import createClient from "openapi-fetch";
import type { components, paths } from "../gen/openapi-typescript/schema.js";
import { checkedFetch, expect, expectRejected } from "./check.js";
import { callAnalytics, checkForm, formNames, turns } from "./forms.js";
import { streamTranscript, transcript } from "./readme.js";
import { parseEvents, streamText } from "./sse.js";

// What the server sends has no `type` (its default, about:blank, is implied):
// this compiles only if the generated ErrorModel does not require it.
const serverProblem: components["schemas"]["ErrorModel"] = { title: "Unauthorized", status: 401, detail: "missing X-API-Key header" };

/**
 * runOpenAPIFetch calls every operation on baseUrl, and the rejected ones
 * on badUrl; README.md's TypeScript lines are among these (a test checks).
 */
export async function runOpenAPIFetch(baseUrl: string, badUrl: string, key: string): Promise<void> {
  const api = createClient<paths>({ baseUrl, headers: { "X-API-Key": key } });

  const health = await api.GET("/health");
  expect(health.data?.status === "ok", `openapi-fetch health: ${JSON.stringify(health.data)}`);

  const { data, error } = await api.POST("/api/v1/summarize", {
    body: { transcript, options: { maxLength: 40, format: "bullets", sections: ["actionItems", "sentiment", "resolution"] } },
  });
  expect(error === undefined, `openapi-fetch summarize error: ${JSON.stringify(error)}`);
  if (data) {
    expect(data.summary.startsWith("- "), `openapi-fetch summarize: not bullets: ${data.summary}`);
    expect((data.actionItems ?? []).length > 0 && data.sentiment !== undefined && data.resolution !== undefined,
      `openapi-fetch summarize: sections missing: ${JSON.stringify(data)}`);
    expect(data.usage.outputTokens > 0, "openapi-fetch summarize: no output tokens");
  }

  // Each form of a call, built as this client types SummarizeRequest.
  const options: components["schemas"]["SummarizeOptions"] = { sections: ["keyPoints", "actionItems"], includeTurns: true };
  const bodies: Record<(typeof formNames)[number], components["schemas"]["SummarizeRequest"]> = {
    transcript: { transcript, options },
    turns: { turns, options },
    document: { document: callAnalytics, documentFormat: "transcribe-call-analytics", options },
  };
  for (const form of formNames) {
    const res = await api.POST("/api/v1/summarize", { body: bodies[form] });
    expect(res.error === undefined, `openapi-fetch ${form}: ${JSON.stringify(res.error)}`);
    checkForm("openapi-fetch", form, res.data);
  }

  const stream = await api.POST("/api/v1/summarize/stream", { body: { transcript: streamTranscript }, parseAs: "text" });
  expect(stream.response.headers.get("content-type") === "text/event-stream", "openapi-fetch stream: content type");
  if (stream.data !== undefined) {
    const { text, done } = streamText(parseEvents(stream.data));
    expect(text.length > 0 && done.model.length > 0, `openapi-fetch stream: ${text} ${JSON.stringify(done)}`);
  }

  const bad = createClient<paths>({ baseUrl: badUrl, fetch: checkedFetch, headers: expectRejected });
  const noKey = await bad.POST("/api/v1/summarize", { body: { transcript: "hi" } });
  expect(noKey.response.status === 401 && noKey.error?.title === serverProblem.title, `openapi-fetch no key: ${noKey.response.status}`);
  const short = await bad.POST("/api/v1/summarize", {
    body: { transcript: "hi", options: { maxLength: 5 } }, headers: { "X-API-Key": key },
  });
  expect(short.response.status === 422 && short.error?.errors?.[0]?.location === "body.options.maxLength",
    `openapi-fetch maxLength 5: ${short.response.status} ${JSON.stringify(short.error)}`);
}
