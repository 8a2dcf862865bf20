# Sockdesk: `make run` starts the desktop app, `make test` runs every check.
# Both install the Debian/Ubuntu packages Fyne needs when they are missing.

GO      ?= go
BIN     ?= bin/sockdesk
PKGS    := ./...

# What building a Fyne app needs on Debian/Ubuntu (C compiler, pkg-config, GL and X11 headers).
BUILD_DEBS := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
              libxinerama-dev libxi-dev libxxf86vm-dev
# What the tests add: a virtual X server for real-window checks, and tshark to check
# --pcap files against Wireshark's dissectors (measured on Debian 12: 21 MB download,
# about 20 s to fetch and install, 122 MB on disk; those tests skip without it).
TEST_DEBS  := xvfb xauth tshark
# What packaging adds: a Windows cross compiler and NSIS for the installer.
PACKAGE_DEBS := gcc-mingw-w64-x86-64 nsis
# What checking the packages adds: the desktop-entry and AppStream validators, and
# tools to read an .rpm.
CHECK_DEBS := desktop-file-utils appstream rpm rpm2cpio cpio
# A CJK font so Chinese, Japanese and Korean text renders (Fyne falls back to system fonts).
FONT_RUN   := fonts-noto-cjk
FONT_TEST  := fonts-wqy-microhei

.PHONY: all build run test fmt-check vet staticcheck unit window-check screenshots \
        package package-linux package-windows package-darwin package-check workflow-lint \
        nfpm deps-build deps-test deps-run deps-package deps-check clean

all: build

# The version, commit and date from git, stamped into the binary (sockdesk --version).
VERSION_LDFLAGS = $(shell scripts/version.sh --ldflags)

build: deps-build
	@mkdir -p $(dir $(BIN))
	$(GO) build -ldflags "$(VERSION_LDFLAGS)" -o $(BIN) .

run: deps-run
	$(GO) run .

test: deps-test fmt-check vet staticcheck unit window-check

# The real window under a virtual X server: open every kind of session, save a PNG,
# and fail if the picture is blank.
# The app runs with a scratch config folder: its saved settings are not touched, and
# the picture does not depend on them.
SHOT ?= bin/window.png
SHOT_ENV = XDG_CONFIG_HOME=$$(mktemp -d) LANG=en_US.UTF-8
window-check: build
	$(SHOT_ENV) xvfb-run -a -s "-screen 0 1280x1000x24" $(BIN) --screenshot $(SHOT)
	$(GO) run scripts/pngcheck.go $(SHOT)

# Refresh the screenshots shown in the README, in English and in Chinese, at the
# default window size (1000x700) and a larger one (1280x900). SOCKDESK_LANG picks
# the UI language over the saved preference, SOCKDESK_SIZE the window's size.
SHOT_XVFB = xvfb-run -a -s "-screen 0 1400x1000x24"
screenshots: build
	@for lang in en zh-Hans; do \
	  sfx=$$( [ $$lang = en ] || echo -zh ); \
	  for shot in "1000x700 udp sockdesk" "1000x700 tcpserver server" "1280x900 relay relay-1280" "1280x900 plot plot-1280" "1280x900 trace trace" \
	              "1000x700 messages messages" "1280x900 messageedit message-edit-1280" "1000x700 sequence sequence" \
	              "1280x900 anatomy anatomy" "1280x900 handshake handshake"; do \
	    set -- $$shot; \
	    echo "docs/$$3$$sfx.png ($$lang, $$1, $$2)"; \
	    SOCKDESK_LANG=$$lang SOCKDESK_SIZE=$$1 $(SHOT_ENV) $(SHOT_XVFB) $(BIN) --screenshot docs/$$3$$sfx.png $$2 || exit 1; \
	  done; \
	done

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

# staticcheck, pinned; `go run` fetches it once through the module proxy and
# caches the build. A finding is silenced only with a //lint:ignore and its reason.
STATICCHECK_VERSION := v0.8.2
staticcheck:
	GOFLAGS= $(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) $(PKGS)

unit:
	$(GO) test -race -count=1 $(PKGS)

# Release files into dist/, named after the version git gives (scripts/version.sh):
# Linux .deb, .rpm and .tar.xz; Windows setup.exe and its two programs; SHA256SUMS.
# Built from a scratch copy of the source: packaging never changes the work tree.
package: package-linux package-windows
	GO=$(GO) scripts/package.sh sums

package-linux: deps-build nfpm
	GO=$(GO) scripts/package.sh linux

package-windows: deps-package
	GO=$(GO) scripts/package.sh windows

# Only on macOS (the release workflow's macOS job): the .app in a .dmg.
package-darwin:
	GO=$(GO) scripts/package.sh darwin

# Build the release files, then check them (scripts/check-packages.sh says what),
# including that packaging left `git status` as it was.
package-check: deps-check
	@mkdir -p bin && git status --porcelain --untracked-files=all > bin/tree-before-package.txt
	$(MAKE) --no-print-directory package
	GO=$(GO) scripts/check-packages.sh bin/tree-before-package.txt

# nfpm builds the .deb and the .rpm.
NFPM_VERSION := v2.48.0
nfpm:
	GOFLAGS= $(GO) install github.com/goreleaser/nfpm/v2/cmd/nfpm@$(NFPM_VERSION)

# The GitHub workflows cannot run here; actionlint checks their YAML and their
# GitHub Actions semantics, and with shellcheck installed their bash steps too;
# shellcheck also checks the scripts they and the Makefile run.
ACTIONLINT_VERSION := v1.7.12
workflow-lint:
	@scripts/ensure-debs.sh shellcheck
	GOFLAGS= $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	$$($(GO) env GOPATH)/bin/actionlint .github/workflows/*.yml
	shellcheck scripts/*.sh .ci/run

deps-package: deps-build
	@scripts/ensure-debs.sh $(PACKAGE_DEBS)

deps-check:
	@scripts/ensure-debs.sh $(CHECK_DEBS)

deps-build:
	@scripts/ensure-debs.sh $(BUILD_DEBS)

deps-run: deps-build
	@scripts/ensure-debs.sh --cjk-font $(FONT_RUN)

deps-test: deps-build
	@scripts/ensure-debs.sh $(TEST_DEBS)
	@scripts/ensure-debs.sh --cjk-font $(FONT_TEST)

clean:
	rm -rf bin dist

# Fuzz each target in netio for FUZZTIME (30s by default; e.g. make fuzz FUZZTIME=10s).
# The committed seeds in netio/testdata/fuzz run with every go test; a crasher found
# here is written there too, to be committed with its fix. Minimizing a new input
# may otherwise take 60s, during which a short run fuzzes nothing, hence the bound.
FUZZTIME         ?= 30s
FUZZMINIMIZETIME ?= 5s
FUZZTARGETS := FuzzParseHex FuzzParseEscapes FuzzDecoderSplit FuzzSplitHostPort FuzzParsePort \
               FuzzEventLine FuzzDisplayText
.PHONY: fuzz
fuzz:
	@GO=$(GO) scripts/fuzz.sh $(FUZZTIME) $(FUZZMINIMIZETIME) $(FUZZTARGETS)

# The speed targets, each next to a baseline program in the same run; prints a table
# (see BENCHMARKS.md). Sizes come from BENCH_* variables, e.g.
# make bench BENCH_CASES=3,6 BENCH_TCP_BYTES=268435456. Loopback traffic only.
.PHONY: bench
bench: deps-build
	$(GO) run ./bench/harness

# Case 5 in the real window: the app (built with the probe tag, which makes it report
# its batches to the file SOCKDESK_PROBE names) under a virtual X server, a UDP session opened
# and closed by xdotool clicks while `sockdesk gen` feeds it at full rate, without and
# with kv extraction drawn by the Plot tool (see BENCHMARKS.md). UI_RUNS and UI_SECONDS
# set the runs of each case and the feed's length.
UI_RUNS    ?= 3
UI_SECONDS ?= 10
.PHONY: bench-ui
bench-ui: deps-build deps-test
	@scripts/ensure-debs.sh xdotool
	$(GO) build -tags probe -o bin/sockdesk-probe .
	xvfb-run -a -s "-screen 0 1280x800x24" $(GO) run ./bench/uiwindow -bin bin/sockdesk-probe -runs $(UI_RUNS) -seconds $(UI_SECONDS)
