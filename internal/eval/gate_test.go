package eval

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestParseGate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "gate.json")
	if err := os.WriteFile(file, []byte(`{"min":{"rouge1":0.3,"compliance":1},"max":{"latencyP95Ms":5000}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		spec    string
		want    []string
		wantErr string
	}{
		{spec: "rouge1>=0.30, factRecall>=0.8,compliance>=1", want: []string{"rouge1>=0.3", "factRecall>=0.8", "compliance>=1"}},
		{spec: "latencyP95Ms<2000,delta.rouge1>=-0.02", want: []string{"latencyP95Ms<2000", "delta.rouge1>=-0.02"}},
		{spec: "@" + file, want: []string{"compliance>=1", "rouge1>=0.3", "latencyP95Ms<=5000"}},
		{spec: "rouge3>=0.1", wantErr: "unknown gate metric"},
		{spec: "delta.latencyP95Ms<=1", wantErr: "unknown gate metric"},
		{spec: "rouge1=0.1", wantErr: "want metric"},
		{spec: "rouge1>=high", wantErr: "not a number"},
		{spec: ",", wantErr: "no thresholds"},
		{spec: "@" + filepath.Join(dir, "missing.json"), wantErr: "read gate file"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseGate(tt.spec)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseGate error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseGate: %v", err)
			}
			var names []string
			for _, th := range got {
				names = append(names, th.String())
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("thresholds = %q, want %q", names, tt.want)
			}
		})
	}
}

func TestApplyGate(t *testing.T) {
	faith := 0.92
	agg := Aggregate{RougeItems: 3, Rouge1: 0.35, FactRecall: 0.75, Compliance: 1, LatencyP95Ms: 120, JudgeItems: 3, Faithfulness: &faith}
	cmp := &Comparison{Metrics: []MetricDelta{{Metric: "rouge1", Delta: -0.05}}}
	tests := []struct {
		spec   string
		cmp    *Comparison
		pass   bool
		failed []string
	}{
		{"rouge1>=0.30,compliance>=1,latencyP95Ms<=200", nil, true, nil},
		{"rouge1>=0.30,factRecall>=0.8", nil, false, []string{"factRecall>=0.8"}},
		{"rouge1>0.35", nil, false, []string{"rouge1>0.35"}},
		{"delta.rouge1>=-0.02", cmp, false, []string{"delta.rouge1>=-0.02"}},
		{"delta.rouge1>=-0.1", cmp, true, nil},
		{"delta.rouge1>=-0.1", nil, false, []string{"delta.rouge1>=-0.1"}},
		{"estimatedCostUsd<=1", nil, false, []string{"estimatedCostUsd<=1"}},
		{"faithfulness>=0.9,judgeFailed<=0", nil, true, nil},
		{"faithfulness>=0.95", nil, false, []string{"faithfulness>=0.95"}},
		{"sectionsAgree>=0.5", nil, false, []string{"sectionsAgree>=0.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			th, err := ParseGate(tt.spec)
			if err != nil {
				t.Fatal(err)
			}
			res := ApplyGate(th, agg, tt.cmp)
			var failed []string
			for _, c := range res.Failed() {
				failed = append(failed, c.Threshold)
			}
			if res.Passed != tt.pass || !slices.Equal(failed, tt.failed) {
				t.Errorf("gate passed=%v failed=%q, want %v %q", res.Passed, failed, tt.pass, tt.failed)
			}
		})
	}
}
