package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/sockdesk/sockdesk/internal/atomicfile"
	"github.com/sockdesk/sockdesk/netio/charset"
	"github.com/sockdesk/sockdesk/netio/sequence"
)

// runSequence is `run FILE`: play a sequence file's conversation and print each
// step's result; exit 0 when every step passed, 1 at the first that failed.
func runSequence(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet("run")
	asJSON := fs.Bool("json", false, "one JSON object per step result")
	junit := fs.String("junit", "", "write the results to this file as JUnit XML")
	var varFlags listFlag
	fs.Var(&varFlags, "var", "NAME=VALUE: set a variable (repeatable)")
	pos, err := parseArgs(fs, args, e)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 0:
		return usageErr("FILE: missing; give the sequence file to run")
	case len(pos) > 1:
		return usageErr("unexpected argument %q (one sequence file at a time)", pos[1])
	}
	vars := map[string]string{}
	for _, v := range varFlags {
		name, value, ok := strings.Cut(v, "=")
		if !ok {
			return usageErr("--var %s: want NAME=VALUE", v)
		}
		if err := sequence.ValidVarName(name); err != nil {
			return usageErr("--var %s: %s", v, errText(err))
		}
		vars[name] = value
	}
	seq, err := readSequence(pos[0], vars)
	if err != nil {
		return err
	}

	out := bufio.NewWriter(e.stdout)
	r := sequence.NewRunner(seq, sequence.Options{OnStep: func(res sequence.Result) {
		printResult(out, res, *asJSON)
		out.Flush()
	}})
	rep := r.Run(ctx)
	printSummary(out, rep, *asJSON)
	out.Flush()
	if *junit != "" {
		if err := atomicfile.WriteFunc(*junit, func(w io.Writer) error { return sequence.WriteJUnit(w, rep) }, atomicfile.Options{}); err != nil {
			return failure("--junit: %s", errText(err))
		}
	}
	if f := rep.Failed; f != nil {
		return failure("%s:%d:%d: %s %s: %s", seq.File, f.Step.Line, f.Step.Column, f.Name(), failedWord(f.Status), f.Message())
	}
	return nil
}

func failedWord(s sequence.Status) string {
	if s == sequence.Stopped {
		return "stopped"
	}
	return "failed"
}

// readSequence reads and parses the file; any problem is bad input (status 2).
func readSequence(path string, vars map[string]string) (*sequence.Sequence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usageErr("%s", errText(err))
	}
	defer f.Close()
	src, err := io.ReadAll(io.LimitReader(f, sequence.MaxFileSize+1))
	if err != nil {
		return nil, usageErr("%s: %s", path, errText(err))
	}
	seq, err := sequence.Parse(path, src, vars)
	if err != nil {
		var ve *sequence.VarError
		if errors.As(err, &ve) {
			return nil, usageErr("--var: %s", errText(err))
		}
		return nil, usageErr("%s", errText(err))
	}
	return seq, nil
}

// printResult prints one step's result: a line (and, for a failed step, what
// it received while waiting), or a JSON object.
func printResult(w io.Writer, r sequence.Result, asJSON bool) {
	if asJSON {
		b, _ := json.Marshal(resultJSON(r))
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	stamp := r.Start
	if stamp.IsZero() {
		stamp = time.Now()
	}
	word := map[sequence.Status]string{sequence.Passed: "PASS", sequence.Failed: "FAIL", sequence.Skipped: "SKIP", sequence.Stopped: "STOP"}[r.Status]
	line := fmt.Sprintf("%s %-4s %s", stamp.Format("15:04:05.000"), word, r.Name())
	switch r.Status {
	case sequence.Passed:
		line += ": " + r.Detail + " " + durationMS(r.Duration)
	case sequence.Failed, sequence.Stopped:
		line += ": " + r.Message() + " " + durationMS(r.Duration)
	case sequence.Skipped:
		line += " (not run)"
	}
	fmt.Fprintln(w, charset.DisplayText(line))
	if r.Status == sequence.Failed && len(r.Received) > 0 {
		fmt.Fprintln(w, "     received while waiting:")
		for _, m := range r.Received {
			fmt.Fprintln(w, "       "+charset.DisplayText(m))
		}
	}
}

func durationMS(d time.Duration) string {
	return fmt.Sprintf("(%.1f ms)", float64(d.Microseconds())/1000)
}

type seqStepJSON struct {
	Event    string   `json:"event"`
	Time     string   `json:"time,omitempty"`
	TimeMS   int64    `json:"ts_ms,omitempty"`
	Step     string   `json:"step"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Kind     string   `json:"kind"`
	Name     string   `json:"name,omitempty"`
	Rounds   []int    `json:"rounds,omitempty"`
	Result   string   `json:"result"`
	MS       float64  `json:"ms"`
	Detail   string   `json:"detail,omitempty"`
	Expected string   `json:"expected,omitempty"`
	Got      string   `json:"got,omitempty"`
	Received []string `json:"received,omitempty"`
}

func resultJSON(r sequence.Result) seqStepJSON {
	j := seqStepJSON{Event: "step", Step: r.Step.Number, Line: r.Step.Line, Column: r.Step.Column, Kind: r.Step.Kind.String(),
		Name: r.Step.Name, Rounds: r.Rounds, Result: r.Status.String(), MS: float64(r.Duration.Microseconds()) / 1000,
		Detail: r.Detail, Expected: r.Expected, Got: r.Got, Received: r.Received}
	if !r.Start.IsZero() {
		j.Time, j.TimeMS = r.Start.Format("2006-01-02T15:04:05.000Z07:00"), r.Start.UnixMilli()
	}
	return j
}

// printSummary prints the run's outcome and counts.
func printSummary(w io.Writer, rep *sequence.Report, asJSON bool) {
	result := "pass"
	if !rep.Passed() {
		result = rep.Failed.Status.String()
	}
	passed, failed, skipped := rep.Count(sequence.Passed), rep.Count(sequence.Failed)+rep.Count(sequence.Stopped), rep.Count(sequence.Skipped)
	if asJSON {
		b, _ := json.Marshal(map[string]any{"event": "summary", "result": result, "passed": passed, "failed": failed,
			"skipped": skipped, "ms": float64(rep.Duration.Microseconds()) / 1000})
		fmt.Fprintf(w, "%s\n", b)
		return
	}
	fmt.Fprintf(w, "RESULT %s: %d passed, %d failed, %d skipped in %.3f s\n", result, passed, failed, skipped, rep.Duration.Seconds())
}
