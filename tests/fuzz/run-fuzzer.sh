#!/bin/sh
# Runs a libFuzzer target for a fixed time from the seed corpus, with a
# scratch corpus in the build tree; crashes land beside it. Output: TAP.
#
# Usage: run-fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS [MAX_LEN]
set -u
fuzzer=$1 seeds=$2 work=$3 seconds=$4 max_len=${5:-}
name=$(basename "$fuzzer")
mkdir -p "$work/corpus" "$work/artifacts" "$seeds"

echo "1..1"
if "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
     ${max_len:+-max_len="$max_len"} \
     -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
     "$work/corpus" "$seeds" >"$work/log" 2>&1; then
  echo "ok 1 - $name ran ${seconds}s without a finding"
  grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$work/log" | sed 's/^/# /'
else
  echo "not ok 1 - $name found a problem (see $work/artifacts)"
  tail -n 60 "$work/log" | sed 's/^/# /'
  exit 1
fi
