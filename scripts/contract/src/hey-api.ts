// Every operation through the SDK from @hey-api/openapi-ts.
import { client } from "../gen/hey-api/client.gen.js";
import { getHealth, summarize, summarizeStream } from "../gen/hey-api/sdk.gen.js";
import type { StreamDelta, StreamDone, StreamError, SummarizeOptions, SummarizeRequest } from "../gen/hey-api/types.gen.js";
import { checkedFetch, expect, expectRejected } from "./check.js";
import { callAnalytics, checkForm, formNames, turns } from "./forms.js";
import { streamTranscript, transcript } from "./readme.js";

/** runHeyAPI calls each operation on baseUrl, and a rejected one on badUrl. */
export async function runHeyAPI(baseUrl: string, badUrl: string, key: string): Promise<void> {
  client.setConfig({ baseUrl, fetch: checkedFetch, auth: key });

  const health = await getHealth();
  expect(health.data?.status === "ok", `hey-api health: ${JSON.stringify(health.data)}`);

  const sum = await summarize({
    body: { transcript, options: { maxLength: 40, format: "bullets", sections: ["actionItems", "sentiment", "resolution"] } },
  });
  expect(sum.data?.summary.startsWith("- ") === true && sum.data.actionItems !== undefined,
    `hey-api summarize: ${JSON.stringify(sum.data ?? sum.error)}`);

  // Each form of a call, built as this SDK types SummarizeRequest.
  const options: SummarizeOptions = { sections: ["keyPoints", "actionItems"], includeTurns: true };
  const bodies: Record<(typeof formNames)[number], SummarizeRequest> = {
    transcript: { transcript, options },
    turns: { turns, options },
    document: { document: callAnalytics, documentFormat: "transcribe-call-analytics", options },
  };
  for (const form of formNames) {
    const res = await summarize({ body: bodies[form] });
    expect(res.error === undefined, `hey-api ${form}: ${JSON.stringify(res.error)}`);
    checkForm("hey-api", form, res.data);
  }

  // The SDK yields each event's data parsed as JSON; the spec declares the
  // body a string, so the event name (onSseEvent) says which schema it is.
  let text = "";
  let done: StreamDone | undefined;
  const { stream } = await summarizeStream({
    body: { transcript: streamTranscript },
    sseMaxRetryAttempts: 1,
    onSseEvent: (e) => {
      const data: unknown = e.data;
      if (e.event === "delta") text += (data as StreamDelta).text;
      else if (e.event === "done") done = data as StreamDone;
      else if (e.event === "error") throw new Error(`stream error ${(data as StreamError).detail}`);
    },
  });
  for await (const _ of stream) {
    // onSseEvent has each event
  }
  expect(text.length > 0 && done?.model !== undefined, `hey-api stream: ${text} ${JSON.stringify(done)}`);

  const noKey = await summarize({ baseUrl: badUrl, auth: undefined, headers: expectRejected, body: { transcript: "hi" } });
  expect(noKey.response.status === 401 && noKey.error?.detail !== undefined, `hey-api no key: ${noKey.response.status}`);
}
