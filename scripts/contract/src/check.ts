// What every call goes through: a fetch that records each response and
// fails the run on anything Prism reports, and small assertions.

/** A problem the run found; the run fails if there is any. */
export const failures: string[] = [];

/** fail records a failure and carries on, so one run reports them all. */
export function fail(what: string): void {
  failures.push(what);
  console.error("FAIL " + what);
}

/** expect fails with what unless ok. */
export function expect(ok: boolean, what: string): void {
  if (!ok) fail(what);
}

interface Violation {
  location?: string[];
  severity?: string;
  message?: string;
}

function violations(res: Response): Violation[] {
  const raw = res.headers.get("sl-violations");
  return raw ? (JSON.parse(raw) as Violation[]) : [];
}

const realFetch = globalThis.fetch;

/** seen counts the responses checkedFetch has checked. */
export let seen = 0;

/**
 * checkedFetch is fetch for calls through Prism. Any response violation
 * fails the run; a request violation fails it unless the request was sent
 * to be rejected (X-Contract-Expect: request-violation), and such a request
 * must have one, since then the spec and the server both reject it.
 */
export const checkedFetch: typeof fetch = async (input, init) => {
  const req = new Request(input, init);
  const res = await realFetch(req);
  seen++;
  const what = `${req.method} ${new URL(req.url).pathname} -> ${res.status}`;
  const found = violations(res);
  const expectBad = req.headers.get("X-Contract-Expect") === "request-violation";
  for (const v of found) {
    const side = v.location?.[0];
    if (side !== "request" || !expectBad) {
      fail(`${what}: Prism ${side ?? "?"} violation: ${v.message ?? JSON.stringify(v)}`);
    }
  }
  if (expectBad && !found.some((v) => v.location?.[0] === "request")) {
    fail(`${what}: the server rejected the request but the spec accepts it`);
  }
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("problem+json")) {
    const body = (await res.clone().json()) as { type?: string };
    if (body.type?.startsWith("https://stoplight.io/prism/errors")) {
      fail(`${what}: Prism answered instead of the server: ${JSON.stringify(body)}`);
    }
  }
  console.log(`checked ${what}${found.length > 0 ? ` (spec rejects the request: ${found.map((v) => v.message).join("; ")})` : ""}`);
  return res;
};

/** expectRejected marks a request as one the spec must reject too. */
export const expectRejected = { "X-Contract-Expect": "request-violation" };

/** env is a required environment variable. */
export function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
}
