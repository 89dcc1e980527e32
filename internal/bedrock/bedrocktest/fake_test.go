package bedrocktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestSplitWordsJoinsBack(t *testing.T) {
	for _, text := range []string{"", "one", "one two three four five", "  lead and\ntrailing  ", "a\n\n- b c d e f g"} {
		pieces := splitWords(text, 2)
		if got := strings.Join(pieces, ""); got != text {
			t.Errorf("splitWords(%q) joins to %q", text, got)
		}
	}
}

func TestErrorShape(t *testing.T) {
	_, srv := NewServer(t, Options{Script: []string{"ValidationException: bad model"}})
	resp, err := http.Post(srv.URL+"/model/m/converse", "application/json", strings.NewReader(`{"messages":[{"role":"user","content":[{"text":"hi"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]string
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusBadRequest || body["__type"] != "ValidationException" || body["message"] != "bad model" ||
		!strings.HasPrefix(resp.Header.Get("X-Amzn-Errortype"), "ValidationException:") {
		t.Errorf("got %d %v %q, want Bedrock's error shape", resp.StatusCode, body, resp.Header.Get("X-Amzn-Errortype"))
	}
}

func TestUnknownRoute(t *testing.T) {
	_, srv := NewServer(t, Options{})
	resp, err := http.Post(srv.URL+"/model/m/invoke", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("status = %d, want 404", resp.StatusCode)
	}
}

// TestMemo checks that with Memo a body seen before gets the same answer
// without the answer being worked out again, for both operations.
func TestMemo(t *testing.T) {
	const body = `{"messages":[{"role":"user","content":[{"text":"<transcript>Agent: Hello there.\nCustomer: My bill is wrong.</transcript>"}]}]}`
	for _, tc := range []struct {
		name    string
		memo    bool
		answers int // calls of Answer for four requests, two per operation
	}{{"memo", true, 2}, {"no memo", false, 4}} {
		t.Run(tc.name, func(t *testing.T) {
			answers := 0
			f, srv := NewServer(t, Options{Memo: tc.memo, Answer: func(r Request) Answer { answers++; return DefaultAnswer(r) }})
			for _, op := range []string{"converse", "converse-stream"} {
				var got []string
				for range 2 {
					resp, err := http.Post(srv.URL+"/model/m/"+op, "application/json", strings.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					b, err := io.ReadAll(resp.Body)
					resp.Body.Close()
					if err != nil || resp.StatusCode != http.StatusOK {
						t.Fatalf("%s: %d %v", op, resp.StatusCode, err)
					}
					got = append(got, string(b))
				}
				if op == "converse" && got[0] != got[1] {
					t.Errorf("%s: answers differ:\n%s\n%s", op, got[0], got[1])
				}
				if !strings.Contains(got[1], "wrong.") {
					t.Errorf("%s: answer %q lacks the transcript's text", op, got[1])
				}
			}
			if answers != tc.answers {
				t.Errorf("Answer called %d times, want %d", answers, tc.answers)
			}
			if n := len(f.Calls()); n != 4 {
				t.Errorf("%d calls recorded, want 4", n)
			}
		})
	}
}
