# concbench — see README.md. Two commands: `make bench` and `make test`.
GO      ?= go
PROFILE ?= standard
export PROFILE CORES COUNT MACHINE BENCHTIME

.PHONY: all deps test bench report compare bench-python fmt-check vet

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

test: deps fmt-check vet
	$(GO) test -race ./...

# The matrix across core counts, then the report beside the results.
bench: deps
	scripts/bench.sh
