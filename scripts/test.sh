#!/usr/bin/env bash
# `npm test`: the whole test suite. Installs what it needs, type-checks, lints, builds (which
# fails if workflow bundling fails), validates docker-compose.yml, then runs every Jest project
# (unit, workflows + replay, integration, e2e) against real PostgreSQL, Temporal and SMTP servers
# started on free ports, the portal's browser tests in Debian's Chromium (installed when missing),
# then fuzzes the API against its OpenAPI document (scripts/schemathesis.sh). Extra arguments go to
# Jest (e.g. `npm test -- --selectProjects unit`) and skip the fuzzing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
export TZ=UTC NODE_ENV=test
started=$(date +%s)
ensure_node_modules
ensure_temporal_cli --always
# Hypervisors: vcsim + govc (go install) and a running libvirtd with QEMU (apt), for their tests.
ensure_vsphere_simulator
ensure_libvirt
ensure_chromium

step "Type-checking"
"$NODE" node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
"$NODE" node_modules/typescript/bin/tsc -p apps/portal/tsconfig.json --noEmit

step "Linting and checking formatting"
"$NODE" node_modules/prettier/bin/prettier.cjs --check --log-level warn . || { echo "formatting differs: run npm run format" >&2; exit 1; }
"$NODE" node_modules/eslint/bin/eslint.js --max-warnings 0 .

step "Checking for code copied between apps, activities, workflows and libs (jscpd, .jscpd.json)"
out="$("$NODE" node_modules/jscpd/run-jscpd.js --no-colors 2>&1)" || { echo "$out" >&2; echo "a block is copied between areas: keep one copy (a libs service or the domain) and call it" >&2; exit 1; }

build

step "Validating docker-compose.yml"
bash scripts/check-compose.sh

step "Running tests"
mkdir -p .dev
results=.dev/jest-results.json
set +e
"$NODE" node_modules/jest/bin/jest.js --ci --maxWorkers=2 --json --outputFile="$results" "$@"
status=$?
set -e
summary=""
counts="0 0 0"
if [ -f "$results" ]; then
  # One read of Jest's results: its own two summary lines, kept to be printed again as the command's
  # last words (the API fuzzing output follows Jest's and is long), then "passed failed skipped" for
  # the closing line.
  jest="$("$NODE" -e '
    const r = require(process.argv[1]);
    const skipped = r.numPendingTests + r.numTodoTests;
    const part = (n, word) => (n ? `${n} ${word}, ` : "");
    console.log(`Test Suites: ${part(r.numFailedTestSuites, "failed")}${r.numPassedTestSuites} passed, ${r.numTotalTestSuites} total`);
    console.log(`Tests:       ${part(r.numFailedTests, "failed")}${part(skipped, "skipped")}${r.numPassedTests} passed, ${r.numTotalTests} total`);
    console.log(r.numPassedTests, r.numFailedTests, skipped);
  ' "$ROOT/$results")"
  summary="$(head -n 2 <<<"$jest")"
  counts="$(tail -n 1 <<<"$jest")"
  echo; echo "$summary"
fi

# The API fuzzing step needs the whole suite's verdict to mean something: it runs after a full,
# green Jest run, not when Jest was narrowed with arguments or already failed.
if [ $status -eq 0 ] && [ $# -eq 0 ]; then
  set +e
  bash scripts/schemathesis.sh --no-build 2>&1 | tee .dev/schemathesis.log
  status=${PIPESTATUS[0]}
  set -e
  # Its own closing line, "schemathesis: N passed, N failed", joins the totals below.
  read -r fuzz_passed fuzz_failed < <(sed -n 's/^schemathesis: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' .dev/schemathesis.log | tail -1; echo)
  read -r passed failed skipped <<<"$counts"
  counts="$((passed + ${fuzz_passed:-0})) $((failed + ${fuzz_failed:-0})) $skipped"
  if [ $status -eq 0 ]; then fuzz="passed (its report is above)"; else fuzz="FAILED (its report is above)"; fi
elif [ $# -gt 0 ]; then
  fuzz="skipped: Jest arguments were given; run it alone with npm run test:api-fuzz"
else
  fuzz="skipped: Jest failed"
fi
echo
echo "== npm test summary =="
[ -n "$summary" ] && echo "$summary"
echo "API fuzzing (schemathesis): $fuzz"
echo "test command finished in $(( $(date +%s) - started )) s, exit $status"
# The last line is the plain closing line CI reads: every Jest test and API fuzzing case counted.
read -r passed failed skipped <<<"$counts"
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
