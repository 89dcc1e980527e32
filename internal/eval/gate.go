package eval

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
)

// Threshold is one gate condition, such as rouge1>=0.30 on the target's
// aggregate, or delta.rouge1>=-0.02 on the comparison (target minus compare).
type Threshold struct {
	Metric string  `json:"metric"`
	Op     string  `json:"op"`
	Value  float64 `json:"value"`
}

func (t Threshold) String() string {
	return t.Metric + t.Op + strconv.FormatFloat(t.Value, 'g', -1, 64)
}

// DeltaPrefix marks a threshold on a comparison's delta.
const DeltaPrefix = "delta."

var ops = []string{">=", "<=", ">", "<"}

// ParseGate reads thresholds from a spec: comma-separated conditions
// ("rouge1>=0.30,factRecall>=0.8,compliance>=1"), or "@path" naming a JSON
// file {"min": {"rouge1": 0.3}, "max": {"latencyP95Ms": 5000}}.
func ParseGate(spec string) ([]Threshold, error) {
	if path, ok := strings.CutPrefix(spec, "@"); ok {
		return readGateFile(path)
	}
	var out []Threshold
	for part := range strings.SplitSeq(spec, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		t, err := parseThreshold(part)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	if len(out) == 0 {
		return nil, errors.New("parse gate: no thresholds")
	}
	return out, nil
}

func parseThreshold(s string) (Threshold, error) {
	for _, op := range ops {
		name, val, ok := strings.Cut(s, op)
		if !ok {
			continue
		}
		name = strings.TrimSpace(name)
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		if err != nil {
			return Threshold{}, fmt.Errorf("parse threshold %q: value is not a number", s)
		}
		t := Threshold{Metric: name, Op: op, Value: v}
		return t, checkMetricName(t.Metric)
	}
	return Threshold{}, fmt.Errorf("parse threshold %q: want metric, one of >= <= > <, and a number", s)
}

func checkMetricName(name string) error {
	if d, ok := strings.CutPrefix(name, DeltaPrefix); ok {
		if slices.ContainsFunc(metrics, func(m metric) bool { return m.name == d }) {
			return nil
		}
		var names []string
		for _, m := range metrics {
			names = append(names, DeltaPrefix+m.name)
		}
		return fmt.Errorf("unknown gate metric %q, want one of %s", name, strings.Join(names, ", "))
	}
	if slices.Contains(AggregateNames(), name) {
		return nil
	}
	return fmt.Errorf("unknown gate metric %q, want one of %s (or %s<metric> with -compare)",
		name, strings.Join(AggregateNames(), ", "), DeltaPrefix)
}

type gateFile struct {
	Min map[string]float64 `json:"min"`
	Max map[string]float64 `json:"max"`
}

func readGateFile(path string) ([]Threshold, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read gate file: %w", err)
	}
	var f gateFile
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("decode gate file %s: %w", path, err)
	}
	var out []Threshold
	for _, group := range []struct {
		op string
		m  map[string]float64
	}{{">=", f.Min}, {"<=", f.Max}} {
		names := slices.Sorted(maps.Keys(group.m))
		for _, name := range names {
			if err := checkMetricName(name); err != nil {
				return nil, fmt.Errorf("gate file %s: %w", path, err)
			}
			out = append(out, Threshold{Metric: name, Op: group.op, Value: group.m[name]})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("gate file %s: no thresholds", path)
	}
	return out, nil
}

// Check is one threshold's outcome.
type Check struct {
	// Target is the run the check was made on, when a gate checks several.
	Target    string  `json:"target,omitempty"`
	Threshold string  `json:"threshold"`
	Value     float64 `json:"value"`
	Passed    bool    `json:"passed"`
	// Reason says why a check could not be made, for example a delta
	// threshold without a comparison.
	Reason string `json:"reason,omitempty"`
}

// GateResult is every threshold's outcome; it passes when all do.
type GateResult struct {
	Passed bool    `json:"passed"`
	Checks []Check `json:"checks"`
}

// Failed returns the checks that did not pass.
func (g GateResult) Failed() []Check {
	var out []Check
	for _, c := range g.Checks {
		if !c.Passed {
			out = append(out, c)
		}
	}
	return out
}

// ApplyGate checks thresholds against the target's aggregate and, for delta
// thresholds, the comparison (nil when there is none). A threshold that
// cannot be checked fails: a gate that silently passes is worse than none.
func ApplyGate(thresholds []Threshold, agg Aggregate, cmp *Comparison) GateResult {
	res := GateResult{Passed: true}
	for _, t := range thresholds {
		c := Check{Threshold: t.String()}
		v, ok, reason := lookup(t.Metric, agg, cmp)
		if ok {
			c.Value = v
			c.Passed = compareOp(v, t.Op, t.Value)
		} else {
			c.Reason = reason
		}
		res.Passed = res.Passed && c.Passed
		res.Checks = append(res.Checks, c)
	}
	return res
}

func lookup(name string, agg Aggregate, cmp *Comparison) (float64, bool, string) {
	if d, ok := strings.CutPrefix(name, DeltaPrefix); ok {
		if cmp == nil {
			return 0, false, "needs -compare"
		}
		for _, m := range cmp.Metrics {
			if m.Metric == d && !m.Reported() {
				return 0, false, "not reported by " + m.NotReportedBy
			}
			if m.Metric == d {
				return m.Delta, true, ""
			}
		}
		return 0, false, "not in the comparison"
	}
	v, ok := agg.Value(name)
	if !ok {
		return 0, false, "not measured on this run"
	}
	return v, true, ""
}

func compareOp(v float64, op string, want float64) bool {
	switch op {
	case ">=":
		return v >= want
	case "<=":
		return v <= want
	case ">":
		return v > want
	case "<":
		return v < want
	}
	return false
}
