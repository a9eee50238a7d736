#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ on stable Rust (`make fuzz`): builds fuzz/ with cargo-afl,
# then runs each target, one after the other, from its committed corpus (fuzz/corpus/<target>)
# and prints what afl's fuzzer_stats say. Fails when a target saved a crash, naming the files.
#
#   FUZZ_SECONDS=60 bash scripts/fuzz.sh                 # each target for 60 s (the default)
#   FUZZ_EXECS=10000000 bash scripts/fuzz.sh refer_to    # one target until 10 million executions
#   FUZZ_CMIN=1 bash scripts/fuzz.sh                     # afterwards, minimise corpus + new queue
#                                                        # back into fuzz/corpus/<target> (afl-cmin)
#   FUZZ_OUT=fuzz/out/smoke FUZZ_SECONDS=3 ...           # where afl writes (default fuzz/out)
#   FUZZ_MAXLEN=4096 ...                                 # afl's largest generated input (-G; default 1 MB)
# Targets: refer_to (parse_refer_to), twiml (parse + check_transfer + write), scenario (JSON
# through the whole simulator); their bodies are in fuzz/src/lib.rs. Findings go to
# $FUZZ_OUT/<target>/default/{crashes,hangs}; a crash worth keeping becomes a line of
# tests/it/fuzz_corpus.rs. Needs cargo-afl (`cargo install cargo-afl`, with cc and make).
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
FUZZ_OUT="${FUZZ_OUT:-fuzz/out}"
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(refer_to twiml scenario)

if ! cargo afl --version >/dev/null 2>&1; then
  echo "cargo-afl is missing: cargo install cargo-afl (needs cc and make)" >&2
  exit 1
fi

# No UI, and none of the machine-wide settings afl asks root for (CPU governor, core_pattern).
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1
export AFL_SKIP_CRASHES=1 # a committed corpus file that crashes is reported, not fatal to start

cargo afl build --quiet --release --manifest-path fuzz/Cargo.toml

stat_of() { sed -n "s/^$1 *: *//p" "$2"; }

failed=0
for t in "${TARGETS[@]}"; do
  out="$FUZZ_OUT/$t"
  rm -rf "$out"
  mkdir -p "$out"
  limit=(-V "$FUZZ_SECONDS")
  [ -z "${FUZZ_EXECS:-}" ] || limit=(-E "$FUZZ_EXECS")
  [ -z "${FUZZ_MAXLEN:-}" ] || limit+=(-G "$FUZZ_MAXLEN")
  # -t 2000: an input taking over 2 s is a hang (kept in hangs/, not a failure).
  cargo afl fuzz -i "fuzz/corpus/$t" -o "$out" "${limit[@]}" -t 2000 -- "fuzz/target/release/$t" >"$out/afl.log" 2>&1 \
    || { echo "fuzz $t: afl-fuzz failed, see $out/afl.log" >&2; tail -20 "$out/afl.log" >&2; exit 1; }
  stats="$out/default/fuzzer_stats"
  crashes="$(stat_of saved_crashes "$stats")"
  printf 'fuzz %-9s %12s execs in %5ss (%s/s), corpus %s, edges %s, crashes %s, hangs %s\n' "$t" \
    "$(stat_of execs_done "$stats")" "$(stat_of run_time "$stats")" "$(stat_of execs_per_sec "$stats")" \
    "$(stat_of corpus_count "$stats")" "$(stat_of edges_found "$stats")" "$crashes" "$(stat_of saved_hangs "$stats")"
  if [ "$crashes" != "0" ]; then
    failed=1
    ls "$out/default/crashes/" | grep -v README | sed "s|^|  crash: $out/default/crashes/|" >&2
  fi
  if [ -n "${FUZZ_CMIN:-}" ]; then
    # afl-cmin.bash: the Python afl-cmin of AFL++ 4.40c finds no coverage with persistent-mode Rust targets.
    cmin="$(find "${XDG_DATA_HOME:-$HOME/.local/share}/afl.rs" -name afl-cmin.bash -path '*/bin/*' | head -1)"
    all="$out/all"
    mkdir -p "$all"
    cp "fuzz/corpus/$t"/* "$out/default/queue"/id:* "$all/"
    rm -rf "fuzz/corpus/$t"
    # -e: keep the fewest files that reach every edge (hit counts ignored): a small committed corpus.
    PATH="$(dirname "$cmin"):$PATH" "$cmin" -e -i "$all" -o "fuzz/corpus/$t" -- "fuzz/target/release/$t" >"$out/cmin.log" 2>&1
    # Content-addressed names: the same input keeps its name across minimisations.
    for f in "fuzz/corpus/$t"/*; do mv "$f" "fuzz/corpus/$t/$(sha1sum "$f" | cut -c1-16)" 2>/dev/null || true; done
    echo "fuzz $t: corpus minimised to $(ls "fuzz/corpus/$t" | wc -l) files"
  fi
done
exit "$failed"
