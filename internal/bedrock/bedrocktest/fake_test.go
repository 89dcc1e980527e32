package bedrocktest

import (
	"encoding/json"
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
