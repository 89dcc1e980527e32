package manifests

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"gopkg.in/yaml.v3"
)

// cfnTemplate is the part of a CloudFormation template the addon checks read.
type cfnTemplate struct {
	Parameters map[string]struct {
		Default any `yaml:"Default"`
	} `yaml:"Parameters"`
	Resources map[string]struct {
		Type       string    `yaml:"Type"`
		Properties yaml.Node `yaml:"Properties"`
	} `yaml:"Resources"`
	Outputs map[string]struct {
		Value yaml.Node `yaml:"Value"`
	} `yaml:"Outputs"`
}

func loadTemplate(tb testing.TB, name string) cfnTemplate {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot(tb), "copilot", "backend", "addons", name))
	if err != nil {
		tb.Fatalf("read addon: %v", err)
	}
	var tpl cfnTemplate
	if err := yaml.Unmarshal(b, &tpl); err != nil {
		tb.Fatalf("decode %s: %v", name, err)
	}
	for _, p := range []string{"App", "Env", "Name"} {
		if _, ok := tpl.Parameters[p]; !ok {
			tb.Errorf("%s lacks the parameter %s Copilot passes", name, p)
		}
	}
	return tpl
}

// TestBedrockPolicyGrantsOnlyInvoke checks the task role's Bedrock policy:
// the two invoke actions the Converse and ConverseStream calls need, on
// foundation models and this account's inference profiles, and no more.
func TestBedrockPolicyGrantsOnlyInvoke(t *testing.T) {
	tpl := loadTemplate(t, "bedrock-policy.yml")
	var policies []string
	for name, r := range tpl.Resources {
		if r.Type != "AWS::IAM::ManagedPolicy" {
			t.Errorf("resource %s is a %s; the addon should hold only the policy", name, r.Type)
			continue
		}
		policies = append(policies, name)
		var props struct {
			PolicyDocument struct {
				Statement []struct {
					Effect   string   `yaml:"Effect"`
					Action   []string `yaml:"Action"`
					Resource []string `yaml:"Resource"`
				} `yaml:"Statement"`
			} `yaml:"PolicyDocument"`
		}
		if err := r.Properties.Decode(&props); err != nil {
			t.Fatalf("decode %s: %v", name, err)
		}
		var actions, resources []string
		for _, st := range props.PolicyDocument.Statement {
			if st.Effect != "Allow" {
				continue
			}
			actions = append(actions, st.Action...)
			resources = append(resources, st.Resource...)
		}
		slices.Sort(actions)
		slices.Sort(resources)
		wantActions := []string{"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}
		wantResources := []string{
			"arn:${AWS::Partition}:bedrock:${AWS::Region}:${AWS::AccountId}:inference-profile/*",
			"arn:${AWS::Partition}:bedrock:*::foundation-model/*",
		}
		if !slices.Equal(actions, wantActions) {
			t.Errorf("%s allows %q, want exactly %q", name, actions, wantActions)
		}
		if !slices.Equal(resources, wantResources) {
			t.Errorf("%s allows on %q, want exactly %q", name, resources, wantResources)
		}
	}
	if len(policies) != 1 {
		t.Fatalf("managed policies = %q, want one", policies)
	}
	var attached bool
	for _, out := range tpl.Outputs {
		if out.Value.Tag == "!Ref" && out.Value.Value == policies[0] {
			attached = true
		}
	}
	if !attached {
		t.Errorf("no output refers to %s, so Copilot would not attach it to the task role", policies[0])
	}
}

// TestAlarms checks the alarms the design asks for are there, that their
// metrics have the target group's dimensions, and that the template has no
// output (Copilot injects plain outputs into the container's environment).
func TestAlarms(t *testing.T) {
	tpl := loadTemplate(t, "alarms.yml")
	metrics := map[string]bool{}
	for name, r := range tpl.Resources {
		if r.Type != "AWS::CloudWatch::Alarm" {
			continue
		}
		var props struct {
			MetricName        string `yaml:"MetricName"`
			ExtendedStatistic string `yaml:"ExtendedStatistic"`
			Metrics           []struct {
				MetricStat struct {
					Metric struct {
						MetricName string `yaml:"MetricName"`
					} `yaml:"Metric"`
				} `yaml:"MetricStat"`
			} `yaml:"Metrics"`
		}
		if err := r.Properties.Decode(&props); err != nil {
			t.Fatalf("decode %s: %v", name, err)
		}
		metrics[props.MetricName+props.ExtendedStatistic] = true
		for _, m := range props.Metrics {
			metrics[m.MetricStat.Metric.MetricName] = true
		}
	}
	for _, want := range []string{"HTTPCode_Target_5XX_Count", "TargetResponseTimep99", "UnHealthyHostCount"} {
		if !metrics[want] {
			t.Errorf("no alarm on %s", want)
		}
	}
	if got, want := tpl.Parameters["ResponseTimeP99Seconds"].Default, 20; got != want {
		t.Errorf("ResponseTimeP99Seconds default = %v, want %v", got, want)
	}
	if got := tpl.Parameters["AlarmTopicArn"].Default; got != "" {
		t.Errorf("AlarmTopicArn default = %v, want empty (optional)", got)
	}
	if len(tpl.Outputs) != 0 {
		t.Errorf("alarms.yml has outputs; Copilot would inject them into the container")
	}
}
