#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flamegraph/runtime_share.h"
#include "gate.h"
#include "report.h"

const char *gate_op__str(enum gate_op op)
{
	static const char *const ops[] = { ">", ">=", "<", "<=" };

	return (unsigned)op < 4 ? ops[op] : "?";
}

/* "[+|-]NUMBER(pp|%)" exactly. -EINVAL with a reason. */
static int parse_threshold(const char *s, struct gate *g, const char **why)
{
	char *end;
	double v;

	if (!*s) {
		*why = "no threshold after the comparison";
		return -EINVAL;
	}
	if (!((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.')) {
		*why = "the threshold is not a number";
		return -EINVAL;
	}
	v = strtod(s, &end);
	if (end == s || !isfinite(v)) {
		*why = "the threshold is not a number";
		return -EINVAL;
	}
	if (!strcmp(end, "pp")) {
		g->unit = GATE_PP;
	} else if (!strcmp(end, "%")) {
		g->unit = GATE_PERCENT;
	} else {
		*why = *end ? "the threshold's unit is not pp (percentage points of share) or % "
			      "(relative change)"
			    : "the threshold has no unit: add pp (percentage points of share) or % "
			      "(relative change)";
		return -EINVAL;
	}
	g->threshold = v;
	return 0;
}

/* The operator: the last '<' or '>' whose remainder parses as a threshold
 * (names may contain '<' and '>'). Returns its position or NULL. */
static const char *find_op(const char *expr, struct gate *g, const char **why)
{
	const char *p, *found = NULL;
	const char *first_why = NULL;

	for (p = expr + strlen(expr); p-- > expr;) {
		const char *t;

		if (*p != '<' && *p != '>')
			continue;
		t = p + 1 + (p[1] == '=');
		while (*t == ' ')
			t++;
		if (!parse_threshold(t, g, why)) {
			found = p;
			g->op = *p == '>' ? (p[1] == '=' ? GATE_GE : GATE_GT)
					  : (p[1] == '=' ? GATE_LE : GATE_LT);
			break;
		}
		if (!first_why)
			first_why = *why; /* the rightmost operator's problem */
	}
	if (!found)
		*why = first_why ? first_why
				 : "no comparison: write SUBJECT>THRESHOLD, e.g. "
				   "'runtime.schedule>+2pp' or 'total>+10%'";
	return found;
}

static const char *const family_keys[RT_FAMILY__COUNT] = {
	[RT_SCHEDULE] = "schedule",
	[RT_GC_WORKER] = "gc-worker",
	[RT_GC_ASSIST] = "gc-assist",
};

static int parse_family(struct gate *g, const char *s, size_t len, const char **why)
{
	int f;

	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		if (strlen(family_keys[f]) == len && !strncmp(s, family_keys[f], len)) {
			if (g->self) {
				*why = "a runtime family has no self share: drop self:";
				return -EINVAL;
			}
			g->subject = GATE_FAMILY;
			g->family = f;
			return 0;
		}
	}
	*why = "unknown runtime family: use @schedule, @gc-worker or @gc-assist";
	return -EINVAL;
}

static int parse_subject(struct gate *g, const char *s, size_t len, const char **why, char *rerr,
			 size_t rerr_len)
{
	int rc;

	while (len && s[len - 1] == ' ')
		len--;
	while (len && *s == ' ')
		s++, len--;
	if (len >= 5 && !strncmp(s, "self:", 5)) {
		g->self = true;
		s += 5, len -= 5;
	}
	if (!len) {
		*why = "no function name before the comparison";
		return -EINVAL;
	}
	if (len == 5 && !strncmp(s, "total", 5)) {
		g->subject = GATE_TOTAL;
		if (g->self) {
			*why = "self:total means nothing: total has no self share";
			return -EINVAL;
		}
		if (g->unit == GATE_PP) {
			*why = "total takes a relative change (%), not pp: it is a count, not a share";
			return -EINVAL;
		}
		return 0;
	}
	if (*s == '@')
		return parse_family(g, s + 1, len - 1, why);
	if (len >= 2 && s[0] == '/' && s[len - 1] == '/') {
		s++, len -= 2;
		g->subject = GATE_REGEX;
	} else {
		g->subject = GATE_NAME;
	}
	if (!len) {
		*why = "empty regex //";
		return -EINVAL;
	}
	g->name = strndup(s, len);
	if (!g->name)
		return -ENOMEM;
	if (g->subject == GATE_REGEX) {
		rc = regcomp(&g->re, g->name, REG_EXTENDED | REG_NOSUB);
		if (rc) {
			size_t n = (size_t)snprintf(rerr, rerr_len, "bad regex: ");

			if (n < rerr_len)
				regerror(rc, &g->re, rerr + n, rerr_len - n);
			*why = rerr;
			return -EINVAL;
		}
		g->has_re = true;
	}
	return 0;
}

int gate__parse(const char *expr, struct gate *g, char *err, size_t err_len)
{
	const char *why = NULL, *op;
	char rerr[128];
	int rc;

	memset(g, 0, sizeof(*g));
	/* Surrounding blanks (from shell quoting or YAML) mean nothing. */
	while (*expr == ' ' || *expr == '\t')
		expr++;
	g->expr = strdup(expr);
	if (!g->expr)
		return -ENOMEM;
	for (rc = (int)strlen(g->expr); rc > 0 && strchr(" \t\n", g->expr[rc - 1]); rc--)
		g->expr[rc - 1] = 0;
	expr = g->expr;
	op = find_op(expr, g, &why);
	rc = op ? parse_subject(g, expr, (size_t)(op - expr), &why, rerr, sizeof(rerr)) : -EINVAL;
	if (rc == -EINVAL && err_len)
		snprintf(err, err_len, "'%s': %s", expr, why);
	if (rc)
		gate__release(g);
	return rc;
}

void gate__release(struct gate *g)
{
	if (g->has_re)
		regfree(&g->re);
	free(g->name);
	free(g->expr);
	memset(g, 0, sizeof(*g));
}

static bool match_name(void *ctx, const char *name)
{
	const struct gate *g = ctx;

	if (g->subject == GATE_REGEX)
		return !regexec(&g->re, name, 0, NULL, 0);
	return !strcmp(name, g->name);
}

static bool compare(enum gate_op op, double v, double t)
{
	switch (op) {
	case GATE_GT: return v > t;
	case GATE_GE: return v >= t;
	case GATE_LT: return v < t;
	case GATE_LE: return v <= t;
	}
	return false;
}

int gate__eval(const struct gate *g, const struct profile *base, const struct profile *head,
	       const struct diff_opts *o, bool strict, struct gate_result *r)
{
	double z = diffstat__z(o->confidence);
	int err;

	memset(r, 0, sizeof(*r));
	r->samples[0] = profile__total(base);
	r->samples[1] = profile__total(head);
	if (g->subject == GATE_TOTAL) {
		r->count[0] = r->samples[0];
		r->count[1] = r->samples[1];
		diffstat__counts(r->count[0], r->count[1], z, &r->delta);
	} else if (g->subject == GATE_FAMILY) {
		struct rt_share share;

		if ((err = report__runtime_shares(base, &share)))
			return err;
		r->count[0] = (int64_t)share.sum[g->family];
		if ((err = report__runtime_shares(head, &share)))
			return err;
		r->count[1] = (int64_t)share.sum[g->family];
		diffstat__shares(r->count[0], r->samples[0], r->count[1], r->samples[1], z,
				 o->normalize, &r->delta);
	} else {
		void *ctx = (void *)g;

		if ((err = report__count_matching(base, g->self, match_name, ctx, &r->count[0])) ||
		    (err = report__count_matching(head, g->self, match_name, ctx, &r->count[1])))
			return err;
		diffstat__shares(r->count[0], r->samples[0], r->count[1], r->samples[1], z,
				 o->normalize, &r->delta);
	}
	r->seen = r->count[0] || r->count[1];
	r->value = g->unit == GATE_PP ? r->delta.pp : r->delta.rel;
	r->exceeds = compare(g->op, r->value, g->threshold);
	r->tripped = r->exceeds && (strict || !r->delta.noise);
	return 0;
}
