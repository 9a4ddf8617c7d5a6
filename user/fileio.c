#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"

int fileio__slurp_fd(int fd, char **text, size_t *len, size_t max_len)
{
	size_t used = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (cap - used < 2) {
			char *bigger;

			if (cap >= max_len) {
				free(buf);
				return -EFBIG;
			}
			bigger = realloc(buf, cap * 2);
			if (!bigger) {
				free(buf);
				return -ENOMEM;
			}
			buf = bigger;
			cap *= 2;
		}
		n = read(fd, buf + used, cap - used - 1);
		if (n == 0)
			break;
		if (n < 0) {
			int err = -errno;

			if (err == -EINTR)
				continue;
			free(buf);
			return err;
		}
		used += (size_t)n;
	}
	buf[used] = '\0';
	*text = buf;
	if (len)
		*len = used;
	return 0;
}

int fileio__slurp_at(int dirfd, const char *path, char **text, size_t *len, size_t max_len)
{
	int fd = openat(dirfd >= 0 ? dirfd : AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	int err;

	if (fd < 0)
		return -errno;
	err = fileio__slurp_fd(fd, text, len, max_len);
	close(fd);
	return err;
}

int fileio__slurp(const char *path, char **text, size_t *len, size_t max_len)
{
	return fileio__slurp_at(-1, path, text, len, max_len);
}

int fileio__read_line_at(int dirfd, const char *path, char *buf, size_t cap)
{
	char *text, *nl;
	size_t len;
	int err = fileio__slurp_at(dirfd, path, &text, &len, 1 << 20);

	if (err)
		return err;
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	if (strlen(text) >= cap) {
		free(text);
		return -ENAMETOOLONG;
	}
	strcpy(buf, text);
	free(text);
	return 0;
}

int fileio__read_u64_at(int dirfd, const char *path, uint64_t *value)
{
	char line[64], *end;
	unsigned long long v;
	int err = fileio__read_line_at(dirfd, path, line, sizeof(line));

	if (err)
		return err;
	if (line[0] < '0' || line[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(line, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*value = v;
	return 0;
}
