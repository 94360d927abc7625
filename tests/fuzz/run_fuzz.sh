#!/usr/bin/env bash
# One fuzz run: replay the seed corpus, then explore for SECONDS. The corpus is copied into
# WORK_DIR (inside the build directory) so new inputs never land in the repository.
# A crash, leak, sanitizer report, timeout or violated property fails the run and names the
# reproducer; repeat it with:  FUZZ_BINARY REPRODUCER
#   run_fuzz.sh FUZZ_BINARY SEED_CORPUS WORK_DIR SECONDS MAX_LEN [DICTIONARY]
set -uo pipefail
binary=$1 seeds=$2 work=$3 seconds=$4 max_len=$5 dictionary=${6:-}

mkdir -p "$work/corpus" "$work/artifacts"
cp -f "$seeds"/* "$work/corpus/"
rm -f "$work"/artifacts/*

options=(-max_total_time="$seconds" -max_len="$max_len" -timeout=25 -rss_limit_mb=2048
         -print_final_stats=1 -artifact_prefix="$work/artifacts/")
[ -n "$dictionary" ] && options+=(-dict="$dictionary")

echo "fuzz: $binary ${options[*]} $work/corpus"
status=0
"$binary" "${options[@]}" "$work/corpus" >"$work/fuzz.log" 2>&1 || status=$?
# The start (seed replay), the end (statistics) and any report in between.
grep -E '^#|INFO: seed corpus|ERROR|SUMMARY|WARNING|property violated|^stat::|Done ' "$work/fuzz.log" | tail -n 40
reproducers=$(ls "$work"/artifacts 2>/dev/null)
if [ "$status" -ne 0 ] || [ -n "$reproducers" ]; then
  echo "fuzz: FINDING (exit $status); the whole log: $work/fuzz.log"
  tail -n 60 "$work/fuzz.log"
  for file in $reproducers; do
    echo "fuzz: reproducer $work/artifacts/$file - repeat with: $binary $work/artifacts/$file"
  done
  exit 1
fi
echo "fuzz: no finding in ${seconds}s"
