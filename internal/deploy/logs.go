package deploy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
)

type logsAPI interface {
	FilterLogEvents(context.Context, *cloudwatchlogs.FilterLogEventsInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.FilterLogEventsOutput, error)
	CreateLogGroup(context.Context, *cloudwatchlogs.CreateLogGroupInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.CreateLogGroupOutput, error)
	PutRetentionPolicy(context.Context, *cloudwatchlogs.PutRetentionPolicyInput, ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.PutRetentionPolicyOutput, error)
}

// Logs reads the service's CloudWatch logs.
type Logs struct {
	api logsAPI
}

// NewLogs makes a Logs from cfg.
func NewLogs(cfg aws.Config) *Logs { return &Logs{api: cloudwatchlogs.NewFromConfig(cfg)} }

// EnsureGroup creates the log group unless it exists and sets its
// retention, the manifest's logging.retention.
func (l *Logs) EnsureGroup(ctx context.Context, group string, days int32) error {
	_, err := l.api.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	var exists *logstypes.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		return fmt.Errorf("create log group %s: %w", group, explain(err))
	}
	if days == 0 {
		return nil
	}
	if _, err := l.api.PutRetentionPolicy(ctx, &cloudwatchlogs.PutRetentionPolicyInput{LogGroupName: aws.String(group), RetentionInDays: aws.Int32(days)}); err != nil {
		return fmt.Errorf("set retention of log group %s: %w", group, explain(err))
	}
	return nil
}

// LogsOptions says which log events the logs target shows.
type LogsOptions struct {
	// Group is the log group (LogGroup(env) unless LOG_GROUP is set).
	Group string
	// Since is the earliest event time to show.
	Since time.Time
	// Filter is a CloudWatch Logs filter pattern; empty shows everything.
	Filter string
	// Follow keeps polling for new events until ctx is done.
	Follow bool
	// Interval is the time between polls when following (default 2s).
	Interval time.Duration
}

// followLag is how far back each poll looks again, so that events ingested
// late (with an earlier timestamp) are still shown; their ids dedupe them.
const followLag = 5 * time.Second

// Since is where the logs target starts: a time, or a duration back from
// the time the target runs.
type Since struct {
	Ago time.Duration
	At  time.Time
}

// defaultSince is how far back logs look unless SINCE says otherwise.
const defaultSince = 10 * time.Minute

// From returns the earliest event time to show when the target runs at now.
func (s Since) From(now time.Time) time.Time {
	if !s.At.IsZero() {
		return s.At
	}
	return now.Add(-s.Ago)
}

// ParseSince reads SINCE: a duration back from now ("10m", "2h") or an RFC
// 3339 time; empty is 10m.
func ParseSince(s string) (Since, error) {
	if s == "" {
		return Since{Ago: defaultSince}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			d = -d
		}
		return Since{Ago: d}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return Since{}, fmt.Errorf("%s=%q: want a duration like 10m or an RFC 3339 time like 2026-11-26T02:00:00Z", envSince, s)
	}
	return Since{At: t}, nil
}

// Show prints the events of a log group from opts.Since, one a line, and
// with Follow keeps printing new ones, each once, until ctx is done, which
// ends it without error (Ctrl-C).
func (l *Logs) Show(ctx context.Context, out io.Writer, opts LogsOptions) error {
	if opts.Interval <= 0 {
		opts.Interval = 2 * time.Second
	}
	start := opts.Since.UnixMilli()
	seen := map[string]int64{} // event id → timestamp, for the last window only
	for {
		newest, err := l.logsPass(ctx, out, opts, start, seen)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if !opts.Follow {
			return nil
		}
		if newest > 0 {
			start = max(start, newest-followLag.Milliseconds())
		}
		for id, ts := range seen {
			if ts < start {
				delete(seen, id)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(opts.Interval):
		}
	}
}

// logsPass reads every page from start, prints events not seen yet, and
// returns the newest timestamp it saw.
func (l *Logs) logsPass(ctx context.Context, out io.Writer, opts LogsOptions, start int64, seen map[string]int64) (int64, error) {
	in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: aws.String(opts.Group), StartTime: aws.Int64(start)}
	if opts.Filter != "" {
		in.FilterPattern = aws.String(opts.Filter)
	}
	var newest int64
	p := cloudwatchlogs.NewFilterLogEventsPaginator(l.api, in)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return newest, fmt.Errorf("read log group %s: %w", opts.Group, explain(err))
		}
		for _, e := range page.Events {
			id, ts := aws.ToString(e.EventId), aws.ToInt64(e.Timestamp)
			newest = max(newest, ts)
			// Before start the window has been pruned; CloudWatch does
			// not send such events, and printing one could repeat it.
			if _, dup := seen[id]; dup || ts < start {
				continue
			}
			seen[id] = ts
			if _, err := fmt.Fprintln(out, FormatEvent(time.UnixMilli(ts), aws.ToString(e.LogStreamName), aws.ToString(e.Message))); err != nil {
				return newest, fmt.Errorf("write log line: %w", err)
			}
		}
	}
	return newest, nil
}

// FormatEvent renders one log event as "time stream message". The stream is
// shortened to its last part (the task id for Copilot's streams), and a JSON
// message (slog's JSON handler) is shown as "LEVEL msg key=value ...".
func FormatEvent(t time.Time, stream, message string) string {
	if i := strings.LastIndexByte(stream, '/'); i >= 0 {
		stream = stream[i+1:]
	}
	message = strings.TrimRight(message, "\n")
	if pretty, ok := prettyJSON(message); ok {
		message = pretty
	}
	return t.UTC().Format(time.RFC3339) + " " + stream + " " + message
}

// prettyJSON renders a JSON object log line with its level and message
// first and its other fields as key=value in their original order.
func prettyJSON(s string) (string, bool) {
	if !strings.HasPrefix(strings.TrimSpace(s), "{") {
		return "", false
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", false
	}
	var level, msg string
	var fields []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		key, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return "", false
		}
		switch key {
		case "time":
		case "level":
			level = rawText(raw)
		case "msg":
			msg = rawText(raw)
		default:
			text := rawText(raw)
			if raw[0] == '"' {
				text = quoteIfNeeded(text)
			}
			fields = append(fields, key+"="+text)
		}
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return "", false
	}
	parts := []string{}
	if level != "" {
		parts = append(parts, level)
	}
	parts = append(parts, msg)
	return strings.Join(append(parts, fields...), " "), true
}

// rawText returns a JSON string's text, or any other value compacted.
func rawText(raw json.RawMessage) string {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s
	}
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return string(raw)
	}
	return b.String()
}

func quoteIfNeeded(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"=") {
		return strconv.Quote(s)
	}
	return s
}
