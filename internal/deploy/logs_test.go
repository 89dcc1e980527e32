package deploy

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

func logEvent(id string, ts int64, msg string) map[string]any {
	return map[string]any{"eventId": id, "timestamp": ts, "ingestionTime": ts + 10, "logStreamName": "copilot/backend/task" + id, "message": msg}
}

func TestLogsPagination(t *testing.T) {
	var got []map[string]any
	f := &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"FilterLogEvents": func(req map[string]any) (any, error) {
			got = append(got, req)
			if str(req, "nextToken") == "" {
				return map[string]any{"events": []any{logEvent("1", 1764123518000, "first"), logEvent("2", 1764123519000, "second")}, "nextToken": "page2"}, nil
			}
			return map[string]any{"events": []any{logEvent("3", 1764123520000, "third")}}, nil
		},
	}}
	a := NewLogs(startFake(t, f))
	var out bytes.Buffer
	since := time.UnixMilli(1764123000000)
	err := a.Show(context.Background(), &out, LogsOptions{Group: "/copilot/llm-testing-staging-backend", Since: since, Filter: `{ $.level = "ERROR" }`})
	if err != nil {
		t.Fatal(err)
	}
	want := "2025-11-26T02:18:38Z task1 first\n2025-11-26T02:18:39Z task2 second\n2025-11-26T02:18:40Z task3 third\n"
	if out.String() != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out.String(), want)
	}
	if len(got) != 2 {
		t.Fatalf("%d FilterLogEvents calls, want 2", len(got))
	}
	if str(got[0], "logGroupName") != "/copilot/llm-testing-staging-backend" || got[0]["startTime"] != float64(1764123000000) || str(got[0], "filterPattern") != `{ $.level = "ERROR" }` {
		t.Fatalf("first request = %v", got[0])
	}
}

func TestLogsFollowNoDuplicates(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a1, b2, c3, d4 := logEvent("a", 1_000_000, "A"), logEvent("b", 1_010_000, "B"), logEvent("c", 1_010_000, "C"), logEvent("d", 1_019_000, "D")
	// Each poll sees some events again, as CloudWatch does when the start
	// time is the newest event's time.
	polls := [][]any{{a1, b2}, {a1, b2, c3}, {}, {b2, c3, d4}}
	var mu sync.Mutex
	var starts []float64
	f := &fakeAWS{JSON: map[string]func(map[string]any) (any, error){
		"FilterLogEvents": func(req map[string]any) (any, error) {
			mu.Lock()
			defer mu.Unlock()
			n := len(starts)
			starts = append(starts, req["startTime"].(float64))
			if n >= len(polls) {
				cancel()
				return map[string]any{"events": []any{}}, nil
			}
			return map[string]any{"events": polls[n]}, nil
		},
	}}
	a := startFake(t, f)
	var out bytes.Buffer
	err := NewLogs(a).Show(ctx, &out, LogsOptions{Group: "g", Since: time.UnixMilli(999_000), Follow: true, Interval: time.Millisecond})
	if err != nil {
		t.Fatalf("Logs after cancel = %v, want nil", err)
	}
	for _, m := range []string{" A\n", " B\n", " C\n", " D\n"} {
		if got := strings.Count(out.String(), m); got != 1 {
			t.Errorf("%q printed %d times, want once:\n%s", m, got, out.String())
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(starts) < 4 || starts[1] != 1_010_000-followLag.Seconds()*1000 {
		t.Fatalf("start times = %v, want the second poll from the newest event minus the lag", starts)
	}
}

func TestFormatEvent(t *testing.T) {
	at := time.Date(2026, 11, 26, 2, 18, 38, 0, time.UTC)
	tests := []struct {
		name, msg, want string
	}{
		{name: "plain", msg: "listening on :3000\n", want: "2026-11-26T02:18:38Z abc listening on :3000"},
		{name: "slog json", msg: `{"time":"2026-11-26T02:18:38Z","level":"INFO","msg":"request done","status":200,"path":"/api/v1/summarize","key_id":"a1b2"}`,
			want: "2026-11-26T02:18:38Z abc INFO request done status=200 path=/api/v1/summarize key_id=a1b2"},
		{name: "quoted values and groups", msg: `{"level":"ERROR","msg":"llm failed","err":"timed out after 45s","req":{"id":"r1"}}`,
			want: `2026-11-26T02:18:38Z abc ERROR llm failed err="timed out after 45s" req={"id":"r1"}`},
		{name: "broken json stays as is", msg: `{"level":"INFO"`, want: `2026-11-26T02:18:38Z abc {"level":"INFO"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatEvent(at, "copilot/backend/abc", tt.msg); got != tt.want {
				t.Fatalf("FormatEvent =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestParseSince(t *testing.T) {
	now := time.Date(2026, 11, 26, 2, 0, 0, 0, time.UTC)
	tests := []struct {
		in      string
		want    time.Time
		wantErr bool
	}{
		{in: "", want: now.Add(-10 * time.Minute)},
		{in: "2h", want: now.Add(-2 * time.Hour)},
		{in: "2026-11-25T00:00:00Z", want: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)},
		{in: "yesterday", want: now, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			since, err := ParseSince(tt.in)
			if got := since.From(now); (err != nil) != tt.wantErr || !got.Equal(tt.want) {
				t.Fatalf("ParseSince(%q) = %v, %v", tt.in, got, err)
			}
		})
	}
}
