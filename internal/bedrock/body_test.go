package bedrock

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"
)

// bodyRecorder is an HTTP client that keeps the body it is sent and fails
// the call.
type bodyRecorder struct{ body []byte }

var errRecorded = errors.New("recorded")

func (r *bodyRecorder) Do(req *http.Request) (*http.Response, error) {
	b, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	r.body = b
	return nil, errRecorded
}

// sentBody is the body a client sends for in, with or without longBodies.
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
			o.Protocol = longBodies{o.Protocol}
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
		content := make([]types.ContentBlock, len(blocks))
		for j, b := range blocks {
			content[j] = &types.ContentBlockMemberText{Value: b}
		}
		msgs := []types.Message{{Role: types.ConversationRoleUser, Content: content}}
		system := []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: "be brief"}}
		for _, in := range []any{
			&bedrockruntime.ConverseInput{ModelId: aws.String("m"), Messages: msgs, System: system},
			&bedrockruntime.ConverseStreamInput{ModelId: aws.String("m"), Messages: msgs, System: system},
		} {
			want, got := sentBody(t, in, false), sentBody(t, in, true)
			if !bytes.Equal(got, want) {
				t.Errorf("case %d, %T: body\n%.300q\nwant the SDK's\n%.300q", i, in, got, want)
			}
		}
		if got := content[len(content)-1].(*types.ContentBlockMemberText).Value; got != blocks[len(blocks)-1] {
			t.Errorf("case %d: the input's blocks were changed", i)
		}
	}
}
