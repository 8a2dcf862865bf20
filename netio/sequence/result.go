package sequence

import (
	"strconv"
	"strings"
	"time"
)

// Status is how a step ended.
type Status uint8

const (
	Passed  Status = iota
	Failed         // the step did not get what it expected (or could not send)
	Skipped        // not run: an earlier step failed or the run was stopped
	Stopped        // the run was stopped (Runner.Stop, or the context ended) during the step
)

var statusNames = [...]string{"pass", "fail", "skip", "stopped"}

// String returns "pass", "fail", "skip" or "stopped".
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "Status(" + strconv.Itoa(int(s)) + ")"
}

// Result is what one step did. A step inside a repeat has a Result per round.
type Result struct {
	Step *Step
	// Rounds are the rounds of the repeats the step is in, outermost first
	// (1-based); empty outside any repeat.
	Rounds   []int
	Status   Status
	Start    time.Time
	Duration time.Duration
	// Detail says what a passed step did: what was sent, which message matched.
	Detail string
	// Expected and Got say, for a failed step, what it waited for and what
	// arrived instead (a message, "nothing within 2s", "the connection closed").
	Expected string
	Got      string
	// Received lists the messages the step took or saw while it waited,
	// shown as text (or hex for a binary step), oldest first.
	Received []string
}

// Name is the step's title with its rounds, e.g.
// `step 7.2 (line 14) expect "PONG" [round 2 of 3]`.
func (r *Result) Name() string {
	t := r.Step.Title()
	if len(r.Rounds) == 0 {
		return t
	}
	parts := make([]string, len(r.Rounds))
	for i, n := range r.Rounds {
		parts[i] = strconv.Itoa(n)
	}
	return t + " [round " + strings.Join(parts, ".") + "]"
}

// Message is a failed step's one-line account: what was expected and what came.
func (r *Result) Message() string {
	switch {
	case r.Expected != "" && r.Got != "":
		return "expected " + r.Expected + ", got " + r.Got
	case r.Got != "":
		return r.Got
	}
	return r.Detail
}

// Report is a whole run.
type Report struct {
	Sequence *Sequence
	Start    time.Time
	Duration time.Duration
	// Results are in the order the steps ran: the connection first, then each
	// step (each round of a repeat), then the steps not run, as Skipped.
	Results []Result
	// Failed is the failed (or stopped) result, or nil when every step passed.
	Failed *Result
}

// Passed reports whether every step passed.
func (r *Report) Passed() bool { return r.Failed == nil }

// Count returns how many results have status s.
func (r *Report) Count(s Status) int {
	n := 0
	for i := range r.Results {
		if r.Results[i].Status == s {
			n++
		}
	}
	return n
}
