package eval

import (
	"slices"
	"testing"
)

func TestFactRecall(t *testing.T) {
	must := [][]string{{"refund", "credit"}, {"$49.99", "49.99"}, {"two business days", "2 business days"}}
	tests := []struct {
		name       string
		text       string
		found      int
		recall     float64
		wantMissed []string
	}{
		{"all, other wordings", "A CREDIT of 49.99 posts within 2 business\n days.", 3, 1, nil},
		{"one of three", "The agent issued a refund.", 1, 1.0 / 3, []string{"$49.99", "two business days"}},
		{"none", "", 0, 0, []string{"refund", "$49.99", "two business days"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			found, recall, missed := FactRecall(tt.text, must)
			if found != tt.found || recall != tt.recall || !slices.Equal(missed, tt.wantMissed) {
				t.Errorf("FactRecall = %d, %v, %q; want %d, %v, %q", found, recall, missed, tt.found, tt.recall, tt.wantMissed)
			}
		})
	}
	if _, recall, _ := FactRecall("anything", nil); recall != 1 {
		t.Errorf("recall with no facts = %v, want 1", recall)
	}
}

func TestForbiddenHits(t *testing.T) {
	got := ForbiddenHits("Card 4111 1111 1111 1111 was charged; no refund.", []string{"4111 1111", "refund issued", "charged;"})
	if want := []string{"4111 1111", "charged;"}; !slices.Equal(got, want) {
		t.Errorf("ForbiddenHits = %q, want %q", got, want)
	}
}
