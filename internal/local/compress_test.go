package local

import (
	"strings"
	"testing"
)

func TestCompress(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"preamble", "I'm calling because I got charged twice.", "I got charged twice."},
		{"preamble with that", "The reason I'm calling is that my card was declined.", "My card was declined."},
		{"calling about stays", "I'm calling about my claim.", "I'm calling about my claim."},
		{"marker", "Second thing, I got a new phone.", "I got a new phone."},
		{"greeting after a marker", "Hi, sorry I'm calling about my order.", "Sorry I'm calling about my order."},
		{"like before a number", "Speed tests say like forty.", "Speed tests say 40."},
		{"like between commas", "There's, like, no deductible.", "There's no deductible."},
		{"like as a verb", "I like three sugars in it.", "I like three sugars in it."},
		{"like after would", "I'd like two tickets.", "I'd like two tickets."},
		{"looks like", "It looks like a cracked screen.", "It looks like a cracked screen."},
		{"just after its subject", "I just moved to Denver.", "I moved to Denver."},
		{"just meaning only", "It was just one charge.", "It was just one charge."},
		{"kind of hedges", "The app is kind of slow today.", "The app is slow today."},
		{"kind of names a kind", "What kind of plan is it?", "What kind of plan is it?"},
		{"actually mid-sentence", "The charge actually went through twice.", "The charge went through twice."},
		{"a restart", "It's a big a big crack across the whole, the whole thing.", "It's a big crack across the whole thing."},
		{"digits read out are no restart", "My code is 4 7 4 7 and it failed twice.", "My code is 4 7 4 7 and it failed twice."},
		{"yeah between commas", "The claim number, yeah, is BS-2204.", "The claim number, is BS-2204."},
		{"too short to compress", "I'm calling because it broke.", "I'm calling because it broke."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compress(tt.in); got != tt.want {
				t.Errorf("compress(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFigures(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a thirty-eight dollar roaming charge", "a $38 roaming charge"},
		{"two hundred and thirty-eight dollars total.", "$238 total."},
		{"it's a hundred and two degrees out", "it's 102 degrees out"},
		{"within forty-five minutes", "within 45 minutes"},
		{"four hundred fifty dollars for damage", "$450 for damage"},
		{"it's five dollars a day", "it's $5 a day"},
		{"by six PM today", "by 6 PM today"},
		{"fifty, maybe sixty.", "50, maybe 60."},
		// Below ten without a unit, and runs that are not one number, stay.
		{"I restarted it three times", "I restarted it three times"},
		{"it was eight hundred and twelve fifty", "it was eight hundred and twelve fifty"},
		{"born in nineteen eighty-five", "born in nineteen eighty-five"},
		{"the code is four one one seven", "the code is four one one seven"},
		{"two thousand dollars", "two thousand dollars"},
		{"the one I replaced", "the one I replaced"},
		{"a hundred", "100"},
		{"a lot and a hundred", "a lot and 100"},
	}
	for _, tt := range tests {
		if got := strings.Join(figures(strings.Fields(tt.in)), " "); got != tt.want {
			t.Errorf("figures(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
