package bedrocktest

import (
	"encoding/json"
	"fmt"
	"time"
)

// memoKey is what a reply depends on: the operation and the body.
type memoKey struct {
	modelID, op, body string
}

// reply is the fake's answer to one request body, worked out before the
// latency and failures are applied.
type reply struct {
	req Request
	// invalid is the ValidationException the request gets, if any.
	invalid error
	ans     Answer
	// converse is the Converse response body; events the ConverseStream
	// events, framed, all but the metadata (its latency is the call's own).
	converse []byte
	events   [][]byte
}

// reply works out the answer to a request body, or, with Options.Memo,
// recalls it; the error is a body that is not JSON.
func (f *Fake) reply(k memoKey, stream bool) (*reply, error) {
	if f.opts.Memo {
		if v, ok := f.memo.Load(k); ok {
			return v.(*reply), nil
		}
	}
	rep := &reply{}
	if err := json.Unmarshal([]byte(k.body), &rep.req); err != nil {
		return nil, err
	}
	if rep.invalid = rep.req.validate(k.modelID); rep.invalid == nil {
		rep.ans = f.opts.Answer(rep.req)
		var err error
		if stream {
			rep.events, err = f.streamEvents(rep.ans)
		} else {
			rep.converse, err = converseBody(rep.req, rep.ans, f.opts.Latency)
		}
		if err != nil {
			return nil, err
		}
	}
	if f.opts.Memo && len(k.body) <= memoMaxBody && f.memoLen.Load() < memoEntries {
		if _, loaded := f.memo.LoadOrStore(k, rep); !loaded {
			f.memoLen.Add(1)
		}
	}
	return rep, nil
}

// converseBody is the Converse response to req: ans as text, or as a
// toolUse block when the request offers a tool and ans has tool input.
func converseBody(req Request, ans Answer, latency time.Duration) ([]byte, error) {
	var content []map[string]any
	stop := "end_turn"
	if ans.ToolInput != nil && req.ToolConfig != nil && len(req.ToolConfig.Tools) > 0 {
		content = append(content, map[string]any{"toolUse": map[string]any{
			"toolUseId": "tooluse_fake",
			"name":      req.ToolConfig.Tools[0].ToolSpec.Name,
			"input":     ans.ToolInput,
		}})
		stop = "tool_use"
	} else {
		content = append(content, map[string]any{"text": ans.Text})
	}
	in, out := req.inputTokens(), ans.outputTokens()
	body, err := json.Marshal(map[string]any{
		"output":     map[string]any{"message": map[string]any{"role": "assistant", "content": content}},
		"stopReason": stop,
		"usage":      map[string]int{"inputTokens": in, "outputTokens": out, "totalTokens": in + out},
		"metrics":    map[string]int64{"latencyMs": latency.Milliseconds()},
	})
	if err != nil {
		return nil, fmt.Errorf("encode converse response: %w", err)
	}
	return append(body, '\n'), nil
}
