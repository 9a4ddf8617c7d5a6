/* The one printer for user-facing messages, used by the command layer only.
 * Shape: "podflame CMD: SUBJECT: CAUSE (FIX)" — subject first, then cause,
 * then what to do about it. */
#ifndef PODFLAME_ERRMSG_H
#define PODFLAME_ERRMSG_H

#include <stdbool.h>

void pf_set_command(const char *name);
/* "podflame CMD: <fmt>" on stderr. */
void pf_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "podflame CMD: <fmt>: strerror(err) (fix)"; err is -errno or errno;
 * fix may be NULL. */
void pf_error_errno(int err, const char *fix, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void pf_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Informational line on stderr, suppressed by pf_set_quiet(true). */
void pf_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pf_set_quiet(bool quiet);
bool pf_is_quiet(void);

/* The fix for a privilege error from bpf() or perf_event_open(). */
const char *pf_privilege_fix(void);
/* Whether this process holds what loading and attaching the program needs:
 * then an EPERM or EACCES from loading it is the verifier's refusal. */
bool pf_has_bpf_privileges(void);

#endif
