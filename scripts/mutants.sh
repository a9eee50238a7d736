#!/usr/bin/env bash
# Mutation testing with cargo-mutants over the core's folders, one at a time:
#   bash scripts/mutants.sh               # src/transfer, src/sip, src/twiml, then src/scenario
#   bash scripts/mutants.sh transfer sip  # only those folders
#   MUTANTS_ITERATE=1 bash scripts/mutants.sh transfer   # test again only what the last run did not catch
#   MUTANTS_SHARD=1/4 bash scripts/mutants.sh sip        # a sample: every 4th mutant (round robin)
#   git diff BASE HEAD -- src/sip > sip.diff
#   MUTANTS_DIFF=sip.diff bash scripts/mutants.sh sip    # only the mutants in lines that diff adds
#                                                        # (cargo mutants --in-diff): code changed since BASE
#   cargo mutants --list -f 'src/transfer/*.rs' > all.txt; (edit all.txt down)
#   MUTANTS_LIST=all.txt bash scripts/mutants.sh transfer # only the mutants named there, one a line as
#                                                        # `cargo mutants --list` prints them (with line and
#                                                        # column): the rest of a run that was cut short
#   MUTANTS_JOBS=2 bash scripts/mutants.sh               # two builds at once, each in its own target dir (default one)
#   MUTANTS_SHUFFLE=1 bash scripts/mutants.sh transfer   # mutants in random order (default: file order),
#                                                        # so a run cut short has tested a random sample
#   MUTANTS_TIMEOUT=60 ...                               # a test run's timeout in seconds (default 20; the
#                                                        # unmutated run is timed too: raise it under load)
#   MUTANTS_TARGET_DIR=target/mutants/build2 ...         # another build directory, for a second run
#                                                        # side by side (both would wait on one directory's lock)
# Each mutant is one small change to the code (a return value, an operator, a
# deleted `!`); the folder's tests should fail on it ("caught"). Prints caught /
# missed / timeout / unviable per folder and how long it took, and lists every
# missed mutant that tests/mutants-accepted.md does not explain. Exits 1 when
# there is such a mutant, 0 otherwise. Not part of `make test`: it takes long
# (see the README's testing section for the measured times).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! cargo mutants --version 2>/dev/null | grep -q '^cargo-mutants 27\.'; then
  cargo install cargo-mutants --version '^27'
fi

# The integration tests are one binary (tests/it/), so a mutant is built once with `--lib --test it`;
# each folder's run then skips the modules of tests/it/ that never reach it (libtest's --skip, a
# substring: `MOD::` names no test of the lib, whose 33 tests live under src/), which keeps each
# mutant's run short. No doctests. `--lib` runs the unit tests inside
# src/ (the exact-length texts of src/transfer/text.rs, the bounds of the prepared scenario's
# caches in known.rs, the message writer's, the parser's): without it their mutants were all
# reported missed. The transfer property test (transfer_props, 600 fixed cases) is left out of
# the transfer run: under load it took half of each mutant's time and the goldens cover the same
# paths. exhaustive (30 s in a debug build) is in no set.
# Each feature's own test module joins the sets of the folders it reaches (status callbacks,
# timeLimit/hangupOnStar/ringTone, outcome words, webhook timeouts, schema warnings in the
# transfer set; parse_view, the diagnostics cap and the TwiML checks of those features and of
# <Refer> in the twiml set). span is not in the sip set: it tests src/span.rs, and its timing test fails under
# load, which would count a mutant as caught that no sip test catches. engine_address
# is: it reads addresses through parse_uri and Scheme::of.
# pausing is in the transfer and scenario sets: when the world reacts to an input
# (Engine::has_steps, read by Simulation::advance) shows only in a run that pauses at webhooks.
tests_for() {
  case "$1" in
    transfer) echo "answer_details leaves_bridge engine engine_rules outcome_table scenarios golden mutants_transfer undialable refer_verb answering status_callbacks dial_time outcome_words webhook_timeout schema_warnings shared_str notify_failure sip_uri_headers empty_refer_url narration_snapshots run_detail page_audit relative_urls new_user_findings following_fixes redirect_answers content_type narration_honesty pausing in_progress empty_answer valid_refer_answers aob_false_failure fidelity_round13 sdp" ;;
    sip) echo "refer_to refer_message engine engine_address golden mutants_sip sip_uri_headers status_callbacks sdp" ;;
    scenario) echo "answer_details scenarios undialable scenario_errors scenario_paths prepared golden endpoints webhook_timeout relative_url relative_urls schema_warnings refer_verb explanations notify_failure status_callbacks narration_snapshots run_detail new_user_findings following_fixes redirect_answers scenario_too_large content_type narration_honesty pausing in_progress empty_answer valid_refer_answers aob_false_failure fidelity_round13 webhook_url_values" ;;
    twiml) echo "twiml_parse twiml_check twiml_corpus twiml_view parse_limits undialable golden mutants_twiml schema_warnings dial_time answering status_callbacks refer_verb attribute_suggestion twiml_compact bom empty_refer_url new_user_findings following_fixes" ;;
    *) echo "unknown folder $1 (transfer, sip, twiml or scenario)" >&2; exit 2 ;;
  esac
}
# The modules of tests/it/ (its main.rs's `mod NAME;` lines) that a folder's run skips.
skipped_for() {
  local keep=" $(tests_for "$1") common timeline "
  sed -n 's/^mod \([a-z0-9_]*\);$/\1/p' tests/it/main.rs | while read -r m; do
    case "$keep" in *" $m "*) ;; *) printf '%s::\n' "$m" ;; esac
  done
}

# Cheaper builds: no debug info (a mutant's build is mostly codegen and linking), and one
# target directory for every folder's copy of the tree, so dependencies are built once.
export CARGO_PROFILE_DEV_DEBUG=0 CARGO_PROFILE_TEST_DEBUG=0
export CARGO_TARGET_DIR="$(realpath -m "${MUTANTS_TARGET_DIR:-target/mutants/build}")"
# Shared machines: one build at a time, and a test run that hangs is a timeout after 20 s
# (the selected tests take about 1 s; a loaded machine, a few).
JOBS="${MUTANTS_JOBS:-1}"
# Two or more jobs must not share that directory: cargo-mutants builds each job's mutant in its
# own copy of the tree, and with one CARGO_TARGET_DIR a job ran test binaries the other job had
# just built. Measured: with MUTANTS_JOBS=2, `above + 1 -> above - 1` in twiml's edit_distance
# was reported missed after a 2 s "build", though every test of tests/it/attribute_suggestion.rs
# fails on it (overflow), as the one-job run reported. So each job builds in its copy's own
# target directory (a cold build per job first).
if [ "$JOBS" -gt 1 ]; then
  unset CARGO_TARGET_DIR
  echo "MUTANTS_JOBS=$JOBS: each job builds in its own target directory (cold builds first)" >&2
fi

accepted=tests/mutants-accepted.md
unexplained=0
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=(transfer sip twiml scenario)
for folder in "${folders[@]}"; do
  out="target/mutants/$folder"
  mkdir -p "$out"
  start=$(date +%s)
  # The test selection goes to both the build and the test run (--cargo-arg), one word each.
  tests_for "$folder" >/dev/null || exit 2
  selection=(--cargo-arg=--lib --cargo-arg=--test --cargo-arg=it --cargo-test-arg=--)
  for module in $(skipped_for "$folder"); do selection+=(--cargo-test-arg=--skip="$module"); done
  # The unit test reading the whole catalogue and thousands of broken variations of it as serde
  # does (src/scenario/input.rs) takes 7 s of CPU in a debug build, 40 s at load 14, past the
  # timeout, and tests the scenario reader only: the other folders' runs skip it.
  [ "$folder" = scenario ] || selection+=(--cargo-test-arg=--skip=scenario::input::same_as_serde::the_catalogue_and_variations)
  [ -n "${MUTANTS_ITERATE:-}" ] && selection+=(--iterate)
  [ -n "${MUTANTS_SHARD:-}" ] && selection+=(--shard "$MUTANTS_SHARD" --sharding round-robin)
  [ -n "${MUTANTS_DIFF:-}" ] && selection+=(--in-diff "$MUTANTS_DIFF")
  # Each listed name becomes an anchored --re (its regex characters escaped). cargo-mutants 27
  # does not filter `delete field` mutants by --re: those of the folder are tested whether listed or not.
  if [ -n "${MUTANTS_LIST:-}" ]; then
    while IFS= read -r name; do
      [ -n "$name" ] && selection+=(--re "^$(printf '%s' "$name" | sed 's/[][\\.*^$()+?{}|]/\\&/g')\$")
    done < "$MUTANTS_LIST"
  fi
  if [ -n "${MUTANTS_SHUFFLE:-}" ]; then selection+=(--shuffle); else selection+=(--no-shuffle); fi
  cargo mutants --jobs "$JOBS" --timeout "${MUTANTS_TIMEOUT:-20}" --build-timeout 300 \
    -f "src/$folder/*.rs" -o "$out" "${selection[@]}" || status=$?
  took=$(( $(date +%s) - start ))
  case "${status:-0}" in 0|2|3) ;; *) echo "cargo mutants failed on src/$folder (exit ${status})" >&2; exit "$status" ;; esac
  unset status
  dir="$out/mutants.out"
  count() { [ -f "$dir/$1.txt" ] && wc -l < "$dir/$1.txt" || echo 0; }
  caught=$(count caught) missed=$(count missed) timeout=$(count timeout) unviable=$(count unviable)
  viable=$(( caught + missed + timeout ))
  score=$(( viable > 0 ? (caught + timeout) * 1000 / viable : 1000 ))
  printf '\n==== src/%s: %s caught, %s missed, %s timeout, %s unviable; %s.%s%% of viable caught (timeouts count as caught); %d min %d s\n' \
    "$folder" "$caught" "$missed" "$timeout" "$unviable" $(( score / 10 )) $(( score % 10 )) $(( took / 60 )) $(( took % 60 ))
  if [ -f "$dir/previously_caught.txt" ]; then
    echo "     (MUTANTS_ITERATE: $(count previously_caught) more were caught or unviable in the last run and not tested again)"
  fi
  # A missed mutant is explained when tests/mutants-accepted.md names it (line and column left out).
  while IFS= read -r line; do
    name="${line#*:*:*: }"
    file="${line%%:*}"
    if ! grep -qF -- "$file: $name" "$accepted"; then
      echo "  missed, not in $accepted: $line"
      unexplained=$(( unexplained + 1 ))
    fi
  done < <([ -f "$dir/missed.txt" ] && cat "$dir/missed.txt")
done
if [ "$unexplained" -gt 0 ]; then
  echo "$unexplained missed mutant(s) need a test, or a line in $accepted saying why they cannot change behaviour" >&2
  exit 1
fi
