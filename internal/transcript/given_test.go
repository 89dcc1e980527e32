package transcript

import (
	"errors"
	"testing"

	"github.com/llm-testing/llm-testing/internal/summary"
)

func TestGiven(t *testing.T) {
	at := func(v int64) *int64 { return &v }
	got, err := Given("Sam", "", "Hi.", at(5), nil)
	if err != nil || got.Role != summary.RoleOther || got.Timed {
		t.Errorf("no role, one time: %+v, %v; want other and untimed", got, err)
	}
	got, err = Given("Dana", "agent", "Hello.", at(5), at(9))
	if err != nil || got.Role != summary.RoleAgent || !got.Timed || got.StartMs != 5 || got.EndMs != 9 {
		t.Errorf("role and times: %+v, %v", got, err)
	}
	if _, err := Given("Dana", "agent", "Hello.", at(9), at(5)); !errors.Is(err, ErrEndsBeforeStart) {
		t.Errorf("end before start: err = %v, want ErrEndsBeforeStart", err)
	}
}
