package api

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
)

// assign copies a validated JSON value, as encoding/json/v2 decodes it into
// an any (map[string]any, []any, string, float64, bool, nil), into dst,
// matching struct fields by their exact JSON names. Strings are shared, not
// copied. It replaces a second decode of the body; mapstructure did the
// same at a tenth of a 5 KB request's whole cost (BenchmarkSummarize).
func assign(dst reflect.Value, v any) error {
	if v == nil {
		return nil // null, like an absent member, leaves the zero value
	}
	switch dst.Kind() {
	case reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assign(dst.Elem(), v)
	case reflect.Struct:
		return assignStruct(dst, v)
	case reflect.Map:
		// A free-form object (a document) is kept as decoded.
		m, ok := v.(map[string]any)
		if !ok || dst.Type() != reflect.TypeOf(m) {
			return mismatch(dst, v)
		}
		dst.Set(reflect.ValueOf(m))
	case reflect.Slice:
		a, ok := v.([]any)
		if !ok {
			return mismatch(dst, v)
		}
		s := reflect.MakeSlice(dst.Type(), len(a), len(a))
		for i, x := range a {
			if err := assign(s.Index(i), x); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.String:
		return put(dst, v, dst.SetString)
	case reflect.Int, reflect.Int64:
		f, ok := v.(float64)
		if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
			return mismatch(dst, v)
		}
		dst.SetInt(int64(f))
	case reflect.Float64:
		return put(dst, v, dst.SetFloat)
	case reflect.Bool:
		return put(dst, v, dst.SetBool)
	default:
		return fmt.Errorf("assign to %s: unsupported kind", dst.Type())
	}
	return nil
}

func assignStruct(dst reflect.Value, v any) error {
	m, ok := v.(map[string]any)
	if !ok {
		return mismatch(dst, v)
	}
	fields := jsonFields(dst.Type())
	for name, x := range m {
		i, ok := fields[name]
		if !ok {
			return fmt.Errorf("assign to %s: no field %q", dst.Type(), name)
		}
		if err := assign(dst.Field(i), x); err != nil {
			return err
		}
	}
	return nil
}

// put sets dst with set if v is a T.
func put[T any](dst reflect.Value, v any, set func(T)) error {
	x, ok := v.(T)
	if !ok {
		return mismatch(dst, v)
	}
	set(x)
	return nil
}

func mismatch(dst reflect.Value, v any) error {
	return fmt.Errorf("assign to %s: cannot hold a %T", dst.Type(), v)
}

var fieldCache sync.Map // reflect.Type → map[string]int

// jsonFields maps a struct's JSON member names to its field indices.
func jsonFields(t reflect.Type) map[string]int {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]int)
	}
	out := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		out[name] = i
	}
	fieldCache.Store(t, out)
	return out
}
