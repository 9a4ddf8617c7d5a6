#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int outfile__open(struct outfile *out, const char *path)
{
	const char *slash;
	size_t dir_len;
	int fd, err;

	struct stat st;

	memset(out, 0, sizeof(*out));
	if (!strcmp(path, "-")) {
		out->fp = stdout;
		return 0;
	}
	if (!stat(path, &st) && !S_ISREG(st.st_mode)) {
		if (S_ISDIR(st.st_mode))
			return -EISDIR;
		out->path = strdup(path);
		out->fp = out->path ? fopen(path, "w") : NULL;
		if (!out->fp) {
			err = out->path ? -errno : -ENOMEM;
			free(out->path);
			out->path = NULL;
			return err;
		}
		return 0;
	}
	out->path = strdup(path);
	slash = strrchr(path, '/');
	dir_len = slash ? (size_t)(slash - path) + 1 : 0;
	/* "<dir>/.<name>.tmp.XXXXXX": hidden, same filesystem as the target. */
	out->tmp_path = malloc(strlen(path) + 16);
	if (!out->path || !out->tmp_path) {
		err = -ENOMEM;
		goto cleanup;
	}
	memcpy(out->tmp_path, path, dir_len);
	sprintf(out->tmp_path + dir_len, ".%s.tmp.XXXXXX", path + dir_len);
	fd = mkstemp(out->tmp_path);
	if (fd < 0) {
		err = -errno;
		goto cleanup;
	}
	/* mkstemp makes 0600; an output file should get the usual umask mode. */
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	out->fp = fdopen(fd, "w");
	if (!out->fp) {
		err = -errno;
		close(fd);
		unlink(out->tmp_path);
		goto cleanup;
	}
	return 0;
cleanup:
	free(out->path);
	free(out->tmp_path);
	memset(out, 0, sizeof(*out));
	return err;
}

static void release(struct outfile *out)
{
	free(out->path);
	free(out->tmp_path);
	memset(out, 0, sizeof(*out));
}

int outfile__commit(struct outfile *out)
{
	int err = 0;

	if (!out->fp)
		return -EBADF;
	if (fflush(out->fp) || ferror(out->fp))
		err = errno ? -errno : -EIO;
	if (!out->path) {
		/* stdout: report the error (EPIPE, ENOSPC) but keep the stream. */
		release(out);
		return err;
	}
	if (!out->tmp_path) {
		/* written in place: a device or FIFO */
		if (fclose(out->fp) && !err)
			err = -errno;
		release(out);
		return err;
	}
	if (!err && fsync(fileno(out->fp)) && errno != EINVAL)
		err = -errno;
	if (fclose(out->fp) && !err)
		err = -errno;
	out->fp = NULL;
	if (!err && rename(out->tmp_path, out->path))
		err = -errno;
	if (err)
		unlink(out->tmp_path);
	release(out);
	return err;
}

void outfile__abort(struct outfile *out)
{
	if (out->fp && out->path) {
		fclose(out->fp);
		if (out->tmp_path)
			unlink(out->tmp_path);
	}
	release(out);
}

const char *outfile__extension(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');

	if (!dot || (slash && dot < slash))
		return "";
	return dot + 1;
}

bool outfile__has_suffix(const char *path, const char *suffix)
{
	size_t n = strlen(path), m = strlen(suffix);

	return n >= m && !strcasecmp(path + n - m, suffix);
}
