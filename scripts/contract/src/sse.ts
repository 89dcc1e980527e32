// Reading the stream's text/event-stream body into typed events.
import type { components } from "../gen/openapi-typescript/schema.js";

type Schemas = components["schemas"];

/** StreamEvents maps each event name to its data's named schema (x-events). */
export interface StreamEvents {
  delta: Schemas["StreamDelta"];
  done: Schemas["StreamDone"];
  error: Schemas["StreamError"];
}

/** StreamEvent is one parsed event. */
export type StreamEvent = { [K in keyof StreamEvents]: { event: K; data: StreamEvents[K] } }[keyof StreamEvents];

const names: ReadonlySet<string> = new Set<keyof StreamEvents>(["delta", "done", "error"]);

/** parseEvents splits a whole body into events, skipping comments. */
export function parseEvents(body: string): StreamEvent[] {
  const out: StreamEvent[] = [];
  for (const block of body.split("\n\n")) {
    let event = "";
    let data = "";
    for (const line of block.split("\n")) {
      if (line.startsWith("event: ")) event = line.slice("event: ".length);
      else if (line.startsWith("data: ")) data = line.slice("data: ".length);
    }
    if (event === "" && data === "") continue;
    if (!names.has(event)) throw new Error(`unknown event ${JSON.stringify(event)} in ${JSON.stringify(block)}`);
    out.push({ event, data: JSON.parse(data) } as StreamEvent);
  }
  return out;
}

/** streamText joins the deltas' text; it fails unless the stream ends in done. */
export function streamText(events: StreamEvent[]): { text: string; done: Schemas["StreamDone"] } {
  let text = "";
  for (const [i, e] of events.entries()) {
    switch (e.event) {
      case "delta":
        text += e.data.text;
        break;
      case "done":
        if (i !== events.length - 1) throw new Error("done is not the last event");
        return { text, done: e.data };
      case "error":
        throw new Error(`stream error ${e.data.status}: ${e.data.detail}`);
    }
  }
  throw new Error("the stream has no done event");
}
