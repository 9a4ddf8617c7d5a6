#include <errno.h>
#include <string.h>

#include "cmd_outputs.h"
#include "commands.h"
#include "errmsg.h"

int cmd_outputs_open(const char *const *paths, size_t n, struct outfile *files)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = outfile__open(&files[i], paths[i]);
		if (err) {
			pf_error_errno(err, NULL, "-o %s", paths[i]);
			cmd_outputs_abort(files, i);
			return PF_EXIT_ERROR;
		}
	}
	return PF_EXIT_OK;
}

int cmd_outputs_write(struct profile *prof, const char *const *paths,
		      const enum output_format *formats, struct outfile *files, size_t n,
		      const struct output_opts *opts)
{
	int status = PF_EXIT_OK;
	size_t i;

	for (i = 0; i < n; i++) {
		int err = output__write_stream(prof, files[i].fp, formats[i], opts);

		if (err)
			outfile__abort(&files[i]);
		else
			err = outfile__commit(&files[i]);
		if (err) {
			pf_error_errno(err, err == -ENOTSUP ? "this format is not built yet" : NULL,
				       "writing %s", paths[i]);
			status = PF_EXIT_ERROR;
		} else if (strcmp(paths[i], "-")) {
			pf_info("  wrote %s (%s)", paths[i], output_format__name(formats[i]));
		}
	}
	return status;
}

void cmd_outputs_abort(struct outfile *files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		outfile__abort(&files[i]);
}
