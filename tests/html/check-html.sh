#!/usr/bin/env bash
# Renders Verify's HTML trace views in headless Chromium and checks that the browser built the pages:
# for an actor model, one lane per actor, a monitor lane with hot and cold marks, arrows, and the bug
# marker; for a kernel model (a committed KVM/RCU trace), lanes per CPU and context, the jiffies, the
# monitor's window, the folded prefix and the bug step, and how the browser laid them out; and the
# Chrome trace-event JSON of the same replay, parsed by the browser.
# Not part of `dotnet test` (the suite must not need a browser); run it by hand or in CI:
#
#   tests/html/check-html.sh            # installs Debian's chromium if it is missing (needs root)
#   KEEP=1 tests/html/check-html.sh     # keep the page, DOM dump and screenshot; prints where
#
# Exit 0 when every check passes, 3 when chromium is missing and cannot be installed, 1 otherwise. The screenshots (page.png, kernel.png) are for a person to look at.
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
    n=$(grep -o "$3" "$work/dom.html" | wc -l || true)
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

# A kernel model's trace (traces/kvm-rcu: rcuc/1 woken at jiffies 102 while the migrated vCPU re-enters the
# guest on cpu1 at 103): lanes per CPU and context, the jiffies, the monitor's window, the bug step, and the
# Chrome trace-event JSON of the same replay.
kernel=traces/kvm-rcu/C.VcpuMigrated.NoRcucWakeupBeforeReentry.trace
set +e
"$verify" replay "$kernel" --html "$work/kernel.html" --perfetto "$work/kernel.json" >/dev/null
replay=$?
set -e
[ "$replay" -eq 2 ] || { echo "check-html: expected exit 2 from the replay of $kernel, got $replay"; exit 1; }
timeout 120 "${chrome[@]}" --dump-dom "file://$work/kernel.html" >"$work/dom.html" 2>/dev/null
check "kernel: lanes, one per CPU context"           12 '<div class="lh '
check "kernel: cpu1's rcuc/1 lane"                   1 'data-lane="cpu1 rcuc/1"'
check "kernel: cpu0's interrupt lane"                1 'data-lane="cpu0 \[irq\]"'
check "kernel: CPU columns cpu0, cpu1, hk"           3 '<div class="ph" data-place="\(cpu0\|cpu1\|hk\)"'
check "kernel: no lane named after an actor"         0 'data-lane="[^"]*Machine'
check "kernel: no 'handles the default event'"       0 'handles the default event'
check "kernel: a rule at each do_timer()"            3 '<div class="row[^"]* tick[ "]'
check "kernel: the monitor's window shaded"          + '<div class="row[^"]* window[ "]'
check "kernel: the prefix folded"                    1 '<details class="prefix"><summary>Steps 0 to '
check "kernel: one bug step"                         1 '<div class="row[^"]* bug" data-step="'
check "kernel: the bug step's trigger"               1 'triggered when <b>NoRcucWakeupBeforeReentry observes GuestEnter(Cpu=1, Jiffies=103)</b>'
check "kernel: the bug step's message"               1 '<div class="bug-text">BUG Assertion: rcuc/1 was woken at jiffies 102'

# How the browser laid it out: a copy of the page with a script that measures it writes what it found into the DOM.
measure='<script>
const px = e => e.getBoundingClientRect();
const out = [];
const lanes = [...document.querySelectorAll(".row.head .lh")];
out.push("lanes-drawn=" + lanes.filter(e => px(e).width >= 10 && px(e).height >= 20).length);
const places = [...document.querySelectorAll(".row.head .ph")].map(e => px(e).left);
out.push("places-left-to-right=" + places.every((x, i) => i === 0 || x > places[i - 1]));
const texts = [...document.querySelectorAll(".row .text, .row .mon, .row .span")].filter(e => e.offsetParent !== null);
out.push("clipped-cells=" + texts.filter(e => e.scrollWidth > e.clientWidth + 1).length);
out.push("page-wider-than-window=" + (document.documentElement.scrollWidth > window.innerWidth));
const opens = document.querySelector("main > .row.window");
out.push("window-on-first-screen=" + (px(opens).bottom < window.innerHeight));
const folded = document.querySelector("details.prefix .row[data-step]");
out.push("folded-rows-hidden=" + (folded !== null && !folded.checkVisibility()));
const bug = document.querySelector(".row.bug");
out.push("bug-outlined=" + (getComputedStyle(bug).outlineStyle === "solid" && px(bug).height > 30));
const ran = bug.querySelectorAll(".l.ran").length;
out.push("bug-step-lane-filled=" + (ran === 1));
const pre = document.createElement("pre"); pre.id = "measured"; pre.textContent = out.join("\n"); document.body.appendChild(pre);
</script>'
sed 's#</body>#'"$(printf '%s' "$measure" | tr '\n' ' ' | sed 's/[&#\\]/\\&/g')"'</body>#' "$work/kernel.html" >"$work/kernel-measure.html"
timeout 120 "${chrome[@]}" --window-size=1280,900 --dump-dom "file://$work/kernel-measure.html" >"$work/dom.html" 2>/dev/null
check "kernel (layout): every lane drawn"            1 'lanes-drawn=12'
check "kernel (layout): CPUs left to right"          1 'places-left-to-right=true'
check "kernel (layout): no text cell cut off"        1 'clipped-cells=0'
check "kernel (layout): no sideways scrolling"       1 'page-wider-than-window=false'
check "kernel (layout): window on the first screen"  1 'window-on-first-screen=true'
check "kernel (layout): the prefix hidden"           1 'folded-rows-hidden=true'
check "kernel (layout): the bug step outlined"       1 'bug-outlined=true'
check "kernel (layout): its CPU's lane filled"       1 'bug-step-lane-filled=true'
timeout 120 "${chrome[@]}" --window-size=1280,900 --screenshot="$work/kernel.png" "file://$work/kernel.html" >/dev/null 2>&1

# The Chrome trace-event JSON, parsed and checked by the browser's own JSON parser (Perfetto's UI needs a network).
{
    printf '<!DOCTYPE html><html><body><script type="application/json" id="trace">'
    sed 's#</#<\\/#g' "$work/kernel.json"
    printf '</script><script>
let out;
try {
  const t = JSON.parse(document.getElementById("trace").textContent);
  const ev = t.traceEvents;
  const bad = ev.filter(e => !["M", "X", "i", "C", "b", "e"].includes(e.ph) || typeof e.ts !== "number" || !Number.isInteger(e.pid) || !Number.isInteger(e.tid));
  const names = ev.filter(e => e.ph === "M" && e.name === "thread_name").map(e => e.args.name);
  const steps = new Set(ev.filter(e => e.ph === "X" && e.dur > 0).map(e => e.ts));
  const last = Math.max(...steps);
  const begins = ev.filter(e => e.ph === "b").map(e => e.id).sort().join();
  const ends = ev.filter(e => e.ph === "e").map(e => e.id).sort().join();
  out = ["json=parsed", "malformed-events=" + bad.length, "threads-irq-rcuc=" + (names.includes("[irq]") && names.includes("rcuc/1")),
         "slice-every-step=" + (steps.size === last + 1), "jiffies-counter=" + ev.filter(e => e.ph === "C" && e.name === "jiffies").length,
         "async-pairs=" + (begins.length > 0 && begins === ends), "global-bug=" + ev.filter(e => e.ph === "i" && e.s === "g").length];
} catch (x) { out = ["json=" + x]; }
const pre = document.createElement("pre"); pre.textContent = out.join("\\n"); document.body.appendChild(pre);
</script></body></html>'
} >"$work/json.html"
timeout 120 "${chrome[@]}" --dump-dom "file://$work/json.html" >"$work/dom.html" 2>/dev/null
check "perfetto: well-formed JSON"                   1 '<pre>json=parsed'
check "perfetto: every event has ph, ts, pid, tid"   1 'malformed-events=0'
check "perfetto: threads for [irq] and rcuc/1"       1 'threads-irq-rcuc=true'
check "perfetto: a slice at every step"              1 'slice-every-step=true'
check "perfetto: the jiffies counter (100 to 103)"   1 'jiffies-counter=4'
check "perfetto: windows begin and end"              1 'async-pairs=true'
check "perfetto: the bug as a global instant"        1 'global-bug=1'

size=$(stat -c %s "$work/page.png" 2>/dev/null || echo 0)
if [ "$size" -gt 10000 ]; then echo "ok    screenshot $work/page.png ($size bytes)"; else echo "FAIL  screenshot missing or empty"; fail=1; fi
size=$(stat -c %s "$work/kernel.png" 2>/dev/null || echo 0)
if [ "$size" -gt 10000 ]; then echo "ok    screenshot $work/kernel.png ($size bytes)"; else echo "FAIL  kernel screenshot missing or empty"; fail=1; fi
exit $fail
