package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"strings"
	"time"
)

// measure runs the whole test: build, fake, server, load on the server,
// memory, then the same load on the fake alone.
func measure(ctx context.Context, o options, getenv func(string) string, stderr io.Writer) (*report, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dir, err := os.MkdirTemp("", "loadtest-")
	if err != nil {
		return nil, fmt.Errorf("make a temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	progress := func(format string, args ...any) { fmt.Fprintf(stderr, "loadtest: "+format+"\n", args...) }

	bin := o.serverBin
	if bin == "" {
		progress("building ./cmd/server")
		if bin, err = buildServer(ctx, dir); err != nil {
			return nil, err
		}
	}
	fake, err := startFake(o.latency, fakeTLS{on: o.tls, maxStreams: o.h2MaxStreams}, dir)
	if err != nil {
		return nil, err
	}
	defer fake.close()
	svc, err := startService(ctx, bin, fake, o, getenv, dir)
	if err != nil {
		return nil, err
	}
	defer svc.stop() // no-op once stopped by runLoad
	return runLoad(ctx, o, fake, svc, progress)
}

// runLoad is the test proper, once the fake and the service run: a warm-up
// request, the rounds under load with the service's memory sampled, then
// the service stopped for its CPU time. The report sums it up.
func runLoad(ctx context.Context, o options, fake *fakeBedrock, svc *service, progress func(string, ...any)) (*report, error) {
	rep := newReport(o)
	path := "/api/v1/summarize"
	if o.stream {
		path += "/stream"
	}
	rep.Endpoint = "POST " + path
	t := target{url: svc.base + path, body: requestBody(o.transcriptBytes, o.transcriptText), header: http.Header{
		"Content-Type": {"application/json"}, "X-Api-Key": {svc.key},
	}}
	client := &http.Client{Transport: newTransport(o.clients), Timeout: o.latency + time.Minute}
	defer client.CloseIdleConnections()
	if w := send(ctx, client, t); w.status != http.StatusOK {
		return nil, fmt.Errorf("warm-up request: status %d %s\n%s", w.status, w.errKind, svc.logTail())
	}
	pid := svc.cmd.Process.Pid
	idle, memErr := readMemory(pid)

	progress("service: %s", o.describe())
	mem := sampleMemory(pid, 50*time.Millisecond)
	first, err := driveRounds(ctx, client, t, fake, cpuMeter{pid: pid}, o, rep, progress)
	if err != nil {
		return nil, err
	}
	peakSampled, nSamples, sampleErr := mem.stop()
	final, finalErr := readMemory(pid)
	client.CloseIdleConnections()
	if err := svc.stop(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rep.Service = first
	if memErr == nil && sampleErr == nil && finalErr == nil {
		rep.Memory = newMemoryReport(idle, max(peakSampled, final.hwm), nSamples, first.PeakSent, first.PeakInFlight)
	} else {
		rep.MemoryError = firstErr(memErr, sampleErr, finalErr).Error()
	}
	rep.LoadAverageAfter = loadAverage()
	return rep, nil
}

// driveRounds puts the load on the service o.rounds times, each followed,
// with o.baseline, by the same load on the fake alone and recorded as a
// round of rep. It returns the first round's service phase, with what the
// fake held and saw during it.
func driveRounds(ctx context.Context, client *http.Client, t target, fake *fakeBedrock, cpu cpuMeter, o options, rep *report, progress func(string, ...any)) (phaseReport, error) {
	var first phaseReport
	for round := range o.rounds {
		fake.reset()
		before := cpu.read()
		ph := drive(ctx, client, t, o)
		svc := summarizePhase(ph, fake.peak.Load())
		svc.addCPU(before, cpu.read(), len(ph.samples)+ph.warmup, true)
		if round == 0 {
			first = svc
			first.Fake = fake.stats()
		}
		if !o.baseline {
			continue
		}
		progress("round %d of %d, the fake alone: %s", round+1, o.rounds, o.describe())
		b, bph, err := baseline(ctx, fake, cpu, o)
		if err != nil {
			return phaseReport{}, err
		}
		rep.addRound(svc, b, ph.cold, bph.cold, round == 0)
	}
	return first, nil
}

// baseline sends the same load to the fake alone, replaying the first body
// the service sent it.
func baseline(ctx context.Context, fake *fakeBedrock, cpu cpuMeter, o options) (phaseReport, phase, error) {
	path, body := fake.first()
	if body == nil {
		return phaseReport{}, phase{}, fmt.Errorf("baseline: the service sent the fake no request to replay")
	}
	t := target{url: fake.url + path, body: body, header: http.Header{"Content-Type": {"application/json"}}}
	client := &http.Client{Transport: fake.transport(o.clients), Timeout: o.latency + time.Minute}
	defer client.CloseIdleConnections()
	// One request first, as the service had: over TLS the burst then starts
	// with a connection open, as the server's SDK did.
	if w := send(ctx, client, t); w.status != http.StatusOK {
		return phaseReport{}, phase{}, fmt.Errorf("baseline warm-up request: status %d %s", w.status, w.errKind)
	}
	fake.reset()
	before := cpu.read()
	ph := drive(ctx, client, t, o)
	if err := ctx.Err(); err != nil {
		return phaseReport{}, phase{}, err
	}
	r := summarizePhase(ph, fake.peak.Load())
	r.addCPU(before, cpu.read(), len(ph.samples)+ph.warmup, false)
	r.Fake = fake.stats()
	return r, ph, nil
}

func drive(ctx context.Context, client *http.Client, t target, o options) phase {
	if o.mode == modeBurst {
		return burst(ctx, client, t, o.clients)
	}
	// Clients start spread over one fake latency, inside the warm-up.
	return steady(ctx, client, t, o.clients, min(o.latency, o.warmup), o.warmup, o.duration)
}

// describe is the run in words, for progress lines.
func (o options) describe() string {
	fake := describeFake(o.latency.String(), o.tls, o.h2MaxStreams)
	if o.mode == modeBurst {
		return fmt.Sprintf("burst of %d requests at once, %s", o.clients, fake)
	}
	return fmt.Sprintf("%d keep-alive clients for %v after a %v warm-up, %s", o.clients, o.duration, o.warmup, fake)
}

// describeFake is the fake Bedrock in words: its latency, and TLS with
// HTTP/2 streams per connection when set.
func describeFake(latency string, tls bool, h2MaxStreams int) string {
	fake := "fake latency " + latency
	if tls {
		fake += " over TLS"
		if h2MaxStreams > 0 {
			fake += fmt.Sprintf(" (%d HTTP/2 streams per connection)", h2MaxStreams)
		}
	}
	return fake
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// callLines are a support call, repeated to the asked-for size.
var callLines = []string{
	"Agent: Thank you for calling Acme Wireless, this is Maria. How can I help you today?",
	"Customer: Hi Maria. I was charged twice for my March bill, once on the first and again on the third.",
	"Agent: I'm sorry about that. Can you confirm the account holder's name and the last four digits of the account number?",
	"Customer: It's Daniel Ortiz, and the last four are 4417.",
	"Agent: Thank you, Daniel. I can see two payments of $49.99, one on March 1 and one on March 3. The second one is a duplicate from the autopay retry.",
	"Customer: That's what I thought. I need that money back before my rent goes out on Friday.",
	"Agent: I understand. I've submitted a refund of $49.99 to the card ending in 2210. It usually posts in three to five business days, and you'll get an email confirmation today.",
	"Customer: Three to five days is cutting it close. Is there any way to speed it up?",
	"Agent: I've marked it as a priority refund, which usually posts within two days. I've also turned off the autopay retry so this won't happen again.",
	"Customer: Okay, that helps. Will I still be charged a late fee if the April payment is affected?",
	"Agent: No, I've added a note to waive any late fee on your April bill. Is there anything else I can help with?",
	"Customer: No, that's everything. Thanks for sorting it out so quickly.",
	"Agent: You're welcome, Daniel. Have a good afternoon.",
}

// Texts a transcript can be made of (-transcript-text).
const (
	textCall     = "call"     // callLines: ASCII, one byte a character
	textAccented = "accented" // "été " repeated: 1.5 bytes a character
)

// accentedWord is the accented text's unit: 4 characters, 6 bytes.
const accentedWord = "été "

// requestBody is a summarize request with a transcript of about size bytes
// of text (textCall or textAccented).
func requestBody(size int, text string) []byte {
	var b strings.Builder
	b.Grow(size + 200)
	for i := 0; b.Len() < size; i++ {
		if text == textAccented {
			b.WriteString(accentedWord)
			continue
		}
		b.WriteString(callLines[i%len(callLines)])
		b.WriteByte('\n')
	}
	transcript := strings.TrimSpace(strings.ToValidUTF8(b.String()[:size], ""))
	if transcript == "" {
		transcript = "Agent: Hello."
	}
	body, _ := json.Marshal(map[string]any{
		"transcript": transcript,
		"options":    map[string]any{"maxLength": 100, "sections": []string{"keyPoints", "actionItems"}},
	})
	return body
}

// loadAverage is /proc/loadavg's first three fields, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func numCPU() int { return runtime.NumCPU() }
