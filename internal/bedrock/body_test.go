package bedrock

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// bodyRecorder is an HTTP client that keeps the body it is sent and fails
// the call.
type bodyRecorder struct{ body []byte }

// request is what the recorder keeps of a call: its method, URL, content
// headers and body.
func (r *bodyRecorder) request(req *http.Request, body []byte) []byte {
	head := req.Method + " " + req.URL.String() + "\n" + req.Header.Get("Content-Type") + " " + req.Header.Get("Content-Length") +
		" " + strconv.FormatInt(req.ContentLength, 10) + "\n"
	return append([]byte(head), body...)
}

var errRecorded = errors.New("recorded")

func (r *bodyRecorder) Do(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.body = r.request(req, b)
	return nil, errRecorded
}

// sentBody is the request a client sends for in (its method, URL, content
// headers and body), with or without longBodies.
func sentBody(t *testing.T, in any, held bool) []byte {
	t.Helper()
	rec := &bodyRecorder{}
	client := bedrockruntime.New(bedrockruntime.Options{
		Region: "us-east-1", Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "x", SecretAccessKey: "y"}, nil
		}), HTTPClient: rec, RetryMaxAttempts: 1,
		BaseEndpoint: aws.String("http://127.0.0.1:1"),
	}, func(o *bedrockruntime.Options) {
		if held {
			o.Protocol = longBodies{ClientProtocol: o.Protocol, release: true}
		}
	})
	var err error
	switch v := in.(type) {
	case *bedrockruntime.ConverseInput:
		_, err = client.Converse(context.Background(), v)
	case *bedrockruntime.ConverseStreamInput:
		_, err = client.ConverseStream(context.Background(), v)
	}
	if !errors.Is(err, errRecorded) {
		t.Fatalf("call: %v, want the recorder's error", err)
	}
	return rec.body
}

// TestLongBodiesSameBytes: with the long text blocks written by longBodies,
// the body sent is the SDK's own, byte for byte, for text of every kind
// (escapes, control bytes, DEL, accents, emoji, U+2028, bytes that are
// not UTF-8, a rune cut at the end) and with a short block that looks like
// a placeholder.
func TestLongBodiesSameBytes(t *testing.T) {
	long := func(s string) string { return strings.Repeat(s, heldOutBytes/len(s)+1) }
	texts := [][]string{
		{"<transcript>\n", long("[1] agent: hello \"there\" \\ back\tslash\r\n"), "\n</transcript>"},
		{long("été à l'œuvre 🎧 "), long("\x00\x01\x1f\x7f~ ok\n"), "short"},
		{long("line\u2028sep "), long("bad \xff byte "), long("fine ")},
		{long("\xc0\x80 \xed\xa0\x80 \xf5\x80 \xe2\x80 \xc3 \xef\xbf\xbd ü 中文 "), "end\xe2\x80", long("x ") + "\xc3"},
		{"\x00held-out-0\x00", long("real text ")},
		{"\x00held-out-1\x00", long("a "), long("b ")},
		{strings.Repeat("x", heldOutBytes-1), "y"},
	}
	for i, blocks := range texts {
		for stream := range 2 {
			in, content := converseWith(blocks, stream == 1)
			want := sentBody(t, in, false)
			if got := sentBody(t, in, true); !bytes.Equal(got, want) {
				t.Errorf("case %d, %T: body\n%.300q\nwant the SDK's\n%.300q", i, in, got, want)
			}
			// The long blocks are let go of once written, the rest kept,
			// unless the SDK wrote the body: a short block like the first
			// placeholder comes before it. One like a later placeholder,
			// before the first, is left as it is (the bytes compared).
			for j, b := range content {
				got, want := b.(*types.ContentBlockMemberText).Value, blocks[j]
				if len(want) >= heldOutBytes && blocks[0] != placeholder(0) {
					want = ""
				}
				if got != want {
					t.Errorf("case %d, block %d after the call: %.40q, want %.40q", i, j, got, want)
				}
			}
		}
	}
}

// converseWith is a Converse (or ConverseStream) input with one user
// message of blocks, and that message's content.
func converseWith(blocks []string, stream bool) (any, []types.ContentBlock) {
	content := make([]types.ContentBlock, len(blocks))
	for j, b := range blocks {
		content[j] = &types.ContentBlockMemberText{Value: b}
	}
	msgs := []types.Message{{Role: types.ConversationRoleUser, Content: content}}
	system := []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "be brief"}}
	if stream {
		return &bedrockruntime.ConverseStreamInput{ModelId: aws.String("m"), Messages: msgs, System: system}, content
	}
	return &bedrockruntime.ConverseInput{ModelId: aws.String("m"), Messages: msgs, System: system}, content
}
