# concbench — see README.md. Two commands: `make bench` and `make test`.
GO      ?= go
PROFILE ?= standard
# The runners' knobs (scripts/bench.sh, scripts/bench-python*.sh read them
# from the environment); PYTHONS="python3 /path/python3.14 python3.14t" and
# START_METHODS=fork,forkserver,spawn choose the Python suite's interpreters
# and process start methods; TASK="a.toml b.toml" (or a glob) adds task files
# as BenchmarkCores workloads; FUNC and ARGS run a Python function of yours
# (make bench-python, below).
export PROFILE CORES COUNT MACHINE BENCHTIME BUDGET MAX_LOOKS PYTHON_SUITE PYTHONS START_METHODS OUT BENCH TASK FUNC ARGS

.PHONY: all deps test test-python bench report compare bench-python fmt-check vet lint-workflows test-fleet cross test-arm64

all: test

# Fetch every module the build and the tests need, so a fresh clone with an
# empty module cache works.
deps:
	$(GO) mod download

fmt-check:
	@out="$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))"; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet: deps
	$(GO) vet ./...

test: deps fmt-check vet lint-workflows test-fleet cross test-python
	$(GO) test -race ./...
	@# The event loop's portable fallback (Windows's), here on Linux too.
	$(GO) test -race -tags concbench_portable -run '$(PORTABLE_TESTS)' ./bench

# The Python reference suite's self-tests under each interpreter of
# CONCBENCH_PYTHONS (default python3; .ci/run adds CPython 3.14 where
# ../shared/tools/get-python3.14 can fetch it), so that the 3.14-only paths
# (InterpreterPoolExecutor, forkserver by default) are tested where an
# interpreter for them is. One that is missing, does not run or is older
# than 3.9 is skipped with a line saying so.
test-python:
	@$(if $(CONCBENCH_PYTHONS),,echo "test-python: CONCBENCH_PYTHONS is not set: python3 only, no other interpreter (CPython 3.14: CONCBENCH_PYTHONS=\"python3 \$$(../shared/tools/get-python3.14)\")";)
	@for py in $(or $(CONCBENCH_PYTHONS),python3); do \
		if ! command -v "$$py" >/dev/null 2>&1; then \
			echo "test-python: skipping $$py: not found"; continue; \
		fi; \
		v=$$("$$py" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null) || v=; \
		if [ -z "$$v" ]; then echo "test-python: skipping $$py: it does not run"; continue; fi; \
		if ! "$$py" -c 'import sys; sys.exit(sys.version_info < (3, 9))'; then \
			echo "test-python: skipping $$py: Python $$v, older than 3.9"; continue; \
		fi; \
		echo "test-python: the Python reference suite's self-tests under $$py (Python $$v)"; \
		"$$py" -m unittest discover -s scripts/pyref -t scripts/pyref || exit 1; \
	done

# actionlint checks the GitHub workflows (and, where shellcheck is installed,
# their run: blocks and the fleet scripts). Built from source through the Go
# module proxy into .bin/, one directory per version, so a version bump
# rebuilds it.
ACTIONLINT_VERSION := v1.7.12
ACTIONLINT := .bin/actionlint-$(ACTIONLINT_VERSION)/actionlint

$(ACTIONLINT):
	GOBIN="$(CURDIR)/$(dir $(ACTIONLINT))" $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

lint-workflows: $(ACTIONLINT)
	$(ACTIONLINT)
	@if command -v shellcheck >/dev/null 2>&1; then shellcheck scripts/fleet-compare.sh scripts/fleet-compare_test.sh scripts/bench.sh .ci/run; \
	else echo "lint-workflows: no shellcheck; actionlint skipped the run: blocks, and the fleet scripts, bench.sh and .ci/run are not checked"; fi

# The fleet workflow's compare step on two committed smoke sets (seconds).
test-fleet: deps
	scripts/fleet-compare_test.sh

# The other platforms concbench runs on (README.md, "Platforms"): each must
# build and vet, and its test binaries compile. Cold, about 40–60 s a
# target on 2 CPUs (its standard library); warm, about 2 s.
CROSS ?= darwin/arm64 darwin/amd64 windows/amd64 linux/arm64 freebsd/amd64
cross: deps
	@set -e; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	for t in $(CROSS); do \
		echo "cross: $$t: go build, go vet, go test -c"; \
		export GOOS=$${t%/*} GOARCH=$${t#*/}; \
		$(GO) build ./...; \
		$(GO) vet ./...; \
		$(GO) test -c -o "$$tmp/$$GOOS-$$GOARCH/" ./...; \
	done

# linux/arm64 for real under QEMU user-mode emulation (CI runs it): the
# tests of workloads, report and cmd/concbench, and a smoke benchmark run.
test-arm64: deps
	scripts/test-arm64.sh

# The bench tests that run the event loop, for the portable fallback.
PORTABLE_TESTS = ^(Test(EventLoop.*|SameChecksumsAsExec|Overlap|SleepBatch|Cancel|ErrorNamesTask|NoFDLeak|Empty)|ExampleEventLoop)$$

# The matrix across core counts, then the report beside the results.
bench: deps
	scripts/bench.sh

# Regenerate a report: make report RESULTS=results/<machine>/<stamp>
report: deps
	@if [ -z "$(RESULTS)" ]; then echo "report: give RESULTS=dir (a result set or a bench.txt)"; exit 2; fi
	$(GO) run ./cmd/concbench report -o "$(if $(filter %.txt,$(RESULTS)),$(dir $(RESULTS)),$(RESULTS))" "$(RESULTS)"

# Compare result sets from several machines (or runs): A and B, up to 20 with
# C=… D=… or MORE="x y"; label one with label=path. Output in OUT, by default
# a new results/compare/<UTC stamp>/ (git ignores it), never over an earlier
# comparison; it says where.
compare: deps
	@if [ -z "$(A)" ] || [ -z "$(B)" ]; then echo "compare: give A=dir B=dir (a result set or bench.txt each)"; exit 2; fi
	@out='$(OUT)'; made=; \
	if [ -z "$$out" ]; then \
		stamp=$$(date -u +%Y%m%dT%H%M%SZ); out=results/compare/$$stamp; n=1; \
		while [ -e "$$out" ]; do n=$$((n + 1)); out=results/compare/$$stamp-$$n; done; \
		mkdir -p "$$out" || exit 1; made=1; \
	fi; \
	echo "compare: writing into $$out"; \
	$(GO) run ./cmd/concbench compare -o "$$out" $(A) $(B) $(C) $(D) $(MORE) || { \
		status=$$?; [ -z "$$made" ] || rmdir "$$out" 2>/dev/null; exit $$status; }

# CPython's real models on the same workloads, added to a result set of this
# machine (default: the newest under results/) as a NEW set beside it, with
# its report; the source set is never changed. PROFILE and CORES default to
# the source set's: make bench-python [RESULTS=dir]. With FUNC=module:function
# (or path/file.py:function) and ARGS=calls.json, a user's own function runs
# instead, under every model and interpreter, into a new set of its own
# (beside RESULTS when given): make bench-python FUNC=... ARGS=...
bench-python: deps
	@$(if $(filter command line environment,$(origin PROFILE)),,PROFILE= )scripts/bench-python-set.sh "$(RESULTS)"
