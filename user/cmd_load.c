#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_load.h"
#include "commands.h"
#include "errmsg.h"

static void load_error(const char *path, int err, const struct profile_load_info *info)
{
	const struct pprof_read_info *pi = &info->pprof;

	if (err == -EBADMSG && pi->gzip_error)
		pf_error("%s: %s at byte %zu (is the file complete?)", path, pi->error,
			 pi->error_offset);
	else if (err == -EBADMSG)
		pf_error("%s: not a valid pprof: %s (at byte %zu of the profile.proto message)",
			 path, pi->error ? pi->error : "malformed", pi->error_offset);
	else if (err == -EOVERFLOW)
		pf_error("%s: the sample counts add up past 2^62", path);
	else if (err == -EFBIG)
		pf_error("%s: larger than podflame reads (1 GiB, compressed or not)", path);
	else if (err == -E2BIG)
		pf_error("%s: a pprof table has more than %zu entries", path,
			 (size_t)PPROF_MAX_ENTRIES);
	else if (err == -EISDIR)
		pf_error_errno(err, "give a profile file", "%s", path);
	else
		pf_error_errno(err, NULL, "reading %s", path);
}

static void load_warnings(const char *path, const struct profile *p,
			  const struct profile_load_info *info)
{
	if (info->malformed)
		pf_warn("%s: skipped %llu malformed line%s (first: line %llu, %s)", path,
			(unsigned long long)info->malformed, info->malformed == 1 ? "" : "s",
			(unsigned long long)info->first_bad_line,
			info->first_bad_reason ? info->first_bad_reason : "?");
	if (info->fractional)
		pf_warn("%s: skipped %llu line%s with a fractional count (%g samples): "
			"profiles count whole samples",
			path, (unsigned long long)info->fractional,
			info->fractional == 1 ? "" : "s", info->skipped_samples);
	if (info->pprof.samples_skipped)
		pf_warn("%s: skipped %llu pprof sample%s with a zero or negative %s", path,
			(unsigned long long)info->pprof.samples_skipped,
			info->pprof.samples_skipped == 1 ? "" : "s", info->pprof.sample_type);
	if (info->source == PROFILE_SOURCE_PPROF && info->pprof.sample_type[0] &&
	    strcmp(info->pprof.sample_type, "samples/count"))
		pf_info("%s: counting %s (no samples/count in this pprof)", path,
			info->pprof.sample_type);
	if (!p->nsamples)
		pf_warn("%s: no samples", path);
}

int cmd_load_profile_info(const char *path, struct profile **out, struct profile_load_info *info)
{
	struct profile_load_info scratch;
	struct profile *p = profile__new();
	int err;

	if (!info)
		info = &scratch;
	*out = NULL;
	if (!p) {
		pf_error_errno(-ENOMEM, NULL, "reading %s", path);
		return PF_EXIT_ERROR;
	}
	err = profile__load_file(path, p, info);
	if (err) {
		load_error(path, err, info);
		profile__free(p);
		return PF_EXIT_ERROR;
	}
	load_warnings(path, p, info);
	*out = p;
	return PF_EXIT_OK;
}

int cmd_load_profile(const char *path, struct profile **out)
{
	return cmd_load_profile_info(path, out, NULL);
}
