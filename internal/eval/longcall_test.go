package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// longCall writes the set's very long item: a multi-hour support session in
// which a POS vendor's engineer and a coffee chain's IT manager roll 24 stores
// back from a broken firmware update, store by store. It is generated so that
// it stays long (over 20,000 words) and reads as one plausible call, and it
// is deterministic: the same program always writes the same transcript.
func longCall() Item {
	rng := rand.New(rand.NewPCG(7, 2024))
	pick := func(options ...string) string { return options[rng.IntN(len(options))] }
	var b strings.Builder
	clock := 8*3600 + 2*60 // 08:02:00
	say := func(who, format string, args ...any) {
		clock += 5 + rng.IntN(25)
		fmt.Fprintf(&b, "[%02d:%02d:%02d] %s: %s\n", clock/3600, clock/60%60, clock%60, who, fmt.Sprintf(format, args...))
	}
	a, c := "Agent", "Customer"

	say(a, "Vantix POS support, this is Renata. How can I help you this morning?")
	say(c, "Hi Renata, this is Marcus Webb, IT manager at Copperleaf Coffee. We have a serious problem. Since the overnight update, card payments fail at basically all of our stores. The terminals show error E-214 when a card is tapped or inserted.")
	say(a, "Good morning Marcus. That sounds urgent, let's work through it. Can I have your merchant group number?")
	say(c, "It's CL-20418. We have twenty-four stores, each with two or three terminals.")
	say(a, "Thank you. I see your group took firmware 5.0.1 overnight, at about two in the morning, on the automatic update channel.")
	say(c, "We never chose automatic updates, as far as I know. But okay. Cash only is killing us. The morning rush is starting.")
	say(a, "I understand. I'm seeing a handful of other merchants on 5.0.1 reporting E-214 this morning. The error means the terminal cannot validate the card reader's security certificate. The fastest fix I can offer is to roll each terminal back to 4.2.7, the previous version, which we know works. It has to be done on the terminal itself, in recovery mode, so we'll need someone at each store.")
	say(c, "All twenty-four stores? Okay. I have the store managers on a group chat. I'll get them on a conference line with us one by one. Can you stay with me?")
	say(a, "I'll stay with you as long as it takes. I'm also opening a case and flagging it to our firmware engineering team so they look at the root cause. Your case number is VX-CASE-66120.")
	say(c, "Thanks. Let's start with the flagship, store one, downtown. The manager there is Alisha.")

	stores := []string{"Downtown", "Harbor Point", "Elm Street", "University", "Riverside", "Airport Terminal B", "Westfield Mall", "Old Town", "Maple Grove", "Lakeview", "Station Square", "Northgate", "Cedar Park", "Hillcrest", "Bayside", "Market Street", "Southpoint", "Greenway", "Kingsley", "Union Plaza", "Brookfield", "Sunset Boulevard", "Pinecrest", "Museum District"}
	managers := []string{"Alisha", "Devon", "Priya", "Tomas", "Keisha", "Wen", "Oscar", "Maren", "Jamal", "Sofia", "Ian", "Lena", "Rafael", "Bea", "Hugo", "Nia", "Carter", "Yusuf", "Greta", "Mateo", "Rosa", "Felix", "Hana", "Abdul"}
	badReader := map[int]bool{5: true, 13: true, 20: true}
	for i, store := range stores {
		m := fmt.Sprintf("Manager (%s)", managers[i])
		terminals := 2 + rng.IntN(2)
		if i == 0 {
			say(c, "Alisha, you're on with Renata from Vantix. She'll walk you through it.")
		} else {
			say(c, "%s Next is store %d, %s. %s is on the line.", pick("Okay.", "Alright.", "Good.", "Great, moving on."), i+1, store, managers[i])
		}
		say(m, "%s I've got %d terminals here, all showing E-214.", pick("Hi, I'm here.", "Hey, I'm on.", "Hello, yes, I can hear you.", "Hi Renata."), terminals)
		say(a, "Thanks %s. %s let's check the version. On the first terminal, press the menu key, then System, then About. What does it say next to Firmware?", managers[i], pick("Before we change anything,", "First,", "To start,"))
		say(m, "It says 5.0.1, %s.", pick("build 88", "build 88, dated yesterday", "and a build number, 88"))
		say(a, "As expected. Before we roll back, let's make sure no card payments are stuck on the terminal: Menu, Reports, Offline queue. How many transactions are waiting?")
		queued := rng.IntN(6)
		if queued == 0 {
			say(m, "It says zero. %s", pick("Nothing waiting.", "Empty.", "None queued."))
			say(a, "Good, nothing to lose.")
		} else {
			say(m, "It says %d waiting. %s", queued, pick("Are those lost?", "What do I do with them?", "Is that bad?"))
			say(a, "They're not lost, they were taken before the update and stored offline. Press Upload now, and wait until the count goes to zero. The rollback would otherwise keep them, but I'd rather they settle first.")
			say(m, "%s", pick("Uploading... zero now.", "Okay, it's uploading... done, zero.", "It counted down, now it says zero."))
			say(a, "Perfect, those will settle with tonight's batch.")
		}
		say(a, "%s Hold the power button and the yellow clear key together for ten seconds until the screen goes dark, then keep holding clear until you see Recovery.", pick("Now we'll go into recovery mode.", "Next is recovery mode.", "Let's get into recovery mode."))
		say(m, "%s", pick("Okay, holding... it went dark... and now it says Recovery Menu.", "Holding both... dark screen... there, Recovery Menu.", "One second... okay, dark, still holding clear... Recovery Menu is up."))
		say(a, "Choose option 3, Roll back firmware, and confirm with the green key. It will ask which version; pick 4.2.7. %s", pick("It takes about four minutes.", "It's usually three to five minutes.", "Give it a few minutes."))
		say(m, "Option 3, 4.2.7, green key. It's showing a progress bar.")
		switch rng.IntN(3) {
		case 0:
			say(c, "While that runs, Renata, is there any way to stop the automatic updates so this doesn't happen again next month?")
			say(a, "Yes. Once we're through the stores I'll switch your group to the managed channel, so updates only install when you approve them.")
		case 1:
			say(c, "While we wait, how many stores are we in for the morning? I want to tell the district managers.")
			say(a, "Each store is taking about ten to fifteen minutes. Doing the other terminals while the first is rolling back helps.")
			say(c, "Got it. %s, start the next terminal while the first one runs.", managers[i])
			say(m, "Will do.")
		default:
			say(m, "%s", pick("Sorry, customers are asking if we take cards. I'm telling them cash only for now.", "The line is out the door, people are being patient though.", "One of my baristas is taking cash and writing IOUs, is that okay Marcus?"))
			say(c, "%s", pick("Tell them ten more minutes.", "That's fine, just keep a list.", "Yes, keep a list, we'll sort it out."))
		}
		say(m, "Okay, the first one restarted. It says Ready.")
		say(a, "Check the version again under System, About.")
		say(m, "4.2.7 now.")
		say(a, "Now the card reader has to be paired again. Menu, Devices, Card reader, Pair. Then press the small button on the side of the reader until its light blinks blue.")
		if badReader[i] {
			say(m, "I pressed it, the light blinks blue, but the terminal says Pairing failed. %s", pick("Twice now.", "I tried three times.", "Same thing again."))
			say(a, "Let's try a reset on the reader itself: hold its button for twenty seconds until the light goes red, then pair again.")
			say(m, "Red... now pairing... Pairing failed again.")
			say(a, "Okay. That reader didn't survive the update: 5.0.1 wrote a new certificate into it, and some reader units can't take the old one back. I'll ship a replacement reader to %s by overnight delivery. In the meantime, move the reader from the third terminal, or if you only have two, run that counter on one terminal.", store)
			say(c, "Note that down, Renata: replacement reader for store %d, %s.", i+1, store)
			say(a, "Noted on the case. It'll arrive tomorrow before ten.")
		} else {
			say(m, "%s", pick("Blue light... it says Paired.", "Okay, pressed, it blinks blue... Paired.", "Paired, it says. Green check."))
		}
		say(a, "Before the test sale, check the network. On the home screen, top right, is the wifi icon full and does it say CL-POS?")
		if rng.IntN(4) == 0 {
			say(m, "It says CL-GUEST. %s", pick("Is that wrong?", "Hmm, that's our customer wifi.", "Did the rollback change it?"))
			say(a, "Yes, the rollback sometimes falls back to the first network it remembers. Go to Menu, Network, Wifi, choose CL-POS and enter the password your IT team gave you. The guest network blocks the payment host.")
			say(c, "%s, the password is on the laminated card in the office, top drawer.", managers[i])
			say(m, "Found it. Connecting... CL-POS, connected, signal full.")
		} else {
			say(m, "%s", pick("Full bars, CL-POS.", "Yes, CL-POS, signal is good.", "CL-POS, four bars."))
		}
		say(a, "Good. One more setting the rollback resets is tipping. Menu, Settings, Tipping. Is it on, with your usual percentages?")
		say(m, "%s", pick("It's off now. It used to be on with fifteen, eighteen and twenty.", "Tipping is off. We had three buttons before.", "Off. Marcus, what were our tip options?"))
		if i == 0 {
			say(c, "Fifteen, eighteen and twenty percent, plus custom amount. Same at every store.")
		}
		say(a, "Turn it on and set fifteen, eighteen and twenty percent, with custom amount allowed. Then press Save.")
		say(m, "%s", pick("Saved. It shows the three buttons.", "On, fifteen, eighteen, twenty, custom allowed, saved.", "Done, saved."))
		say(a, "Let's run a test sale. Ring up one dollar and tap a card.")
		say(m, "%s", pick("One dollar... tapping... Approved!", "Tapping my own card... Approved.", "Approved. Finally."))
		say(a, "Great. Void that sale so it doesn't settle: Menu, Transactions, the last one, Void.")
		say(m, "Voided. And the receipt printed fine.")
		say(a, "Last check for this terminal: does the order show up on the kitchen display? Ring up one item with no payment and send it as a test.")
		say(m, "%s", pick("Yes, it popped up on the bar screen, I cleared it.", "Showing on the kitchen display, cleared.", "It's on the barista screen. Okay, cleared."))
		for t := 2; t <= terminals; t++ {
			say(a, "Now terminal %d. Same steps: offline queue, recovery mode, option 3, version 4.2.7, then pair the reader, check the network and tipping, and a one dollar test sale and void.", t)
			say(m, "%s", pick("Okay, starting. Offline queue is empty, going into recovery.", "On it. Nothing queued. Recovery Menu, option 3.", "Alright, queue is clear, rolling it back now."))
			say(m, "Terminal %d is %s.", t, pick("done too, 4.2.7, paired, test sale approved", "finished the rollback; I paired the reader and the test sale went through", "back up as well, version 4.2.7 and approved"))
			say(a, "%s Did tipping and the network check out on that one too?", pick("Great.", "Good.", "Nice."))
			say(m, "%s", pick("Yes, CL-POS and tips set.", "Both fine, I set the tips the same way.", "Yes, all the same as the first one."))
		}
		say(a, "%s Store %d, %s, is back on cards with %d terminals on 4.2.7. %s", pick("Perfect.", "Excellent.", "Nice work."), i+1, store, terminals, pick("Thanks for your patience.", "You can take cards again.", "Go ahead and tell your customers."))
		say(a, "One thing before you go, %s: tonight, when you close, run the settlement from Menu, Batch, Settle on each terminal, and check that the total matches your card sales report. If it doesn't, call us with case VX-CASE-66120.", managers[i])
		say(m, "%s", pick("Settle at close, check the totals. Got it.", "Okay, I'll do the batch tonight and compare.", "Will do. I'll write it on the closing checklist."))
		say(a, "And the receipt footer: does it still show your store's address and the Copperleaf rewards line? The rollback restores it from the group profile, but it's worth a glance.")
		say(m, "%s", pick("Yes, address and the rewards line are there.", "Looks right, it has our address.", "Yep, footer's fine."))
		say(m, "%s", pick("Thank you so much!", "Thanks, Renata. Bye!", "Great, thanks both.", "Phew. Thank you."))
		say(c, "That's %d of 24 done. %s", i+1, pick("I'm marking it in the spreadsheet.", "Updating the tracker for the district managers.", "I'll post it in the group chat so the others know what's coming.", "Keep going."))
		say(a, "%s", pick("I'm logging each store on the case as we finish, with the time it came back.", "Noted on the case with the time.", "Got it, I've added the time to the case notes."))
		switch i {
		case 7:
			say(a, "Marcus, a quick update from engineering: they've reproduced E-214. The 5.0.1 package shipped with an incomplete certificate bundle for some card reader models. It's tracked as bug VX-8812, and they've paused 5.0.1 for all merchants.")
			say(c, "So it wasn't anything on our side.")
			say(a, "Nothing on your side. A fixed version, 5.0.2, is being built.")
		case 11:
			say(c, "Renata, I need to step away for ten minutes, my CFO wants an update. Can we pause?")
			say(a, "Of course. I'll hold the line open.")
			clock += 600
			say(c, "I'm back. CFO's happy that half the stores are up. Let's keep going.")
		case 17:
			say(a, "By the way, I've switched your merchant group to the managed update channel. From now on, firmware updates install only after someone on your team approves them in the Vantix portal.")
			say(c, "Thank you, that's a relief.")
		}
	}
	say(a, "That's all twenty-four stores back on card payments, on firmware 4.2.7. Let me recap the case for you.")
	say(a, "One: every terminal in your group was rolled back from 5.0.1 to 4.2.7 in recovery mode and the card readers were paired again. Two: three card readers could not be recovered, at store 6, Airport Terminal B, store 14, Hillcrest, and store 21, Brookfield, and replacements ship overnight to arrive tomorrow before ten. Three: the root cause is bug VX-8812, an incomplete certificate bundle in 5.0.1, and 5.0.1 is paused. Four: your group is now on the managed update channel, so 5.0.2 will not install until you approve it.")
	say(c, "That's right. What about the sales we lost this morning? Some stores were cash only until this afternoon.")
	say(a, "I can't promise compensation myself, but I've asked my manager to review a service credit for your group, and I've attached the outage times for each store to the case. You'll hear back by Friday.")
	say(c, "Okay. And when 5.0.2 is out, do we have to do all this again?")
	say(a, "No. 5.0.2 installs normally and keeps the readers paired. I'd suggest approving it for one store first, testing, then the rest. I'll email you the release notes when it ships.")
	say(c, "Sounds good. Renata, thank you. You've been on with me for most of the day.")
	say(a, "Happy to help, Marcus. You'll get the case summary by email in the next hour. Take care.")
	return Item{
		ID:         "long-pos-firmware-rollback-24-stores",
		Transcript: b.String(),
		Reference: "Copperleaf Coffee's IT manager reported that card payments failed with error E-214 at all 24 stores after Vantix POS terminals auto-updated overnight to firmware 5.0.1. " +
			"Over a session of almost six hours, the agent and each store manager rolled back every terminal to firmware 4.2.7 in recovery mode, re-paired the card readers and ran a test sale. " +
			"Card readers at three stores (Airport Terminal B, Hillcrest and Brookfield) could not be recovered, and replacements ship overnight. " +
			"Engineering traced the fault to bug VX-8812, an incomplete certificate bundle, and paused 5.0.1. " +
			"The group was moved to the managed update channel, and a service credit for lost sales is under review with an answer by Friday.",
		Must: [][]string{
			{"5.0.1"}, {"4.2.7"}, {"e-214"}, {"24 stores", "twenty-four stores", "all stores", "every store"},
			{"roll back", "rolled back", "rollback"}, {"card reader"}, {"VX-8812", "certificate"}, {"managed update", "managed channel", "approve"},
		},
		MustNot: []string{"5.0.2 was installed", "credit was approved"},
		Options: Options{MaxLength: 200, Sections: []string{"keyPoints", "actionItems", "resolution"}},
		Split:   SplitTune,
	}
}
