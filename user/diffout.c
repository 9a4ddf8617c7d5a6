#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <strings.h>

#include "diffout.h"
#include "json.h"

int diff_format__parse(const char *name, enum diff_format *f)
{
	if (!strcasecmp(name, "text"))
		*f = DIFF_TEXT;
	else if (!strcasecmp(name, "markdown") || !strcasecmp(name, "md"))
		*f = DIFF_MARKDOWN;
	else if (!strcasecmp(name, "json"))
		*f = DIFF_JSON;
	else
		return -EINVAL;
	return 0;
}

static double share(int64_t part, int64_t whole)
{
	return whole > 0 ? 100.0 * (double)part / (double)whole : 0;
}

static const struct delta *metric(const struct diff_fn *f, bool by_self)
{
	return by_self ? &f->d_self : &f->d_total;
}

static const int64_t *counts(const struct diff_fn *f, bool by_self)
{
	return by_self ? f->self : f->total;
}

/* Relative change as text: "+4.0%", "new", "gone". */
static const char *rel_text(double rel, char *buf, size_t len)
{
	if (isinf(rel))
		return "new";
	if (rel <= -100)
		return "gone";
	snprintf(buf, len, "%+.1f%%", rel);
	return buf;
}

static const char *gate_change(const struct gate *g, const struct gate_result *r, char *buf,
			       size_t len, bool noise)
{
	double v = noise ? (g->unit == GATE_PP ? r->delta.noise_pp : r->delta.noise_rel) : r->value;

	if (isinf(v))
		return noise ? "n/a" : "new";
	snprintf(buf, len, noise ? "±%.2f%s" : "%+.2f%s", v, g->unit == GATE_PP ? "pp" : "%");
	return buf;
}

static const char *gate_verdict(const struct gate_result *r)
{
	if (r->tripped)
		return "TRIPPED";
	if (r->exceeds)
		return "noise";
	return r->seen ? "ok" : "unseen";
}

static size_t count_tripped(const struct diffout_opts *o)
{
	size_t i, n = 0;

	for (i = 0; i < o->ngates; i++)
		n += o->results[i].tripped;
	return n;
}

/* ---- text ----------------------------------------------------------------- */

static void text_table(struct diffstat *d, const struct diffout_opts *o, bool by_self, FILE *fp)
{
	size_t i, rows = 0;
	char noise[32];

	diffstat__sort(d, by_self);
	fprintf(fp, "\ntop changes by %s share:\n  %8s %8s %9s %9s %9s %9s  %s\n",
		by_self ? "self" : "inclusive", "base", "head", "change", "noise", "base n",
		"head n", "function");
	for (i = 0; i < d->n && (!o->top || rows < o->top); i++) {
		const struct delta *m = metric(&d->fns[i], by_self);
		const int64_t *c = counts(&d->fns[i], by_self);

		if (m->pp == 0)
			continue;
		rows++;
		/* "±" is two bytes and one column: one more byte of width. */
		snprintf(noise, sizeof(noise), "±%.2fpp", m->noise_pp);
		fprintf(fp, "%c %7.2f%% %7.2f%% %+7.2fpp %10s %9" PRId64 " %9" PRId64 "  %s\n",
			m->noise ? '~' : ' ', share(c[0], d->samples[0]),
			share(c[1], d->samples[1]), m->pp, noise, c[0], c[1], d->fns[i].name);
	}
	if (!rows)
		fputs("  (none)\n", fp);
}

static void text_runtime(const struct diffstat *d, FILE *fp)
{
	char noise[32];
	int f;

	fprintf(fp, "\nGo runtime (inclusive share of samples):\n  %8s %8s %9s %9s %9s %9s  %s\n",
		"base", "head", "change", "noise", "base n", "head n", "family");
	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		const struct delta *m = &d->d_family[f];
		const int64_t *c = d->family[f];

		snprintf(noise, sizeof(noise), "±%.2fpp", m->noise_pp);
		fprintf(fp, "%c %7.2f%% %7.2f%% %+7.2fpp %10s %9" PRId64 " %9" PRId64 "  %s\n",
			m->noise ? '~' : ' ', share(c[0], d->samples[0]),
			share(c[1], d->samples[1]), m->pp, noise, c[0], c[1], rt_family__name(f));
	}
}

static void text_gates(const struct diffout_opts *o, FILE *fp)
{
	char a[32], b[32];
	size_t i;

	fprintf(fp, "\ngates (%zu, %zu tripped):\n", o->ngates, count_tripped(o));
	for (i = 0; i < o->ngates; i++) {
		const struct gate *g = &o->gates[i];
		const struct gate_result *r = &o->results[i];

		fprintf(fp, "  %-8s %-32s %10s  (noise %s)", gate_verdict(r), g->expr,
			gate_change(g, r, a, sizeof(a), false),
			gate_change(g, r, b, sizeof(b), true));
		if (!r->seen)
			fputs("  no such frame in either profile", fp);
		else if (!r->tripped && r->exceeds)
			fputs("  within the noise interval; --strict would trip it", fp);
		fputc('\n', fp);
	}
}

static void write_text(struct diffstat *d, const struct diffout_opts *o, FILE *fp)
{
	char buf[32];

	fprintf(fp, "podflame diff: %s -> %s\n", o->base_name, o->head_name);
	fprintf(fp, "samples: %" PRId64 " -> %" PRId64 " (%s%s)\n", d->samples[0], d->samples[1],
		rel_text(d->d_samples.rel, buf, sizeof(buf)),
		d->d_samples.noise ? ", within noise" : "");
	fprintf(fp, "compared: %s; '~' marks a change within the %g%% noise interval\n",
		d->opts.normalize ? "shares of each side's samples" : "raw counts",
		d->opts.confidence * 100);
	text_runtime(d, fp);
	text_table(d, o, false, fp);
	text_table(d, o, true, fp);
	if (o->ngates)
		text_gates(o, fp);
}

/* ---- Markdown ------------------------------------------------------------- */

/* A name as inline code in a table cell: '|' must be escaped even inside
 * code spans (GFM), and a backtick would end the span. */
static void md_code(const char *s, FILE *fp)
{
	fputc('`', fp);
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", fp);
		else if (*s == '`')
			fputc('\'', fp);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', fp);
		else
			fputc(*s, fp);
	}
	fputc('`', fp);
}

static void md_table(struct diffstat *d, const struct diffout_opts *o, bool by_self, FILE *fp)
{
	size_t i, rows = 0;

	diffstat__sort(d, by_self);
	fputs("| function | base | head | change | noise |\n|---|---:|---:|---:|---:|\n", fp);
	for (i = 0; i < d->n && (!o->top || rows < o->top); i++) {
		const struct delta *m = metric(&d->fns[i], by_self);
		const int64_t *c = counts(&d->fns[i], by_self);

		if (m->pp == 0)
			continue;
		rows++;
		fputs("| ", fp);
		md_code(d->fns[i].name, fp);
		fprintf(fp,
			" | %.2f%% (%" PRId64 ") | %.2f%% (%" PRId64
			") | %s%+.2fpp%s | ±%.2fpp |\n",
			share(c[0], d->samples[0]), c[0], share(c[1], d->samples[1]), c[1],
			m->noise ? "" : "**", m->pp, m->noise ? " ~" : "**", m->noise_pp);
	}
	if (!rows)
		fputs("| (no change) | | | | |\n", fp);
}

static void md_runtime(const struct diffstat *d, FILE *fp)
{
	int f;

	fputs("#### Go runtime\n\n| family | base | head | change | noise |\n"
	      "|---|---:|---:|---:|---:|\n",
	      fp);
	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		const struct delta *m = &d->d_family[f];
		const int64_t *c = d->family[f];

		fprintf(fp,
			"| %s | %.2f%% (%" PRId64 ") | %.2f%% (%" PRId64
			") | %s%+.2fpp%s | ±%.2fpp |\n",
			rt_family__name(f), share(c[0], d->samples[0]), c[0],
			share(c[1], d->samples[1]), c[1], m->noise ? "" : "**", m->pp,
			m->noise ? " ~" : "**", m->noise_pp);
	}
	fputc('\n', fp);
}

static void md_gates(const struct diffout_opts *o, FILE *fp)
{
	static const char *const verdicts[] = { "❌ tripped", "✅ passed (within noise)", "✅ passed",
						"⚠️ no such frame" };
	size_t i, tripped = count_tripped(o);
	char a[32], b[32];

	if (tripped)
		fprintf(fp, "**❌ %zu of %zu gate%s tripped**\n\n", tripped, o->ngates,
			o->ngates == 1 ? "" : "s");
	else
		fprintf(fp, "**✅ %zu gate%s passed**\n\n", o->ngates, o->ngates == 1 ? "" : "s");
	fputs("| gate | change | noise | result |\n|---|---:|---:|---|\n", fp);
	for (i = 0; i < o->ngates; i++) {
		const struct gate_result *r = &o->results[i];
		int v = r->tripped ? 0 : r->exceeds ? 1 : r->seen ? 2 : 3;

		fputs("| ", fp);
		md_code(o->gates[i].expr, fp);
		fprintf(fp, " | %s | %s | %s |\n",
			gate_change(&o->gates[i], r, a, sizeof(a), false),
			gate_change(&o->gates[i], r, b, sizeof(b), true), verdicts[v]);
	}
	fputc('\n', fp);
}

static void write_markdown(struct diffstat *d, const struct diffout_opts *o, FILE *fp)
{
	char buf[32];

	fputs("### podflame diff\n\n", fp);
	md_code(o->base_name, fp);
	fputs(" → ", fp);
	md_code(o->head_name, fp);
	fprintf(fp, ": %" PRId64 " → %" PRId64 " samples (%s%s)\n\n", d->samples[0], d->samples[1],
		rel_text(d->d_samples.rel, buf, sizeof(buf)),
		d->d_samples.noise ? ", within noise" : "");
	if (o->ngates)
		md_gates(o, fp);
	md_runtime(d, fp);
	fputs("#### Top changes by inclusive share\n\n", fp);
	md_table(d, o, false, fp);
	fputs("\n<details><summary>Top changes by self share</summary>\n\n", fp);
	md_table(d, o, true, fp);
	fputs("\n</details>\n\n", fp);
	fprintf(fp,
		"<sub>%s. Counts in parentheses. Bold: outside the %g%% noise interval; "
		"~: sampling noise alone explains it.</sub>\n",
		d->opts.normalize ? "Shares of each side's samples" : "Raw counts",
		d->opts.confidence * 100);
}

/* ---- JSON ----------------------------------------------------------------- */

static void json_delta(const struct delta *m, FILE *fp)
{
	fputs("{\"delta_pp\": ", fp);
	json__number(fp, m->pp);
	fputs(", \"relative_pct\": ", fp);
	json__number(fp, m->rel);
	fputs(", \"noise_pp\": ", fp);
	json__number(fp, m->noise_pp);
	fprintf(fp, ", \"noise\": %s}", m->noise ? "true" : "false");
}

static void json_runtime(const struct diffstat *d, FILE *fp)
{
	int f;

	fputs("  \"runtime\": [", fp);
	for (f = 0; f < RT_FAMILY__COUNT; f++) {
		fputs(f ? ",\n    {\"family\": " : "\n    {\"family\": ", fp);
		json__string(fp, rt_family__name(f));
		fprintf(fp, ", \"base\": %" PRId64 ", \"head\": %" PRId64 ", \"inclusive\": ",
			d->family[f][0], d->family[f][1]);
		json_delta(&d->d_family[f], fp);
		fputc('}', fp);
	}
	fputs("\n  ],\n", fp);
}

static void json_functions(struct diffstat *d, const struct diffout_opts *o, FILE *fp)
{
	size_t i, rows = 0;

	diffstat__sort(d, false);
	fputs("  \"functions\": [", fp);
	for (i = 0; i < d->n && (!o->top || rows < o->top); i++) {
		const struct diff_fn *f = &d->fns[i];

		if (f->d_total.pp == 0 && f->d_self.pp == 0)
			continue;
		fputs(rows++ ? ",\n    {\"name\": " : "\n    {\"name\": ", fp);
		json__string(fp, f->name);
		fprintf(fp,
			", \"base\": {\"self\": %" PRId64 ", \"inclusive\": %" PRId64 "}"
			", \"head\": {\"self\": %" PRId64 ", \"inclusive\": %" PRId64 "}",
			f->self[0], f->total[0], f->self[1], f->total[1]);
		fputs(", \"inclusive\": ", fp);
		json_delta(&f->d_total, fp);
		fputs(", \"self\": ", fp);
		json_delta(&f->d_self, fp);
		fputc('}', fp);
	}
	fputs(rows ? "\n  ],\n" : "],\n", fp);
}

static void json_gates(const struct diffout_opts *o, FILE *fp)
{
	size_t i;

	fputs("  \"gates\": [", fp);
	for (i = 0; i < o->ngates; i++) {
		const struct gate *g = &o->gates[i];
		const struct gate_result *r = &o->results[i];

		fputs(i ? ",\n    {\"expr\": " : "\n    {\"expr\": ", fp);
		json__string(fp, g->expr);
		fprintf(fp, ", \"unit\": \"%s\", \"threshold\": ", g->unit == GATE_PP ? "pp" : "%");
		json__number(fp, g->threshold);
		fputs(", \"value\": ", fp);
		json__number(fp, r->value);
		fprintf(fp,
			", \"base\": %" PRId64 ", \"head\": %" PRId64
			", \"seen\": %s, \"exceeds\": %s, \"noise\": %s, \"tripped\": %s, "
			"\"delta\": ",
			r->count[0], r->count[1], r->seen ? "true" : "false",
			r->exceeds ? "true" : "false", r->delta.noise ? "true" : "false",
			r->tripped ? "true" : "false");
		json_delta(&r->delta, fp);
		fputc('}', fp);
	}
	fputs(o->ngates ? "\n  ],\n" : "],\n", fp);
}

static void write_json(struct diffstat *d, const struct diffout_opts *o, FILE *fp)
{
	fputs("{\n  \"base\": {\"source\": ", fp);
	json__string(fp, o->base_name);
	fprintf(fp, ", \"samples\": %" PRId64 "},\n  \"head\": {\"source\": ", d->samples[0]);
	json__string(fp, o->head_name);
	fprintf(fp, ", \"samples\": %" PRId64 "},\n", d->samples[1]);
	fprintf(fp,
		"  \"normalized\": %s,\n  \"confidence\": ", d->opts.normalize ? "true" : "false");
	json__number(fp, d->opts.confidence);
	fputs(",\n  \"z\": ", fp);
	json__number(fp, d->z);
	fputs(",\n  \"samples_change\": {\"relative_pct\": ", fp);
	json__number(fp, d->d_samples.rel);
	fprintf(fp, ", \"noise\": %s},\n", d->d_samples.noise ? "true" : "false");
	json_runtime(d, fp);
	json_functions(d, o, fp);
	json_gates(o, fp);
	fprintf(fp, "  \"strict\": %s,\n  \"tripped\": %zu\n}\n", o->strict ? "true" : "false",
		count_tripped(o));
}

int diffout__write(struct diffstat *d, enum diff_format f, const struct diffout_opts *o, FILE *fp)
{
	switch (f) {
	case DIFF_TEXT: write_text(d, o, fp); return 0;
	case DIFF_MARKDOWN: write_markdown(d, o, fp); return 0;
	case DIFF_JSON: write_json(d, o, fp); return 0;
	}
	return -EINVAL;
}
