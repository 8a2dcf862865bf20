// Package clocale keeps a C or POSIX locale from making Fyne complain. Under
// LANG=C.UTF-8 — the default of many container images and CI runners — Fyne's
// lang package parses "C" as a language tag while it initializes and logs three
// "Error parsing user locale C" lines, before main runs, for every command. The
// command line must not depend on Fyne's start-up, and the app in such a locale
// should start in English, silently.
//
// main imports this package for its side effect. Its init runs before Fyne's:
// Go initializes packages in import-path order among those whose imports are
// done, and this package needs only os and strings, which Fyne's lang package
// needs too (through golang.org/x/text, whose path sorts after this one).
// TestCLIQuietInCLocale in package main checks the outcome.
package clocale

import (
	"os"
	"strings"
)

func init() { Apply() }

// Apply sets LANGUAGE=en when the locale in effect (LC_ALL, else LC_MESSAGES, else
// LANG, as gettext reads them) is C or POSIX with a codeset (C.UTF-8), and
// LANGUAGE is unset. LANGUAGE names the language of messages only, and English
// is what a C locale means; Fyne's locale reader then sees "en".
func Apply() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		base, _, _ := strings.Cut(v, ".")
		if (base == "C" || base == "POSIX") && v != base {
			os.Setenv("LANGUAGE", "en")
		}
		return
	}
}
