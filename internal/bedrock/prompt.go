package bedrock

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/llm-testing/llm-testing/internal/prompt"
	"github.com/llm-testing/llm-testing/internal/summary"
)

// toolName is the tool the model must call to hand back its summary.
const toolName = "record_summary"

// promptValues are the value placeholders of the summary prompt for req.
// streaming selects a plain-text answer instead of the tool call.
func promptValues(req summary.Request, streaming bool) map[string]string {
	format := "one paragraph of plain prose, with no heading, list or markdown"
	if req.Format == summary.FormatBullets {
		format = `a list of bullet points, each on its own line starting with "- ", with no heading or other markdown`
	}
	answer := fmt.Sprintf("Answer by calling the %s tool exactly once; put the summary text in its summary field.", toolName)
	if streaming {
		answer = "Answer with the summary text only: no preamble, no title, no closing remark."
	}
	sections := "none"
	if len(req.Sections) > 0 {
		names := make([]string, len(req.Sections))
		for i, s := range req.Sections {
			names[i] = string(s)
		}
		sections = strings.Join(names, ", ")
	}
	return map[string]string{
		prompt.MaxLength: strconv.Itoa(req.MaxLength),
		prompt.Format:    format,
		prompt.Sections:  sections,
		prompt.Answer:    answer,
	}
}

// renderPrompt is the system prompt and the user message for req: the
// template filled, the transcript delimited and its tags neutralised. The
// user message comes in blocks (prompt.RenderBlocks): a long turn's text
// is a block of its own, sent as the request holds it, not copied.
func renderPrompt(t *prompt.Template, req summary.Request, streaming bool) (system string, user []string) {
	pieces := []string{req.Transcript}
	if req.Turns != nil {
		// Numbered, with roles, so the model can cite turns by number.
		pieces = summary.NumberedPieces(req.Turns, req.FirstTurn, prompt.BlockBytes)
	}
	parts, blocks := t.RenderBlocks(promptValues(req, streaming), map[string][]string{prompt.Transcript: pieces})
	return parts[0], blocks
}

// maxOutputTokens leaves room for the words (about 1.5 tokens each), the
// sections and the JSON around them.
func maxOutputTokens(req summary.Request) int32 {
	n := 2*req.MaxLength + 256
	if len(req.Sections) > 0 {
		n += 1024
	}
	return int32(n)
}

// conversation is what Converse and ConverseStream are both sent: the
// system prompt, the delimited transcript (in one user message of one or
// more text blocks) and the output budget.
func conversation(t *prompt.Template, req summary.Request, streaming bool) ([]types.SystemContentBlock, []types.Message, *types.InferenceConfiguration) {
	system, user := renderPrompt(t, req, streaming)
	content := make([]types.ContentBlock, len(user))
	for i, text := range user {
		content[i] = &types.ContentBlockMemberText{Value: text}
	}
	return []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: system}},
		[]types.Message{{Role: types.ConversationRoleUser, Content: content}},
		&types.InferenceConfiguration{
			MaxTokens:   aws.Int32(maxOutputTokens(req)),
			Temperature: aws.Float32(0.2),
		}
}

func (s *Summarizer) converseInput(req summary.Request) *bedrockruntime.ConverseInput {
	system, messages, inference := conversation(s.prompt, req, false)
	return &bedrockruntime.ConverseInput{
		ModelId: aws.String(s.modelID), System: system, Messages: messages, InferenceConfig: inference,
		ToolConfig: &types.ToolConfiguration{
			Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name:        aws.String(toolName),
				Description: aws.String("Record the summary of the call and the requested structured fields."),
				InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(s.schemas[sectionMask(req)])},
			}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(toolName)}},
		},
	}
}

func (s *Summarizer) converseStreamInput(req summary.Request) *bedrockruntime.ConverseStreamInput {
	system, messages, inference := conversation(s.prompt, req, true)
	return &bedrockruntime.ConverseStreamInput{
		ModelId: aws.String(s.modelID), System: system, Messages: messages, InferenceConfig: inference,
	}
}

// toolSchema is the JSON schema of the tool's input: the summary and the
// sections the request asks for, all required.
func toolSchema(req summary.Request) map[string]any {
	props := map[string]any{
		"summary": map[string]any{
			"type":        "string",
			"description": "The summary, within the word limit and in the format the rules give.",
		},
	}
	required := []string{"summary"}
	if req.Wants(summary.SectionKeyPoints) {
		props["keyPoints"] = map[string]any{
			"type": "array", "items": map[string]any{"type": "string"}, "maxItems": 10,
			"description": "The main facts of the call, one short sentence each.",
		}
		props["keyPointTurns"] = map[string]any{
			"type": "array", "items": turnIDs,
			"description": "Parallel to keyPoints: for each key point, the numbers of the turns it rests on.",
		}
		required = append(required, "keyPoints")
	}
	if req.Wants(summary.SectionActionItems) {
		props["actionItems"] = map[string]any{
			"type": "array",
			"items": map[string]any{
				"type": "object",
				"properties": map[string]any{
					"owner":       map[string]any{"type": "string", "enum": summary.Owners()},
					"description": map[string]any{"type": "string"},
					"turns":       turnIDs,
				},
				"required": []string{"owner", "description"},
			},
			"description": "Commitments made on the call and who made them.",
		}
		required = append(required, "actionItems")
	}
	if req.Wants(summary.SectionSentiment) {
		props["sentiment"] = map[string]any{
			"type": "string", "enum": summary.Sentiments(),
			"description": "The customer's overall mood on the call.",
		}
		required = append(required, "sentiment")
	}
	if req.Wants(summary.SectionResolution) {
		props["resolution"] = map[string]any{
			"type": "string", "enum": summary.Resolutions(),
			"description": "How the call ended for the customer's issue.",
		}
		required = append(required, "resolution")
	}
	return map[string]any{"type": "object", "properties": props, "required": required}
}

// turnIDs is the schema of the turn numbers a claim cites.
var turnIDs = map[string]any{"type": "array", "items": map[string]any{"type": "integer", "minimum": 0},
	"description": "The numbers in brackets of the transcript turns this rests on."}

// allSections are the sections in the order of sectionMask's bits.
var allSections = []summary.Section{summary.SectionKeyPoints, summary.SectionActionItems, summary.SectionSentiment, summary.SectionResolution}

// sectionMask numbers the set of sections req asks for, 0..15.
func sectionMask(req summary.Request) int {
	m := 0
	for i, sec := range allSections {
		if req.Wants(sec) {
			m |= 1 << i
		}
	}
	return m
}

// toolSchemas builds the tool's schema for every set of sections once: they
// are read-only afterwards, and a call then costs no schema of its own.
func toolSchemas() (out [16]map[string]any) {
	for m := range out {
		var req summary.Request
		for i, sec := range allSections {
			if m&(1<<i) != 0 {
				req.Sections = append(req.Sections, sec)
			}
		}
		out[m] = toolSchema(req)
	}
	return out
}
