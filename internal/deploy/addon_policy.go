package deploy

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// BedrockPolicy reads the task role's policy document from the Copilot
// addon (copilot/backend/addons/bedrock-policy.yml), resolving its !Sub
// pseudo parameters, so that both paths grant the tasks the same thing and
// the addon stays its one definition.
func BedrockPolicy(dir, partition, region, account string) (string, error) {
	path := filepath.Join(dir, "copilot", Service, "addons", bedrockAddon)
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("read the Bedrock policy: %w", err)
	}
	var tmpl struct {
		Resources map[string]struct {
			Type       string `yaml:"Type"`
			Properties struct {
				PolicyDocument yaml.Node `yaml:"PolicyDocument"`
			} `yaml:"Properties"`
		} `yaml:"Resources"`
	}
	if err := yaml.Unmarshal(b, &tmpl); err != nil {
		return "", fmt.Errorf("decode %s: %w", path, err)
	}
	subs := strings.NewReplacer("${AWS::Partition}", partition, "${AWS::Region}", region, "${AWS::AccountId}", account)
	for name, r := range tmpl.Resources {
		if r.Type != "AWS::IAM::ManagedPolicy" {
			continue
		}
		doc, err := plainYAML(&r.Properties.PolicyDocument, subs)
		if err != nil {
			return "", fmt.Errorf("read %s in %s: %w", name, path, err)
		}
		out, err := json.Marshal(doc)
		if err != nil {
			return "", fmt.Errorf("encode %s: %w", name, err)
		}
		return string(out), nil
	}
	return "", fmt.Errorf("read the Bedrock policy: %s has no AWS::IAM::ManagedPolicy", path)
}

// plainYAML turns a CloudFormation YAML node into plain values, resolving
// !Sub with subs; any other intrinsic function is an error.
func plainYAML(n *yaml.Node, subs *strings.Replacer) (any, error) {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v, err := plainYAML(n.Content[i+1], subs)
			if err != nil {
				return nil, err
			}
			m[n.Content[i].Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		var s []any
		for _, c := range n.Content {
			v, err := plainYAML(c, subs)
			if err != nil {
				return nil, err
			}
			s = append(s, v)
		}
		return s, nil
	case yaml.ScalarNode:
		v := n.Value
		if n.Tag == "!Sub" {
			v = subs.Replace(v)
		} else if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
			return nil, fmt.Errorf("line %d: %s is not supported here", n.Line, n.Tag)
		}
		if strings.Contains(v, "${") {
			return nil, fmt.Errorf("line %d: %q has a parameter the Express path cannot resolve", n.Line, v)
		}
		return v, nil
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node", n.Line)
}
