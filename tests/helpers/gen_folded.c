/* gen_folded: a deterministic generator of Go-like folded profiles, for the
 * flame-graph tests and benchmarks.
 *
 *   gen_folded [-n STACKS] [-s SAMPLES] [-r SEED] [-d MAXDEPTH]
 *
 * Writes exactly STACKS distinct stacks whose counts add up to exactly
 * SAMPLES. The shape is a Go service whose GOMAXPROCS is too high: HTTP
 * handlers walking a call graph of a few thousand functions with long
 * package paths (allocations, GC assists, syscalls into the kernel at the
 * leaves), plus the scheduler (runtime.schedule / findRunnable, stealing,
 * futex sleeps) and the background mark workers. Same arguments, same bytes,
 * on every machine: the PRNG and every table are here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t rng_state;

static uint64_t next(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(next() % n);
}

static double unit(void)
{
	return (double)(next() >> 11) / (double)(1ull << 53);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const pkgs[] = {
	"github.com/acme/shop/internal/cart",
	"github.com/acme/shop/internal/payments",
	"github.com/acme/shop/internal/search",
	"github.com/acme/shop/internal/recommend",
	"github.com/acme/shop/internal/inventory",
	"github.com/acme/shop/pkg/store",
	"github.com/acme/shop/pkg/middleware",
	"github.com/acme/shop/pkg/auth",
	"google.golang.org/grpc",
	"google.golang.org/grpc/internal/transport",
	"google.golang.org/protobuf/proto",
	"github.com/jackc/pgx/v5/pgconn",
	"github.com/jackc/pgx/v5",
	"github.com/redis/go-redis/v9",
	"go.uber.org/zap",
	"go.uber.org/zap/zapcore",
	"github.com/prometheus/client_golang/prometheus",
	"encoding/json",
	"compress/gzip",
	"crypto/tls",
	"bufio",
	"strings",
	"strconv",
	"sort",
	"bytes",
	"reflect",
	"context",
	"sync",
	"fmt",
	"net/http",
	"net",
	"time",
};
static const char *const types[] = {
	"Server", "Client", "Handler",	 "Conn",  "Pool",   "Encoder",	"Decoder",
	"Cache",  "Store",  "Processor", "Batch", "Queue",  "Worker",	"Session",
	"Router", "Tx",	    "Rows",	 "Span",  "Logger", "Registry",
};
static const char *const verbs[] = {
	"ServeHTTP", "Handle",	"Process", "Encode",   "Decode",    "Marshal",	 "Unmarshal",
	"Get",	     "Put",	"Lookup",  "Flush",    "Write",	    "Read",	 "Exec",
	"Query",     "Scan",	"Do",	   "Run",      "Next",	    "Validate",	 "Authorize",
	"Render",    "Compute", "Resolve", "Dispatch", "Serialize", "withRetry", "loadLocked",
};
static const char *const runtime_leaves[] = {
	"runtime.mallocgc;runtime.nextFreeFast",
	"runtime.mallocgc;runtime.(*mcache).nextFree;runtime.(*mcache).refill",
	"runtime.memmove",
	"runtime.memclrNoHeapPointers",
	"runtime.mapaccess2_faststr;runtime.aeshashbody",
	"runtime.growslice;runtime.mallocgc",
	"runtime.convTstring;runtime.mallocgc",
	"runtime.newobject;runtime.mallocgc",
	"runtime.slicebytetostring",
	"runtime.concatstrings;runtime.rawstringtmp",
	"runtime.selectgo;runtime.sellock",
	"runtime.chansend1;runtime.chansend;runtime.lock2",
	"sync.(*Mutex).Lock;sync.(*Mutex).lockSlow;runtime.semacquire1",
	"sync.(*Mutex).Unlock;sync.(*Mutex).unlockSlow;runtime.semrelease1;runtime.readyWithTime",
};
static const char *const assist =
	"runtime.mallocgc;runtime.gcAssistAlloc;runtime.systemstack;runtime.gcAssistAlloc.func1;"
	"runtime.gcAssistAlloc1;runtime.gcDrainN";
static const char *const syscalls[] = {
	"syscall.Syscall;syscall.RawSyscall6;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];"
	"__x64_sys_write_[k];ksys_write_[k];vfs_write_[k]",
	"internal/poll.(*FD).Read;syscall.Read;syscall.Syscall;entry_SYSCALL_64_after_hwframe_[k];"
	"do_syscall_64_[k];__x64_sys_read_[k];ksys_read_[k];vfs_read_[k]",
	"internal/poll.(*FD).Write;syscall.Write;syscall.Syscall;entry_SYSCALL_64_after_hwframe_[k];"
	"do_syscall_64_[k];__x64_sys_sendto_[k];__sys_sendto_[k];tcp_sendmsg_[k]",
	"runtime.futex;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_futex_[k];"
	"do_futex_[k];futex_wake_[k];wake_up_q_[k];try_to_wake_up_[k]",
};
static const char *const kernel_tail[] = {
	"_raw_spin_unlock_irqrestore_[k]",
	"__schedule_[k]",
	"finish_task_switch.isra.0_[k]",
	"copy_user_enhanced_fast_string_[k]",
	"tcp_write_xmit_[k]",
	"__ip_queue_xmit_[k]",
	"ip_finish_output2_[k]",
	"__dev_queue_xmit_[k]",
	"skb_copy_datagram_iter_[k]",
	"ext4_file_write_iter_[k]",
	"generic_perform_write_[k]",
	"__check_object_size_[k]",
	"apparmor_file_permission_[k]",
	"security_file_permission_[k]",
	"mutex_lock_[k]",
	"select_task_rq_fair_[k]",
	"enqueue_task_fair_[k]",
	"ttwu_do_activate_[k]",
};
static const char *const sched_heads[] = {
	"runtime.mcall;runtime.park_m;runtime.schedule;runtime.findRunnable",
	"runtime.mstart;runtime.mstart0;runtime.mstart1;runtime.schedule;runtime.findRunnable",
	"runtime.mcall;runtime.goschedImpl;runtime.schedule;runtime.findRunnable",
	"runtime.mcall;runtime.goexit0;runtime.schedule;runtime.findRunnable",
};
static const char *const sched_tails[] = {
	"runtime.stealWork;runtime.runqsteal;runtime.runqgrab",
	"runtime.stealWork;runtime.checkTimers;runtime.runtimer",
	"runtime.stealWork;runtime.runqgrab;runtime.usleep;entry_SYSCALL_64_after_hwframe_[k];"
	"do_syscall_64_[k];__x64_sys_nanosleep_[k];hrtimer_nanosleep_[k];do_nanosleep_[k]",
	"runtime.netpoll;runtime.epollwait;entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];"
	"__x64_sys_epoll_wait_[k];do_epoll_wait_[k];ep_poll_[k]",
	"runtime.stopm;runtime.mPark;runtime.notesleep;runtime.futexsleep;runtime.futex;"
	"entry_SYSCALL_64_after_hwframe_[k];do_syscall_64_[k];__x64_sys_futex_[k];do_futex_[k];"
	"futex_wait_[k];futex_wait_queue_[k];schedule_[k]",
	"runtime.nanotime1",
	"runtime.lock2;runtime.procyield",
};
static const char *const gc_tails[] = {
	"runtime.gcDrainMarkWorkerDedicated;runtime.gcDrain;runtime.scanobject;runtime.greyobject",
	"runtime.gcDrainMarkWorkerDedicated;runtime.gcDrain;runtime.scanobject;runtime.findObject",
	"runtime.gcDrainMarkWorkerIdle;runtime.gcDrain;runtime.markroot;runtime.markrootBlock;"
	"runtime.scanblock",
	"runtime.gcDrainMarkWorkerFractional;runtime.gcDrain;runtime.markroot;runtime.scanstack;"
	"runtime.scanframeworker;runtime.scanblock",
	"runtime.gcDrainMarkWorkerDedicated;runtime.gcDrain;runtime.(*gcWork).balance;"
	"runtime.handoff",
};

#define NFUNCS 3000
#define MAXCALLEES 6

static char *funcs[NFUNCS];
static unsigned callees[NFUNCS][MAXCALLEES], ncallees[NFUNCS];

static void build_program(void)
{
	char buf[512];
	unsigned i, j;

	for (i = 0; i < NFUNCS; i++) {
		const char *p = pkgs[below(N(pkgs))], *t = types[below(N(types))];
		const char *v = verbs[below(N(verbs))];

		switch (below(4)) {
		case 0: snprintf(buf, sizeof(buf), "%s.%s%u", p, v, i); break;
		case 1: snprintf(buf, sizeof(buf), "%s.(*%s).%s%u", p, t, v, i); break;
		case 2:
			snprintf(buf, sizeof(buf), "%s.(*%s).%s%u.func%u", p, t, v, i,
				 1 + below(3));
			break;
		default: snprintf(buf, sizeof(buf), "%s.%s.%s%u", p, t, v, i);
		}
		funcs[i] = strdup(buf);
		ncallees[i] = 1 + below(MAXCALLEES);
		for (j = 0; j < ncallees[i]; j++)
			callees[i][j] = below(NFUNCS);
	}
}

/* The output line being built. */
static char line[1 << 16];
static size_t len;

static void put(const char *s)
{
	size_t n = strlen(s);

	if (len + n + 2 >= sizeof(line))
		return;
	if (len)
		line[len++] = ';';
	memcpy(line + len, s, n);
	len += n;
}

/* Callee choice skewed to the first: most calls take the common path, so
 * stacks share long prefixes as real profiles do. */
static unsigned pick(unsigned f)
{
	double u = unit();
	unsigned i = 0;

	while (i + 1 < ncallees[f] && u > 0.55) {
		u = unit();
		i++;
	}
	return callees[f][i];
}

static void app_stack(unsigned maxdepth)
{
	unsigned depth = 6 + below(maxdepth - 6), d, f = below(40);

	put("runtime.goexit");
	put("net/http.(*conn).serve");
	put("net/http.serverHandler.ServeHTTP");
	put("github.com/acme/shop/pkg/middleware.(*Chain).ServeHTTP");
	put(funcs[f]);
	for (d = 0; d < depth; d++) {
		f = pick(f);
		put(funcs[f]);
	}
	switch (below(10)) {
	case 0:
	case 1:
		put(syscalls[below(N(syscalls))]);
		put(kernel_tail[below(N(kernel_tail))]);
		break;
	case 2:
		put(assist);
		put(below(2) ? "runtime.scanobject" : "runtime.markroot;runtime.scanstack");
		break;
	default: put(runtime_leaves[below(N(runtime_leaves))]);
	}
}

static void runtime_stack(void)
{
	unsigned extra = below(4), i;

	if (below(3)) {
		put(sched_heads[below(N(sched_heads))]);
		put(sched_tails[below(N(sched_tails))]);
	} else {
		put("runtime.gcBgMarkWorker;runtime.systemstack;runtime.gcBgMarkWorker.func2");
		put(gc_tails[below(N(gc_tails))]);
	}
	/* interrupts and page faults land anywhere */
	for (i = 0; i < extra; i++)
		put(kernel_tail[below(N(kernel_tail))]);
}

/* A set of 64-bit stack hashes, to emit each stack once. */
static uint64_t *seen;
static size_t seen_cap;

static int insert(uint64_t h)
{
	size_t pos;

	h |= 1; /* 0 marks an empty slot */
	for (pos = h & (seen_cap - 1); seen[pos]; pos = (pos + 1) & (seen_cap - 1))
		if (seen[pos] == h)
			return 0;
	seen[pos] = h;
	return 1;
}

static uint64_t hash_line(void)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)line[i]) * 0x100000001b3ull;
	return h;
}

/* Heavy-tailed counts adding up to exactly total, at least 1 each. */
static uint64_t *make_counts(uint64_t n, uint64_t total)
{
	uint64_t *c = calloc(n, sizeof(*c)), sum = 0, i;
	double *w = calloc(n, sizeof(*w)), wsum = 0;

	if (!c || !w)
		return NULL;
	for (i = 0; i < n; i++) {
		double u = unit();

		w[i] = 1.0 / (0.02 + u * u); /* a few hot stacks, many cold ones */
		wsum += w[i];
	}
	for (i = 0; i < n; i++) {
		c[i] = 1 + (uint64_t)((double)(total - n) * w[i] / wsum);
		sum += c[i];
	}
	for (i = 0; sum < total; i = (i + 1) % n, sum++)
		c[i]++;
	for (i = 0; sum > total; i = (i + 1) % n)
		if (c[i] > 1)
			c[i]--, sum--;
	free(w);
	return c;
}

int main(int argc, char **argv)
{
	uint64_t stacks = 1000, samples = 100000, seed = 1, i, tries = 0, *counts;
	unsigned maxdepth = 40;
	static char out_buf[1 << 20];
	int opt;

	while ((opt = getopt(argc, argv, "n:s:r:d:")) != -1) {
		switch (opt) {
		case 'n': stacks = strtoull(optarg, NULL, 0); break;
		case 's': samples = strtoull(optarg, NULL, 0); break;
		case 'r': seed = strtoull(optarg, NULL, 0); break;
		case 'd': maxdepth = (unsigned)strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: gen_folded [-n STACKS] [-s SAMPLES] [-r SEED] "
					"[-d MAXDEPTH]\n");
			return 2;
		}
	}
	if (stacks == 0 || samples < stacks || maxdepth < 8 || maxdepth > 1000) {
		fprintf(stderr,
			"gen_folded: need 1 <= STACKS <= SAMPLES and 8 <= MAXDEPTH <= 1000\n");
		return 2;
	}
	rng_state = seed;
	build_program();
	counts = make_counts(stacks, samples);
	for (seen_cap = 1024; seen_cap < stacks * 2; seen_cap *= 2)
		;
	seen = calloc(seen_cap, sizeof(*seen));
	if (!counts || !seen)
		return 1;
	setvbuf(stdout, out_buf, _IOFBF, sizeof(out_buf));
	for (i = 0; i < stacks;) {
		len = 0;
		if (below(100) < 72)
			app_stack(maxdepth);
		else
			runtime_stack();
		if (!insert(hash_line())) {
			if (++tries > stacks * 100 + 1000000) {
				fprintf(stderr, "gen_folded: cannot find more distinct stacks\n");
				return 1;
			}
			continue;
		}
		line[len] = '\0';
		printf("%s %llu\n", line, (unsigned long long)counts[i]);
		i++;
	}
	return fflush(stdout) ? 1 : 0;
}
