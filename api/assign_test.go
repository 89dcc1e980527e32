package api

import (
	"reflect"
	"strings"
	"testing"
)

func TestAssign(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want SummarizeRequest
		err  string
	}{
		{"every field", map[string]any{"transcript": "a", "options": map[string]any{"maxLength": 10.0, "format": "bullets", "sections": []any{"keyPoints"}}},
			SummarizeRequest{Transcript: "a", Options: &SummarizeOptions{MaxLength: ptr(10), Format: ptr("bullets"), Sections: []string{"keyPoints"}}}, ""},
		{"null is absent", map[string]any{"transcript": "a", "options": nil}, SummarizeRequest{Transcript: "a"}, ""},
		{"fraction into an int", map[string]any{"options": map[string]any{"maxLength": 10.5}}, SummarizeRequest{}, "cannot hold a float64"},
		{"huge into an int", map[string]any{"options": map[string]any{"maxLength": 1e300}}, SummarizeRequest{}, "cannot hold a float64"},
		{"wrong type", map[string]any{"transcript": 1.0}, SummarizeRequest{}, "cannot hold a float64"},
		{"unknown name", map[string]any{"Transcript": "a"}, SummarizeRequest{}, `no field "Transcript"`},
		{"unexported field", map[string]any{"decoded": "x"}, SummarizeRequest{}, `no field "decoded"`},
		{"not an object", []any{"a"}, SummarizeRequest{}, "cannot hold a []interface {}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got SummarizeRequest
			err := assign(reflect.ValueOf(&got).Elem(), tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v (options %+v), want %+v", got, got.Options, tt.want)
			}
		})
	}
}
