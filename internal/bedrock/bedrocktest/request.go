package bedrocktest

import (
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
)

// Request is the JSON body of a Converse or ConverseStream call, as far as
// the fake reads it.
type Request struct {
	Messages []struct {
		Role    string `json:"role"`
		Content []struct {
			Text string `json:"text,omitempty"`
		} `json:"content"`
	} `json:"messages"`
	System []struct {
		Text string `json:"text,omitempty"`
	} `json:"system"`
	InferenceConfig *struct {
		MaxTokens   int      `json:"maxTokens,omitempty"`
		Temperature *float64 `json:"temperature,omitempty"`
	} `json:"inferenceConfig,omitempty"`
	ToolConfig *struct {
		Tools []struct {
			ToolSpec struct {
				Name        string `json:"name"`
				Description string `json:"description"`
				InputSchema struct {
					JSON json.RawMessage `json:"json"`
				} `json:"inputSchema"`
			} `json:"toolSpec"`
		} `json:"tools"`
		ToolChoice json.RawMessage `json:"toolChoice,omitempty"`
	} `json:"toolConfig,omitempty"`
}

// SystemText is the system prompt, its blocks joined.
func (r Request) SystemText() string {
	var parts []string
	for _, s := range r.System {
		parts = append(parts, s.Text)
	}
	return strings.Join(parts, "\n")
}

// UserText is the text of the user messages, joined by newlines; the text
// blocks of one message are concatenated, as the model reads them.
func (r Request) UserText() string {
	var parts []string
	for _, m := range r.Messages {
		if m.Role != "user" {
			continue
		}
		var b strings.Builder
		for _, c := range m.Content {
			b.WriteString(c.Text)
		}
		parts = append(parts, b.String())
	}
	return strings.Join(parts, "\n")
}

var transcriptRE = regexp.MustCompile(`(?s)<transcript>(.*)</transcript>`)

// Transcript is the text between <transcript> and </transcript> in the user
// message, or the whole user text when there are no such delimiters.
func (r Request) Transcript() string {
	text := r.UserText()
	if m := transcriptRE.FindStringSubmatch(text); m != nil {
		return strings.TrimSpace(m[1])
	}
	return text
}

var wordLimitRE = regexp.MustCompile(`(?i)at most (\d+) words`)

// WordLimit is the "at most N words" the system prompt states, or 0.
func (r Request) WordLimit() int {
	m := wordLimitRE.FindStringSubmatch(r.SystemText())
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// ToolProperties lists the properties of the first tool's input schema.
func (r Request) ToolProperties() []string {
	if r.ToolConfig == nil || len(r.ToolConfig.Tools) == 0 {
		return nil
	}
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if json.Unmarshal(r.ToolConfig.Tools[0].ToolSpec.InputSchema.JSON, &schema) != nil {
		return nil
	}
	var out []string
	for k := range schema.Properties {
		out = append(out, k)
	}
	return out
}

// validate rejects what Bedrock rejects with ValidationException.
func (r Request) validate(modelID string) error {
	if modelID == "" {
		return errors.New("model id is required")
	}
	if len(r.Messages) == 0 || r.Messages[0].Role != "user" {
		return errors.New("a conversation must start with a user message")
	}
	for _, m := range r.Messages {
		if len(m.Content) == 0 {
			return errors.New("the content field in the Message object is empty")
		}
		for _, c := range m.Content {
			// The fake reads text blocks only, and the service sends
			// nothing else; Bedrock rejects a blank one.
			if strings.TrimSpace(c.Text) == "" {
				return errors.New("the text field in the ContentBlock object is blank")
			}
		}
	}
	return nil
}

// inputTokens estimates the prompt's tokens: about four bytes each.
func (r Request) inputTokens() int {
	return (len(r.SystemText())+len(r.UserText()))/4 + 1
}

// Answer is what the fake model says.
type Answer struct {
	// Text is the answer when the request has no tool, and what a stream
	// sends.
	Text string
	// ToolInput, when set and the request offers a tool, is sent as a
	// toolUse block with this input.
	ToolInput map[string]any
}

func (a Answer) outputTokens() int {
	n := len(a.Text) / 4
	if a.ToolInput != nil {
		b, _ := json.Marshal(a.ToolInput)
		n += len(b) / 4
	}
	return n + 1
}

// DefaultAnswer is an honest, tiny extractive summary: the first sentence
// of each turn of the transcript, speaker labels dropped, kept to about the
// word limit the system prompt states. With a tool on offer it fills the
// tool's summary and every section property the schema asks for; a judge's
// record_grade call gets JudgeAnswer.
func DefaultAnswer(r Request) Answer {
	if r.ToolConfig != nil && len(r.ToolConfig.Tools) > 0 && r.ToolConfig.Tools[0].ToolSpec.Name == JudgeTool {
		return JudgeAnswer(r)
	}
	limit := r.WordLimit()
	if limit <= 0 {
		limit = 50
	}
	var words []string
	var points []string
	for _, line := range strings.Split(r.Transcript(), "\n") {
		if i := strings.Index(line, ":"); i > 0 && i < 32 {
			line = line[i+1:]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		line = firstSentence(line)
		if len(points) < 3 {
			// At most limit words, as a model's key point would be, even
			// for a transcript with no sentence ends.
			points = append(points, strings.Join(firstWords(line, limit), " "))
		}
		for _, w := range strings.Fields(line) {
			if len(words) < limit {
				words = append(words, w)
			}
		}
	}
	text := strings.Join(words, " ")
	if text == "" {
		text = "The call had no content."
	}
	props := r.ToolProperties()
	if props == nil {
		return Answer{Text: text}
	}
	input := map[string]any{}
	for _, p := range props {
		switch p {
		case "summary":
			input[p] = text
		case "keyPoints":
			input[p] = points
		case "actionItems":
			input[p] = []map[string]string{{"owner": "agent", "description": "Follow up with the customer."}}
		case "sentiment":
			input[p] = "neutral"
		case "resolution":
			input[p] = "unknown"
		}
	}
	return Answer{Text: text, ToolInput: input}
}

// firstWords is the first n words of line.
func firstWords(line string, n int) []string {
	w := strings.Fields(line)
	return w[:min(n, len(w))]
}

// firstSentence cuts line after its first sentence end: a '.', '!' or '?'
// followed by a space or the end ("$49.99" does not end one).
func firstSentence(line string) string {
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '.', '!', '?':
			if i+1 == len(line) || line[i+1] == ' ' {
				return line[:i+1]
			}
		}
	}
	return line
}
