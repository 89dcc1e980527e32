package local

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// agentTurns and customerTurns are the templates of generated calls; %s is
// filled from topics and %d with a number.
var agentTurns = []string{
	"Thank you for calling Acme support, my name is Sam. How can I help you today?",
	"I'm sorry to hear about the trouble with your %s. Let me pull up the account.",
	"Can I have the account number and the name on the account, please?",
	"I can see the %s here, and it looks like the charge of $%d.99 was applied twice.",
	"Okay.",
	"I'm going to issue a credit of $%d for the %s, and I'll send you a confirmation email today.",
	"You'll need to restart the %s once the update finishes, it takes about %d minutes.",
	"Um, so, the technician will call you within %d hours to schedule a visit.",
	"Is there anything else I can help you with today?",
	"I understand, and I'll escalate this to my supervisor if the %s still fails.",
	"[00:%02d:14] Right, so, uh, what we can do is waive the late fee on the %s.",
	"Mm-hmm.",
}

var customerTurns = []string{
	"Hi, yeah, I'm calling about my %s, it stopped working again yesterday.",
	"Sure, it's %d, and the name is Jordan Lee.",
	"Yeah.",
	"I was charged $%d.99 twice for the %s and I'm not happy about it, you know, at all.",
	"Okay, that's great, thank you so much for fixing the %s.",
	"Um, I tried that already, I, I restarted the %s like %d times and it still doesn't work.",
	"This is the third time I've called about the %s, it's really frustrating.",
	"No, that's all I needed. Thanks for your help.",
	"Ok.",
	"Can you also check why my bill went up by $%d last month?",
	"I'll upload the receipt for the %s tonight.",
}

var topics = []string{"router", "internet plan", "phone bill", "modem", "streaming package",
	"cable box", "mobile data plan", "home security system", "smart thermostat", "landline"}

// generateTranscript builds a realistic call transcript of at least chars
// characters, the same for the same seed.
func generateTranscript(tb testing.TB, seed uint64, chars int) string {
	tb.Helper()
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b strings.Builder
	b.Grow(chars + 200)
	fill := func(tpl string) string {
		args := []any{}
		for i := 0; i < len(tpl)-1; i++ {
			if tpl[i] != '%' {
				continue
			}
			switch tpl[i+1] {
			case 's':
				args = append(args, topics[r.IntN(len(topics))])
			case 'd', '0':
				args = append(args, 1+r.IntN(59))
			}
		}
		return fmt.Sprintf(tpl, args...)
	}
	for turn := 0; b.Len() < chars; turn++ {
		minute, second := turn/6, (turn*10)%60
		if turn%2 == 0 {
			fmt.Fprintf(&b, "[00:%02d:%02d] Agent: %s\n", minute%60, second, fill(agentTurns[r.IntN(len(agentTurns))]))
		} else {
			fmt.Fprintf(&b, "[00:%02d:%02d] Customer: %s\n", minute%60, second, fill(customerTurns[r.IntN(len(customerTurns))]))
		}
	}
	return b.String()
}

func TestGenerateTranscriptIsDeterministic(t *testing.T) {
	a, b := generateTranscript(t, 7, 5000), generateTranscript(t, 7, 5000)
	if a != b {
		t.Fatal("same seed gave different transcripts")
	}
	if c := generateTranscript(t, 8, 5000); c == a {
		t.Fatal("different seeds gave the same transcript")
	}
	if len(a) < 5000 {
		t.Fatalf("got %d characters, want at least 5000", len(a))
	}
}
