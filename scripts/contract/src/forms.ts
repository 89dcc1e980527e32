// The three forms of a call (issue 14) as plain values: each client builds
// its own typed request from them, so tsc checks that both generated
// clients can send transcript, turns and document.
import { expect } from "./check.js";
import { transcript } from "./readme.js";

/** A turn as both clients' TurnInput has it. */
export interface Turn {
  speaker: string;
  role: "agent" | "customer" | "other";
  text: string;
  startMs: number;
  endMs: number;
}

/** turns is the README's call as a list of turns. */
export const turns: Turn[] = [
  { speaker: "Maria", role: "agent", text: "Thanks for calling Acme, this is Maria.", startMs: 0, endMs: 2600 },
  { speaker: "Sam", role: "customer", text: "I was charged twice for my March bill.", startMs: 2900, endMs: 5400 },
  { speaker: "Maria", role: "agent", text: "I see the duplicate charge of $49.99. I will refund it today and you will get an email confirmation.", startMs: 5800, endMs: 11200 },
  { speaker: "Sam", role: "customer", text: "Great, thank you.", startMs: 11500, endMs: 12600 },
];

/**
 * callAnalytics is the same call as Amazon Transcribe Call Analytics writes
 * it (Transcript[] with ParticipantRole, Content and offsets), written for
 * this check.
 */
export const callAnalytics: { [key: string]: unknown } = {
  JobName: "contract-call",
  LanguageCode: "en-US",
  Channel: "VOICE",
  Transcript: turns.map((t, i) => ({
    Id: `contract-${i}`,
    ParticipantRole: t.role === "agent" ? "AGENT" : "CUSTOMER",
    Content: t.text,
    BeginOffsetMillis: t.startMs,
    EndOffsetMillis: t.endMs,
    Sentiment: "NEUTRAL",
  })),
};

/** The forms by name; transcript is the README's text. */
export const forms = { transcript, turns, document: callAnalytics } as const;

/** The form names, in the order the clients send them. */
export const formNames = ["transcript", "turns", "document"] as const;

/** What checkForm reads of a Summary, as both clients type it. */
export interface Cited {
  summary: string;
  keyPoints?: string[] | null;
  keyPointTurns?: (number[] | null)[] | null;
  actionItems?: { turns: number[] | null }[] | null;
  turns?: { index: number; role: string; startMs?: number }[] | null;
}

/**
 * checkForm checks one form's answer: a summary, the normalised turns
 * (for turns and document with the roles and times sent; plain text is
 * read into turns by its labels), and citations that name them.
 */
export function checkForm(client: string, form: (typeof formNames)[number], s: Cited | undefined): void {
  const what = `${client} ${form}`;
  if (s === undefined) return expect(false, `${what}: no summary`);
  expect(s.summary.length > 0, `${what}: empty summary`);
  const got = s.turns ?? [];
  if (form === "transcript") {
    expect(got.length > 0, `${what}: no turns returned for text`);
    got.forEach((t, i) => expect(t.index === i, `${what}: turn ${i} has index ${t.index}`));
  } else {
    expect(got.length === turns.length, `${what}: ${got.length} turns, want ${turns.length}`);
    got.forEach((t, i) => {
      expect(t.index === i && t.role === turns[i]?.role && t.startMs === turns[i]?.startMs,
        `${what}: turn ${i} is ${JSON.stringify(t)}, want ${JSON.stringify(turns[i])}`);
    });
  }
  const cited = [...(s.keyPointTurns ?? []).flatMap((ids) => ids ?? []), ...(s.actionItems ?? []).flatMap((a) => a.turns ?? [])];
  expect(cited.length > 0, `${what}: nothing cited`);
  for (const id of cited) expect(id >= 0 && id < got.length, `${what}: cites turn ${id} of ${got.length}`);
  expect((s.keyPointTurns ?? []).length === (s.keyPoints ?? []).length, `${what}: keyPointTurns not parallel to keyPoints`);
}
