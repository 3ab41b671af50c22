/*
 * output.c: whole-or-nothing output files with a lock.
 *
 * The lock is taken on the target file itself (created empty when it
 * does not exist yet), so no lock file is left behind.  After the lock
 * is granted we check that the path still names the locked file: a run
 * that finished meanwhile has renamed a new file into place, and the
 * lock must be taken again on that one.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kn_private.h"

#define MAX_PENDING 8

struct kn_output {
	char	*path;		/* NULL: standard output */
	char	*tmp;		/* the temporary file, or NULL */
	FILE	*fp;
	int	 lockfd;
	int	 created;	/* we created the empty target */
	int	 slot;		/* in pending[], or -1 */
};

/* Files to remove when a signal ends the run. */
static char pending[MAX_PENDING][2][PATH_MAX];
static volatile sig_atomic_t npending_used[MAX_PENDING];
static int handlers_set;

static void
on_signal(int sig)
{
	int i;

	for (i = 0; i < MAX_PENDING; i++) {
		if (!npending_used[i])
			continue;
		if (pending[i][0][0] != '\0')
			unlink(pending[i][0]);
		if (pending[i][1][0] != '\0')
			unlink(pending[i][1]);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
set_handlers(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	if (handlers_set)
		return;
	handlers_set = 1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == 0 &&
		    old.sa_handler == SIG_IGN)
			continue;	/* nohup and friends: keep ignoring */
		sigaction(sigs[i], &sa, NULL);
	}
}

static int
pending_add(const char *tmp, const char *placeholder)
{
	sigset_t all, old;
	int i;

	for (i = 0; i < MAX_PENDING; i++)
		if (!npending_used[i])
			break;
	if (i == MAX_PENDING)
		return -1;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
	snprintf(pending[i][0], PATH_MAX, "%s", tmp);
	snprintf(pending[i][1], PATH_MAX, "%s", placeholder ? placeholder :
	    "");
	npending_used[i] = 1;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return i;
}

static void
pending_del(int i)
{
	if (i >= 0)
		npending_used[i] = 0;
}

static void
out_free(struct kn_output *o)
{
	if (o->lockfd >= 0)
		close(o->lockfd);
	free(o->path);
	free(o->tmp);
	free(o);
}

static int
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	return nanosleep(&ts, NULL);
}

/* Open and lock the target, creating it empty when needed. */
static int
lock_target(struct kn_output *o, double wait, struct kn_error *err)
{
	struct stat a, b;
	double waited = 0;
	int fd;

	for (;;) {
		o->created = 0;
		fd = open(o->path, O_RDONLY | O_CLOEXEC);
		if (fd == -1 && errno == ENOENT) {
			fd = open(o->path, O_WRONLY | O_CREAT | O_EXCL |
			    O_CLOEXEC, 0666);
			if (fd == -1 && errno == EEXIST)
				continue;
			o->created = fd != -1;
		}
		if (fd == -1) {
			kn_error_set(err, KN_EIO, o->path, 0, "%s",
			    strerror(errno));
			return -1;
		}
		while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
			if (errno != EWOULDBLOCK && errno != EINTR) {
				kn_error_set(err, KN_ELOCK, o->path, 0,
				    "cannot lock: %s", strerror(errno));
				close(fd);
				return -1;
			}
			if (waited >= wait) {
				kn_error_set(err, KN_ELOCK, o->path, 0,
				    "another run is writing this file; gave "
				    "up after %g seconds (--wait)", wait);
				close(fd);
				return -1;
			}
			sleep_ms(100);
			waited += 0.1;
		}
		if (fstat(fd, &a) == 0 && stat(o->path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			o->lockfd = fd;
			return 0;
		}
		close(fd);	/* replaced while we waited: lock the new one */
	}
}

/*
 * The file a path names, following symbolic links (a ledger kept
 * behind a link is written where the link points, and the link stays);
 * a new string, or NULL when out of memory or in a loop of links.
 */
static char *
follow_links(const char *path)
{
	char *cur, *next, *slash, target[4096];
	struct stat st;
	ssize_t n;
	int hops;

	if ((cur = strdup(path)) == NULL)
		return NULL;
	for (hops = 0; hops < 40; hops++) {
		if (lstat(cur, &st) == -1 || !S_ISLNK(st.st_mode))
			return cur;
		if ((n = readlink(cur, target, sizeof(target) - 1)) == -1)
			return cur;
		target[n] = '\0';
		slash = strrchr(cur, '/');
		if (target[0] == '/' || slash == NULL)
			next = strdup(target);
		else if ((next = malloc((size_t)(slash - cur) + 2 +
		    (size_t)n)) != NULL)
			sprintf(next, "%.*s/%s", (int)(slash - cur), cur,
			    target);
		free(cur);
		if ((cur = next) == NULL)
			return NULL;
	}
	free(cur);
	errno = ELOOP;
	return NULL;
}

struct kn_output *
kn_output_open(const char *path, double wait, struct kn_error *err)
{
	struct kn_output *o;
	struct stat st;
	mode_t mode, mask;
	char *slash;
	int fd;

	if ((o = calloc(1, sizeof(*o))) == NULL) {
		kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
		return NULL;
	}
	o->lockfd = -1;
	o->slot = -1;
	if (path == NULL || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return o;
	}
	if ((o->path = follow_links(path)) == NULL) {
		if (errno != ELOOP)
			goto nomem;
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		goto fail;
	}
	path = o->path;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		/* A device or a pipe: write to it as it is. */
		if ((o->fp = fopen(path, "w")) == NULL) {
			kn_error_set(err, KN_EIO, path, 0, "%s",
			    strerror(errno));
			goto fail;
		}
		return o;
	}
	if (lock_target(o, wait, err) == -1)
		goto fail;
	if (fstat(o->lockfd, &st) == -1) {
		kn_error_set(err, KN_EIO, path, 0, "%s", strerror(errno));
		goto fail;
	}
	mask = umask(0);
	umask(mask);
	mode = o->created ? (0666 & ~mask) : (st.st_mode & 07777);
	if ((o->tmp = malloc(strlen(path) + 16)) == NULL)
		goto nomem;
	if ((slash = strrchr(path, '/')) != NULL)
		sprintf(o->tmp, "%.*s.%s.XXXXXX", (int)(slash - path + 1), path,
		    slash + 1);
	else
		sprintf(o->tmp, ".%s.XXXXXX", path);
	set_handlers();
	if ((fd = mkstemp(o->tmp)) == -1) {
		kn_error_set(err, KN_EIO, path, 0, "cannot create a temporary "
		    "file beside it: %s", strerror(errno));
		free(o->tmp);
		o->tmp = NULL;
		goto fail;
	}
	o->slot = pending_add(o->tmp, o->created ? o->path : NULL);
	if (fchmod(fd, mode) == -1 || (o->fp = fdopen(fd, "w")) == NULL) {
		kn_error_set(err, KN_EIO, o->tmp, 0, "%s", strerror(errno));
		close(fd);
		goto fail;
	}
	return o;
nomem:
	kn_error_set(err, KN_ENOMEM, path, 0, "out of memory");
fail:
	kn_output_abort(o);
	return NULL;
}

FILE *
kn_output_fp(const struct kn_output *o)
{
	return o->fp;
}

const char *
kn_output_name(const struct kn_output *o)
{
	return o->path != NULL ? o->path : "<stdout>";
}

int
kn_output_commit(struct kn_output *o, struct kn_error *err)
{
	int e = 0, fd;

	if (o->fp == stdout) {
		if (fflush(stdout) == EOF || ferror(stdout))
			e = errno ? errno : EIO;
		free(o);
		if (e) {
			kn_error_set(err, e == EPIPE ? KN_EPIPE : KN_EIO,
			    "<stdout>", 0, "%s", strerror(e));
			return -1;
		}
		return 0;
	}
	if (fflush(o->fp) == EOF || ferror(o->fp))
		e = errno ? errno : EIO;
	else if (o->tmp != NULL && fsync(fileno(o->fp)) == -1)
		e = errno;
	if (fclose(o->fp) == EOF && e == 0)
		e = errno;
	o->fp = NULL;
	if (e == 0 && o->tmp != NULL && rename(o->tmp, o->path) == -1)
		e = errno;
	if (e != 0) {
		kn_error_set(err, e == EPIPE ? KN_EPIPE : KN_EIO, o->path, 0,
		    "%s", strerror(e));
		kn_output_abort(o);
		return -1;
	}
	if (o->tmp != NULL) {
		/* Make the rename itself durable. */
		char *dir = strdup(o->path), *slash;

		if (dir != NULL) {
			if ((slash = strrchr(dir, '/')) != NULL)
				slash[1] = '\0';
			else
				strcpy(dir, ".");
			if ((fd = open(dir, O_RDONLY | O_CLOEXEC)) != -1) {
				fsync(fd);
				close(fd);
			}
			free(dir);
		}
	}
	pending_del(o->slot);
	out_free(o);
	return 0;
}

void
kn_output_abort(struct kn_output *o)
{
	struct stat st;

	if (o == NULL)
		return;
	if (o->fp != NULL && o->fp != stdout)
		fclose(o->fp);
	if (o->tmp != NULL)
		unlink(o->tmp);
	/* Remove the empty file we created to lock, if it is still ours. */
	if (o->created && o->lockfd >= 0 && fstat(o->lockfd, &st) == 0 &&
	    st.st_size == 0 && st.st_nlink > 0)
		unlink(o->path);
	pending_del(o->slot);
	if (o->fp == stdout) {
		free(o);
		return;
	}
	out_free(o);
}
