#!/usr/bin/env bash
# Renders Verify's HTML trace view in headless Chromium and checks that the browser built the page:
# one lane per actor, a monitor lane with hot and cold marks, arrows, and the bug marker.
# Not part of `dotnet test` (the suite must not need a browser); run it by hand or in CI:
#
#   tests/html/check-html.sh            # installs Debian's chromium if it is missing (needs root)
#   KEEP=1 tests/html/check-html.sh     # keep the page, DOM dump and screenshot; prints where
#
# Exit 0 when every check passes, 3 when chromium is missing and cannot be installed, 1 otherwise. The screenshot (page.png) is for a person to look at.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1; then
    echo "check-html: installing chromium (Debian package)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
        echo "check-html: could not install chromium; the page was not checked"
        exit 3
    fi
fi

work=$(mktemp -d)
profile=$(mktemp -d)
cleanup() { rm -rf "$profile"; if [ -z "${KEEP:-}" ]; then rm -rf "$work"; else echo "check-html: files in $work"; fi; }
trap cleanup EXIT

if ! build=$(dotnet build -c Release tests/Harness.Tests -v q -nologo 2>&1); then
    echo "$build" | grep -E ' error ' | sort -u
    echo "check-html: the build failed"
    exit 1
fi
verify=src/Harness/bin/Release/net10.0/Verify
fixtures=tests/Harness.Tests/bin/Release/net10.0/Harness.Tests.dll

# A liveness bug: a job server loses a job, its monitor stays hot. Exit code 2 = bug found / reproduced.
set +e
"$verify" test "$fixtures" -m LostJob -i 300 --seed 3 -s random -o "$work" >/dev/null
code=$?
"$verify" replay "$fixtures" "$work/Verify.Harness.Tests.JobFixtures.LostJob.trace" --html "$work/page.html" >/dev/null
replay=$?
set -e
[ "$code" -eq 2 ] && [ "$replay" -eq 2 ] || { echo "check-html: expected exit 2 from test and replay, got $code and $replay"; exit 1; }

chrome=(chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update
        --disable-sync --no-first-run --user-data-dir="$profile")
timeout 120 "${chrome[@]}" --dump-dom "file://$work/page.html" >"$work/dom.html" 2>/dev/null
timeout 120 "${chrome[@]}" --window-size=1280,900 --screenshot="$work/page.png" "file://$work/page.html" >/dev/null 2>&1

fail=0
check() { # description, expected count (or "+" for at least one), pattern
    local n
    n=$(grep -o "$3" "$work/dom.html" | wc -l)
    if { [ "$2" = "+" ] && [ "$n" -ge 1 ]; } || [ "$n" = "$2" ]; then
        echo "ok    $1 ($n)"
    else
        echo "FAIL  $1: expected $2, found $n"; fail=1
    fi
}
check "actor lanes: test, LossyServer(1), Client(2)" 3 '<g class="lane" '
check "lane of the server"                          1 'data-actor="LossyServer(1)"><line'
check "monitor lane"                                 1 '<g class="monitor-lane" data-monitor="JobMonitor"'
check "monitor cold state marked"                    + '<g class="monitor-state cold"'
check "monitor hot state marked"                     + '<g class="monitor-state hot"'
check "arrows (sends and creations)"                 + '<path class="arrow'
check "bug marker"                                   1 '<g class="bug"'
check "bug message (page header and diagram band)"  2 'BUG at step [0-9]*: Liveness: Monitor JobMonitor detected a liveness bug: in hot state Pending'

# A lasso (stem and loop) found by the stateful search: the page marks where the loop begins.
set +e
"$verify" test "$fixtures" -m LostJobWithHeartbeat -s stateful-dfs -o "$work/lasso" >/dev/null
"$verify" replay "$fixtures" "$work/lasso/Verify.Harness.Tests.JobFixtures.LostJobWithHeartbeat.trace" --html "$work/lasso.html" >/dev/null
set -e
timeout 120 "${chrome[@]}" --dump-dom "file://$work/lasso.html" >"$work/dom.html" 2>/dev/null
check "lasso: the loop's start marked"               + 'the loop begins'
check "lasso: the bug names the fair cycle"          + 'stays hot forever on a fair cycle'

size=$(stat -c %s "$work/page.png" 2>/dev/null || echo 0)
if [ "$size" -gt 10000 ]; then echo "ok    screenshot $work/page.png ($size bytes)"; else echo "FAIL  screenshot missing or empty"; fail=1; fi
exit $fail
