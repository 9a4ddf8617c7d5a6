#!/usr/bin/env bash
# podflame convert, folded <-> pprof, checked by the real reader: Debian's
# `go tool pprof`. Fixtures are folded text in the shapes podflame, perf
# (stackcollapse-perf --all) and bcc write: a process root frame, kernel
# frames with _[k], [unknown] frames, names with spaces and brackets.
source "$(dirname "$0")/../lib.sh"
source "$ROOT/tests/integration/lib_pprof.bash"
require_cmd go

cat >"$WORK/canonical.folded" <<'EOF'
[unknown];[unknown];runtime.mstart;runtime.sysmon;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k] 2
checkout;runtime.goexit;main.(*Server).handle;encoding/json.Marshal;runtime.mallocgc 17
checkout;runtime.goexit;main.(*Server).handle;main.work 120
checkout;runtime.goexit;main.(*Server).handle;main.work;asm_sysvec_apic_timer_interrupt_[k] 3
checkout;runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable;runtime.stealWork 41
checkout;runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable;runtime.stealWork;runtime.runqsteal 5
curl;__libc_start_main;main;curl_easy_perform;std::vector<int, std::allocator<int> >::push_back 9
EOF

# 1. folded -> pprof -> folded is byte-identical on podflame's own output.
check "convert folded -> pprof" "$PODFLAME" convert "$WORK/canonical.folded" "$WORK/a.pb.gz"
check "output is gzip" test "$(head -c2 "$WORK/a.pb.gz" | od -An -tx1 | tr -d ' ')" = 1f8b
check "convert pprof -> folded" "$PODFLAME" convert "$WORK/a.pb.gz" "$WORK/a.folded"
if cmp -s "$WORK/canonical.folded" "$WORK/a.folded"; then
	ok "round trip folded -> pprof -> folded is byte-identical"
else
	not_ok "round trip folded -> pprof -> folded is byte-identical" "$(diff "$WORK/canonical.folded" "$WORK/a.folded")"
fi

# 2. The real reader agrees with the folded totals and with report.
want=$(folded_total "$WORK/canonical.folded")
got=$(pprof_raw_total "$WORK/a.pb.gz")
check "go tool pprof -raw total ($got) == folded total ($want)" test "$got" -eq "$want"
if n=$(compare_top "$WORK/a.pb.gz" "$WORK/canonical.folded"); then
	ok "go tool pprof -top flat/cum == podflame report self/inclusive ($n functions)"
else
	not_ok "go tool pprof -top flat/cum == podflame report self/inclusive"
fi
go tool pprof -raw "$WORK/a.pb.gz" >"$WORK/raw.txt" 2>&1
check "sample types samples/count then cpu/nanoseconds" grep -q '^samples/count cpu/nanoseconds$' "$WORK/raw.txt"
check "period 1e9/99 ns (the -F default)" grep -q '^Period: 10101010$' "$WORK/raw.txt"
check "kernel frames on [kernel.kallsyms]" grep -q ' \[kernel.kallsyms\]' "$WORK/raw.txt"
check "no addresses from folded input" test -z "$(awk '/^Locations/ { l = 1; next } /^Mappings/ { l = 0 } l && $2 != "0x0" && $1 ~ /^[0-9]+:$/' "$WORK/raw.txt")"
go tool pprof -traces -symbolize=none "$WORK/a.pb.gz" >"$WORK/traces.txt" 2>&1
check "-traces reads it (C++ name intact)" grep -qF 'std::vector<int, std::allocator<int> >::push_back' "$WORK/traces.txt"

# 3. -F sets the period of folded input.
"$PODFLAME" convert -F 250 "$WORK/canonical.folded" "$WORK/f250.pb.gz"
check "-F 250 gives period 4000000" grep -q '^Period: 4000000$' <(go tool pprof -raw "$WORK/f250.pb.gz" 2>&1)

# 4. Any folded input (unsorted, repeated stacks, gzip) converts to the same
# pprof as its canonical form.
sort -r "$WORK/canonical.folded" | awk '{ c = $NF; $NF = ""; sub(/ $/, ""); h = int(c / 2); if (h) print $0, h; print $0, c - h }' | gzip >"$WORK/messy.folded.gz"
"$PODFLAME" convert "$WORK/messy.folded.gz" "$WORK/messy.pb.gz"
check "unsorted, split and gzipped folded input gives the same pprof bytes" cmp -s "$WORK/a.pb.gz" "$WORK/messy.pb.gz"
"$PODFLAME" convert "$WORK/messy.pb.gz" - >"$WORK/stdout.folded"
check "'-' writes folded to stdout" cmp -s "$WORK/canonical.folded" "$WORK/stdout.folded"
"$PODFLAME" convert --no-comm "$WORK/a.pb.gz" "$WORK/nocomm.folded"
check "--no-comm keeps folded input's root frames (they are frames, not labels)" cmp -s "$WORK/canonical.folded" "$WORK/nocomm.folded"
"$PODFLAME" convert "$WORK/a.pb.gz" "$WORK/a.json"
check ".json writes the report" grep -q '"samples": 197' "$WORK/a.json"

# 5. Bad input: a clear error or a counted, reported skip.
printf 'a;b 3\nno count here\na;c 1.5\na;b 2\n' >"$WORK/bad.folded"
"$PODFLAME" convert "$WORK/bad.folded" "$WORK/bad.pb.gz" 2>"$WORK/bad.err"
check "malformed and fractional lines are skipped and reported" \
	grep -q "skipped 1 malformed line (first: line 2" "$WORK/bad.err"
check "fractional count reported" grep -q "fractional count (1.5 samples)" "$WORK/bad.err"
check "the rest converts" test "$(pprof_raw_total "$WORK/bad.pb.gz")" -eq 5
head -c 300 "$WORK/a.pb.gz" >"$WORK/truncated.pb.gz"
"$PODFLAME" convert "$WORK/truncated.pb.gz" "$WORK/out.folded" 2>"$WORK/trunc.err"
rc=$?
check "truncated pprof: exit 1" test "$rc" -eq 1
check "truncated pprof: says so" grep -q "truncated.pb.gz: corrupt or truncated gzip stream" "$WORK/trunc.err"
check "no output left behind" test ! -e "$WORK/out.folded"
gzip -dc "$WORK/a.pb.gz" | head -c 200 >"$WORK/cut.pb"
"$PODFLAME" convert "$WORK/cut.pb" "$WORK/out.folded" 2>"$WORK/cut.err"
check "cut protobuf: exit 1 naming the problem" grep -q "cut.pb: not a valid pprof: malformed protobuf (at byte" "$WORK/cut.err"
"$PODFLAME" convert "$WORK/canonical.folded" "$WORK/out.png" 2>/dev/null
check "unknown output extension: exit 2" test $? -eq 2
"$PODFLAME" convert "$WORK/missing.folded" "$WORK/out.folded" 2>"$WORK/missing.err"
check "missing input: exit 1" test $? -eq 1
check "missing input: names the file and cause" grep -q "reading $WORK/missing.folded: No such file or directory" "$WORK/missing.err"
"$PODFLAME" convert --help >"$WORK/help.txt"
check "--help exits 0" test $? -eq 0
check "--help says folded input has no addresses" grep -q "Folded text has no addresses" "$WORK/help.txt"
"$PODFLAME" convert "$WORK/canonical.folded" 2>/dev/null
check "one argument: exit 2" test $? -eq 2
finish
