# The README's two commands: `make play` and `make test`.
.PHONY: play test build setup bench fuzz golden mutants

## Build everything and serve the playground on http://127.0.0.1:8080
play:
	bash scripts/setup.sh
	bash scripts/build.sh
	node scripts/serve.mjs --port 8080

## Install what is missing and run every test suite
test:
	bash scripts/test.sh

## Build the npm package into pkg/
build:
	bash scripts/setup.sh
	bash scripts/build.sh

## Install the toolchain pieces and npm dev dependencies that are missing
setup:
	bash scripts/setup.sh

## Print speed and size figures against the peers (not asserted): native, then through WASM in Node
bench:
	bash scripts/setup.sh
	bash scripts/build.sh
	cargo run --quiet --release --example bench
	cargo run --quiet --release --example bench_twiml
	node scripts/bench.mjs
	node scripts/bench_twiml.mjs
	node scripts/bench_transfer.mjs
	node scripts/bench_page.mjs --rounds 3
	node scripts/size_budget.mjs

## Fuzz each target with AFL++ for FUZZ_SECONDS (default 60); FUZZ_EXECS=N runs to N executions instead
fuzz:
	bash scripts/setup.sh
	bash scripts/fuzz.sh

## Rewrite tests/golden/<id>.txt from the current engine and print the diff to review
golden:
	bash scripts/golden.sh

## Mutation testing over src/transfer, src/sip and src/twiml (slow; not part of `make test`)
mutants:
	bash scripts/mutants.sh
