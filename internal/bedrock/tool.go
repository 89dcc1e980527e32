package bedrock

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/document"
	"github.com/aws/aws-sdk-go-v2/service/bedrockruntime/types"

	"github.com/llm-testing/llm-testing/internal/summary"
)

// toolMaxTokens is the output budget of a CallTool answer: room for a
// judge's list of claims.
const toolMaxTokens = 4096

// CallTool asks the model for one forced call of tool, whose input must
// follow schema, at temperature 0 (the answer should depend on the input
// only), and returns that input as JSON with the call's usage. It is what
// the evaluation's LLM judge asks through; the caller validates the input.
func (s *Summarizer) CallTool(ctx context.Context, system, user, tool string, schema map[string]any) (json.RawMessage, summary.Usage, error) {
	resp, err := s.client.Converse(ctx, &bedrockruntime.ConverseInput{
		ModelId:  aws.String(s.modelID),
		System:   []types.SystemContentBlock{&types.SystemContentBlockMemberText{Value: system}},
		Messages: []types.Message{{Role: types.ConversationRoleUser, Content: []types.ContentBlock{&types.ContentBlockMemberText{Value: user}}}},
		InferenceConfig: &types.InferenceConfiguration{
			MaxTokens: aws.Int32(toolMaxTokens), Temperature: aws.Float32(0),
		},
		ToolConfig: &types.ToolConfiguration{
			Tools: []types.Tool{&types.ToolMemberToolSpec{Value: types.ToolSpecification{
				Name: aws.String(tool), InputSchema: &types.ToolInputSchemaMemberJson{Value: document.NewLazyDocument(schema)},
			}}},
			ToolChoice: &types.ToolChoiceMemberTool{Value: types.SpecificToolChoice{Name: aws.String(tool)}},
		},
	})
	if err != nil {
		return nil, summary.Usage{}, s.classify(ctx, "converse", err)
	}
	in, out := tokens(resp.Usage, true), tokens(resp.Usage, false)
	usage := summary.Usage{InputTokens: in, OutputTokens: out, EstimatedCostUSD: s.prices.Cost(s.modelID, in, out)}
	raw, err := namedToolInput(resp, tool)
	if err != nil {
		return nil, usage, err
	}
	return raw, usage, nil
}

// namedToolInput returns the JSON input of the tool use called name.
func namedToolInput(resp *bedrockruntime.ConverseOutput, name string) (json.RawMessage, error) {
	msg, ok := resp.Output.(*types.ConverseOutputMemberMessage)
	if ok {
		for _, block := range msg.Value.Content {
			tu, ok := block.(*types.ContentBlockMemberToolUse)
			if !ok || aws.ToString(tu.Value.Name) != name || tu.Value.Input == nil {
				continue
			}
			raw, err := tu.Value.Input.MarshalSmithyDocument()
			if err != nil {
				return nil, fmt.Errorf("read tool input: %w", err)
			}
			return raw, nil
		}
	}
	return nil, fmt.Errorf("%w %s", errNoToolUse, name)
}
