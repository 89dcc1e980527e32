package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"
)

var updateREADME = flag.Bool("update-readme", false, "rewrite the README's samples from the real server")

// readmeKey is the key the README's examples use.
const readmeKey = "my-dev-key-123"

// readmeSample is one README example: the request, shown as a curl command,
// and the real server's answer to it.
type readmeSample struct {
	name, method, path, contentType, body string
	key                                   bool
}

var readmeTranscript = "Agent: Thanks for calling Acme, this is Maria.\\nCustomer: I was charged twice for my March bill.\\n" +
	"Agent: I see the duplicate charge of $49.99. I will refund it today and you will get an email confirmation.\\n" +
	"Customer: Great, thank you."

var readmeSamples = []readmeSample{
	{name: "health", method: "GET", path: "/health"},
	{name: "summarize", method: "POST", path: "/api/v1/summarize", key: true, contentType: "application/json",
		body: `{"transcript": "` + readmeTranscript + `", "options": {"maxLength": 40, "format": "bullets", "sections": ["actionItems", "sentiment", "resolution"]}}`},
	{name: "stream", method: "POST", path: "/api/v1/summarize/stream", key: true, contentType: "application/json",
		body: `{"transcript": "Agent: Hello, how can I help? Customer: My router keeps rebooting every hour."}`},
	{name: "turns", method: "POST", path: "/api/v1/summarize", key: true, contentType: "application/json",
		body: `{"turns": [{"speaker": "Maria", "role": "agent", "text": "Thanks for calling Acme, this is Maria."}, ` +
			`{"speaker": "Sam", "role": "customer", "text": "My router keeps rebooting every hour."}, ` +
			`{"speaker": "Maria", "role": "agent", "text": "I will send you a replacement router today."}], ` +
			`"options": {"maxLength": 40, "sections": ["keyPoints", "actionItems"]}}`},
	{name: "document", method: "POST", path: "/api/v1/summarize", key: true, contentType: "application/json",
		body: `{"documentFormat": "transcribe-call-analytics", "document": {"JobName": "call-0042", "LanguageCode": "en-US", "Transcript": [` +
			`{"ParticipantRole": "AGENT", "Content": "Thanks for calling Acme, this is Maria.", "BeginOffsetMillis": 0, "EndOffsetMillis": 2600}, ` +
			`{"ParticipantRole": "CUSTOMER", "Content": "I was charged twice for my March bill.", "BeginOffsetMillis": 2900, "EndOffsetMillis": 5400}, ` +
			`{"ParticipantRole": "AGENT", "Content": "I will refund the duplicate charge today.", "BeginOffsetMillis": 5800, "EndOffsetMillis": 8900}]}, ` +
			`"options": {"maxLength": 40, "sections": ["keyPoints", "actionItems"], "includeTurns": true}}`},
	{name: "no-key", method: "POST", path: "/api/v1/summarize", contentType: "application/json", body: `{"transcript": "hi"}`},
	{name: "invalid", method: "POST", path: "/api/v1/summarize", key: true, contentType: "application/json",
		body: `{"transcript": "hi", "options": {"maxLength": 5}}`},
	{name: "not-json", method: "POST", path: "/api/v1/summarize", key: true, contentType: "text/plain", body: "hi"},
}

// curl is the sample's request as the README shows it.
func (s readmeSample) curl() string {
	var b strings.Builder
	b.WriteString("curl -si")
	if strings.HasSuffix(s.path, "/stream") {
		b.WriteString("N")
	}
	b.WriteString(" localhost:3000" + s.path)
	var headers []string
	if s.key {
		headers = append(headers, "-H 'X-API-Key: "+readmeKey+"'")
	}
	if s.contentType != "" {
		headers = append(headers, "-H 'Content-Type: "+s.contentType+"'")
	}
	if len(headers) > 0 {
		b.WriteString(" \\\n  " + strings.Join(headers, " "))
	}
	if s.body != "" {
		b.WriteString(" \\\n  -d '" + s.body + "'")
	}
	return b.String()
}

// answer sends the sample's request to base and renders the response: the
// status line, Content-Type, and the body (JSON indented).
func (s readmeSample) answer(tb testing.TB, base string) string {
	tb.Helper()
	req, err := http.NewRequest(s.method, base+s.path, strings.NewReader(s.body))
	if err != nil {
		tb.Fatal(err)
	}
	if s.key {
		req.Header.Set("X-API-Key", readmeKey)
	}
	if s.contentType != "" {
		req.Header.Set("Content-Type", s.contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("%s: %v", s.name, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("%s: read body: %v", s.name, err)
	}
	ct := resp.Header.Get("Content-Type")
	if strings.Contains(ct, "json") {
		var out bytes.Buffer
		if err := json.Indent(&out, bytes.TrimSpace(body), "", "  "); err != nil {
			tb.Fatalf("%s: %v in %s", s.name, err, body)
		}
		body = append(out.Bytes(), '\n')
	}
	return fmt.Sprintf("%s %s\nContent-Type: %s\n\n%s", resp.Proto, resp.Status, ct, strings.TrimRight(string(body), "\n"))
}

// block is what the README holds between the sample's markers.
func (s readmeSample) block(answer string) string {
	return "\n```sh\n" + s.curl() + "\n```\n\n```http\n" + answer + "\n```\n"
}

var sampleMarker = regexp.MustCompile(`(?s)(<!-- sample ([a-z-]+)[^>]*-->)(.*?)(<!-- /sample -->)`)

// volatile masks what differs between runs: the request id and durations.
var volatile = regexp.MustCompile(`("id": "|"latencyMs": |"id":"|"latencyMs":)[0-9a-f]+`)

func mask(s string) string { return volatile.ReplaceAllString(s, "${1}…") }

// TestREADMESamples runs the README's example requests against the real
// server and checks that the README shows those commands and the answers
// the server gives; `go test ./cmd/server -run TestREADMESamples -update-readme`
// rewrites them.
func TestREADMESamples(t *testing.T) {
	const path = "../../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base, _, _, _ := startServer(t, map[string]string{"API_KEYS": readmeKey})
	want := map[string]string{}
	for _, s := range readmeSamples {
		want[s.name] = s.block(s.answer(t, base))
	}
	seen := map[string]int{}
	out := sampleMarker.ReplaceAllStringFunc(string(readme), func(m string) string {
		parts := sampleMarker.FindStringSubmatch(m)
		name, got := parts[2], parts[3]
		seen[name]++
		w, ok := want[name]
		if !ok {
			t.Errorf("README has sample %q, which the test does not know", name)
			return m
		}
		if mask(got) == mask(w) {
			return m
		}
		t.Errorf("README sample %q is stale: run go test ./cmd/server -run TestREADMESamples -update-readme\n got: %s\nwant: %s", name, got, w)
		return parts[1] + w + parts[4]
	})
	for _, s := range readmeSamples {
		if seen[s.name] != 1 {
			t.Errorf("README has sample %q %d times, want once", s.name, seen[s.name])
		}
	}
	if *updateREADME && out != string(readme) {
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestREADMETypeScript ties the README's TypeScript to what
// scripts/contract/run compiles with tsc --strict and runs against the
// server: the generator's flags are the same, and every line of the
// example (but its imports) is in the contract check's program.
func TestREADMETypeScript(t *testing.T) {
	read := func(path string) string {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	readme := read("../../README.md")
	run := read("../../scripts/contract/run")
	program := read("../../scripts/contract/src/openapi-fetch.ts")

	cmd := regexp.MustCompile(`npx openapi-typescript api/openapi.yaml (.*) -o `).FindStringSubmatch(readme)
	if cmd == nil || !strings.Contains(run, `"$root/api/openapi.yaml" `+cmd[1]+` -o `) {
		t.Errorf("the README's openapi-typescript flags %q are not the ones scripts/contract/run uses", cmd)
	}
	blocks := regexp.MustCompile("(?s)```ts\n(.*?)```").FindAllStringSubmatch(readme, -1)
	if len(blocks) != 1 {
		t.Fatalf("README has %d ts blocks, want 1", len(blocks))
	}
	for _, line := range strings.Split(blocks[0][1], "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "import ") && !strings.Contains(program, line) {
			t.Errorf("README's TypeScript line is not in scripts/contract/src/openapi-fetch.ts: %s", line)
		}
	}
}
