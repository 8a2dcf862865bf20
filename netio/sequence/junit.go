package sequence

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"strings"
)

// The JUnit XML form CI systems read: one testsuite per sequence file, one
// testcase per step result (the connection first, each round of a repeat its
// own case, the steps not run as skipped).
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Stamp    string      `xml:"timestamp,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	Output    string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

// WriteJUnit writes rep as JUnit XML: a testsuite named after the file (or the
// sequence's name:), with a testcase per result.
func WriteJUnit(w io.Writer, rep *Report) error {
	seq := rep.Sequence
	name := seq.Name
	if name == "" {
		name = filepath.Base(seq.File)
	}
	suite := junitSuite{Name: name, Time: seconds(rep.Duration.Seconds()), Stamp: rep.Start.Format("2006-01-02T15:04:05")}
	class := strings.TrimSuffix(filepath.Base(seq.File), filepath.Ext(seq.File))
	for i := range rep.Results {
		r := &rep.Results[i]
		c := junitCase{Name: r.Name(), Classname: class, File: seq.File, Line: r.Step.Line, Time: seconds(r.Duration.Seconds())}
		switch r.Status {
		case Passed:
			c.Output = r.Detail
		case Failed, Stopped:
			c.Failure = &junitFailure{Message: r.Message(), Type: r.Status.String(), Body: failureBody(seq.File, r)}
			suite.Failures++
		case Skipped:
			c.Skipped = &junitSkipped{Message: "not run: an earlier step failed"}
			suite.Skipped++
		}
		suite.Tests++
		suite.Cases = append(suite.Cases, c)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(junitSuites{Suites: []junitSuite{suite}}); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(s float64) string { return fmt.Sprintf("%.3f", s) }

// failureBody is a failed step's full account, for the failure element.
func failureBody(file string, r *Result) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s:%d:%d: %s: %s\n", file, r.Step.Line, r.Step.Column, r.Name(), r.Status)
	if r.Expected != "" {
		fmt.Fprintf(&sb, "expected: %s\n", r.Expected)
	}
	if r.Got != "" {
		fmt.Fprintf(&sb, "got: %s\n", r.Got)
	}
	if len(r.Received) > 0 {
		sb.WriteString("received while waiting:\n")
		for _, m := range r.Received {
			sb.WriteString("  " + m + "\n")
		}
	}
	return sb.String()
}
