package transcript

import (
	"math"
	"strconv"
	"strings"
)

// The helpers below read a document as encoding/json decodes it into an
// any (map[string]any, []any, string, float64, bool, nil), naming the path
// of whatever is missing or of the wrong type.

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// object reads v as a JSON object.
func object(v any, path string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, errAt(path, "expected an object, got %s", kind(v))
	}
	return m, nil
}

// array reads member name of m as a JSON array.
func array(m map[string]any, path, name string) ([]any, error) {
	a, ok := m[name].([]any)
	if !ok {
		return nil, errAt(join(path, name), "expected an array, got %s", kind(m[name]))
	}
	return a, nil
}

// text reads member name of m as a string; required says whether absence
// is an error.
func text(m map[string]any, path, name string, required bool) (string, error) {
	v, ok := m[name]
	if !ok && !required {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", errAt(join(path, name), "expected a string, got %s", kind(v))
	}
	return s, nil
}

// millis reads member name of m as a whole number of milliseconds at least
// 0 (Call Analytics and Contact Lens offsets); ok is false when it is absent.
func millis(m map[string]any, path, name string) (ms int64, ok bool, err error) {
	v, present := m[name]
	if !present {
		return 0, false, nil
	}
	f, isNum := v.(float64)
	if !isNum || f < 0 || f != math.Trunc(f) || f > 1<<53 {
		return 0, false, errAt(join(path, name), "expected a whole number of milliseconds, got %s", kind(v))
	}
	return int64(f), true, nil
}

// seconds reads member name of m as seconds, written as Transcribe writes
// them ("4.87") or as a number, in milliseconds; ok is false when absent.
func seconds(m map[string]any, path, name string) (ms int64, ok bool, err error) {
	v, present := m[name]
	if !present {
		return 0, false, nil
	}
	var f float64
	switch x := v.(type) {
	case string:
		f, err = strconv.ParseFloat(strings.TrimSpace(x), 64)
	case float64:
		f = x
	default:
		err = strconv.ErrSyntax
	}
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > 1<<40 {
		return 0, false, errAt(join(path, name), "expected a time in seconds, got %s", kind(v))
	}
	return int64(math.Round(f * 1000)), true, nil
}

// kind names a JSON value's type for an error message.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	}
	return "an unknown value"
}
