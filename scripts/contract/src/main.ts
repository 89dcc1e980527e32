// The contract check's program: both generated clients against the real
// server through Prism (GOOD_URL: --errors; BAD_URL: reports violations in
// sl-violations), plus the README's raw requests.
import { env, expect, expectRejected, failures, seen, checkedFetch } from "./check.js";
import { runHeyAPI } from "./hey-api.js";
import { runOpenAPIFetch } from "./openapi-fetch.js";

// Every client, including those made with the README's own lines, fetches
// through the check.
globalThis.fetch = checkedFetch;

const good = env("GOOD_URL");
const bad = env("BAD_URL");
const key = env("API_KEY");

await runOpenAPIFetch(good, bad, key);
await runHeyAPI(good, bad, key);

// The README's 415: a body that is not JSON.
const plain = await checkedFetch(bad + "/api/v1/summarize", {
  method: "POST", body: "hi", headers: { ...expectRejected, "X-API-Key": key, "Content-Type": "text/plain" },
});
expect(plain.status === 415, `text/plain: ${plain.status}`);

const want = 16; // openapi-fetch 8, hey-api 7 (each with the three forms), text/plain 1
expect(seen === want, `checked ${seen} responses, want ${want}: a client bypassed the checking fetch`);
if (failures.length > 0) {
  console.error(`${failures.length} contract failure(s)`);
  process.exitCode = 1;
} else {
  console.log(`ok: ${seen} responses through Prism, no violations`);
}
