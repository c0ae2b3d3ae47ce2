/*
 * appliance.c — the appliance (docs/appliance.md): PID 1 of the firmware,
 * and `airlock appliance`, the same run on a host without booting.
 *
 * One run: read the firmware's configuration, find the delivery medium,
 * apply the TUF update it carries (when the firmware allows it), verify
 * every bundle on it under the firmware's policy, print the report and a
 * last line `AIRLOCK VERDICT: PASS` or `AIRLOCK VERDICT: FAIL (<reason>)`,
 * and write the evidence to an evidence medium when one is present.
 *
 * Each bundle is verified by a child process running `airlock verify -`,
 * the bundle's bytes streamed to it through a pipe as the medium is read:
 * the same code, limits and sandbox as on a workstation, one bundle's
 * memory gone before the next, and a crash in one is a FAIL, not a hang.
 * Nothing on the medium is ever mounted or extracted to a disk; the only
 * write to a device is the evidence, after every verdict is in.
 */
#define _GNU_SOURCE /* pipe2, O_TMPFILE */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "al_version.h"
#include "bundle/bundle.h"
#include "cli/cli.h"

#define APPL_CONF_DIR "/etc/airlock"
#define APPL_MODULES "/lib/modules/airlock"
#define APPL_MAX_CONSOLES 4
#define APPL_MAX_DEVICES 32

typedef struct appl_bundle {
	char name[AL_MAX_MEDIUM_NAME + 16];
	int status;                      /* airlock verify's exit status; -1: killed */
} appl_bundle;

typedef struct appl {
	/* configuration */
	const char *conf_dir;
	char policy[AL_MAX_PATH], trusted_root[AL_MAX_PATH], tuf_root[AL_MAX_PATH], vsa_key[AL_MAX_PATH];
	char policy_name[AL_MAX_MEDIUM_NAME + 1];
	bool after_wait, tuf_allow, pid1;
	unsigned medium_wait;
	/* media */
	char medium_path[1024], evidence_path[1024];
	/* the RAM folder for reports, VSAs and the TUF update */
	char work[256];
	bool work_made;
	/* output: our own lines and each child's output go to every console
	 * and to the transcript, written by this process alone (no thread is
	 * ever alive when a child is forked) */
	int consoles[APPL_MAX_CONSOLES];
	size_t nconsoles;
	al_buf transcript;
	/* results */
	appl_bundle bundles[AL_MAX_MEDIUM_BUNDLES];
	size_t nbundles;
	char tuf_note[256];
	char verdict[AL_MAX_REPORT_LINE];
} appl;

/* ================================================================ output */

static void
say(appl *a, const char *fmt, ...) AL_PRINTF(2, 3);

/* Copies output to every console and keeps it in the transcript (bounded:
 * past AL_MAX_TRANSCRIPT the consoles still get it). */
static void
emit(appl *a, const char *p, size_t n)
{
	for (size_t i = 0; i < a->nconsoles; i++)
		for (size_t off = 0; off < n;) {
			ssize_t w = write(a->consoles[i], p + off, n - off);

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	/* past its bound, or out of memory, the transcript keeps what it has;
	 * the consoles still got the output */
	if (a->transcript.n + n <= AL_MAX_TRANSCRIPT)
		(void)!al_buf_append(&a->transcript, p, n, NULL);
}

/* One line, escaped (al_text_line); our own lines carry medium names and
 * error messages, both untrusted. */
static void
say(appl *a, const char *fmt, ...)
{
	char raw[AL_MAX_REPORT_LINE], line[AL_MAX_REPORT_LINE + 1];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	n = al_text_line(line, sizeof(line) - 1, al_bytes_str(raw));
	line[n++] = '\n';
	emit(a, line, n);
}

/* Reads what a child printed, once; false at its end (or an error). The
 * child's output is already escaped by the CLI's line writer. */
static bool
pump(appl *a, int fd)
{
	char buf[4096];
	ssize_t n;

	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return true;
	if (n <= 0)
		return false;
	emit(a, buf, (size_t)n);
	return true;
}

/* Drains a child's output to its end. */
static void
pump_all(appl *a, int fd)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };

	for (;;) {
		if (poll(&pf, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (!pump(a, fd))
			return;
	}
}

/* ================================================================ configuration */

static bool
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* appliance.conf: key=value lines, '#' comments (docs/appliance.md §4). */
static bool
load_conf(appl *a)
{
	char path[AL_MAX_PATH];
	al_buf b = { 0 };
	al_err err;
	char *line, *save = NULL;

	a->medium_wait = 30;
	snprintf(path, sizeof(path), "%s/appliance.conf", a->conf_dir);
	al_err_clear(&err);
	if (file_exists(path) && al_read_file(path, AL_MAX_APPLIANCE_CONF, &b, &err) != AL_OK) {
		say(a, "airlock: %s", err.msg);
		return false;
	}
	for (line = b.n ? strtok_r((char *)b.p, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char *eq, *v;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\0')
			continue;
		if ((eq = strchr(line, '=')) == NULL) {
			say(a, "airlock: %s: '%s': not key=value", path, line);
			al_buf_free(&b);
			return false;
		}
		*eq = '\0';
		v = eq + 1;
		if (strcmp(line, "after") == 0 && (strcmp(v, "poweroff") == 0 || strcmp(v, "wait") == 0)) {
			a->after_wait = strcmp(v, "wait") == 0;
		} else if (strcmp(line, "tuf-update") == 0 && (strcmp(v, "allow") == 0 || strcmp(v, "deny") == 0)) {
			a->tuf_allow = strcmp(v, "allow") == 0;
		} else if (strcmp(line, "medium-wait") == 0 && v[0] >= '0' && v[0] <= '9' && strlen(v) <= 4 &&
			   strspn(v, "0123456789") == strlen(v)) {
			a->medium_wait = (unsigned)atoi(v);
		} else {
			say(a, "airlock: %s: '%s=%s': unknown key or value (after=poweroff|wait, medium-wait=SECONDS, "
			       "tuf-update=allow|deny)",
			    path, line, v);
			al_buf_free(&b);
			return false;
		}
	}
	al_buf_free(&b);
	if (a->policy_name[0] != '\0')
		snprintf(a->policy, sizeof(a->policy), "%s/policies/%s.json", a->conf_dir, a->policy_name);
	else
		snprintf(a->policy, sizeof(a->policy), "%s/policy.json", a->conf_dir);
	if (!file_exists(a->policy)) {
		say(a, "airlock: the firmware has no policy %s", a->policy);
		return false;
	}
	snprintf(path, sizeof(path), "%s/trusted_root.json", a->conf_dir);
	if (file_exists(path))
		memcpy(a->trusted_root, path, sizeof(path));
	snprintf(path, sizeof(path), "%s/tuf-root.json", a->conf_dir);
	if (file_exists(path))
		memcpy(a->tuf_root, path, sizeof(path));
	snprintf(path, sizeof(path), "%s/vsa.key", a->conf_dir);
	if (file_exists(path))
		memcpy(a->vsa_key, path, sizeof(path));
	return true;
}

/* ================================================================ the RAM folder */

static void
remove_tree(int dfd, unsigned depth)
{
	DIR *d;
	struct dirent *de;
	int dup_fd;

	if (depth > 8 || (dup_fd = dup(dfd)) < 0)
		return;
	if ((d = fdopendir(dup_fd)) == NULL) {
		close(dup_fd);
		return;
	}
	while ((de = readdir(d)) != NULL) {
		int sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dfd, de->d_name, 0) == 0)
			continue;
		if ((sub = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
			remove_tree(sub, depth + 1);
			close(sub);
			(void)unlinkat(dfd, de->d_name, AT_REMOVEDIR);
		}
	}
	closedir(d);
}

static void
work_cleanup(appl *a)
{
	int fd;

	if (!a->work_made || a->pid1)
		return;
	if ((fd = open(a->work, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		remove_tree(fd, 0);
		close(fd);
	}
	(void)rmdir(a->work);
}

static bool
work_make(appl *a)
{
	if (a->pid1) {
		snprintf(a->work, sizeof(a->work), "/run/airlock");
		if (mkdir(a->work, 0700) != 0 && errno != EEXIST)
			return false;
	} else {
		const char *t = getenv("TMPDIR");

		if (snprintf(a->work, sizeof(a->work), "%s/airlock-appliance.XXXXXX", t && *t ? t : "/tmp") >=
			    (int)sizeof(a->work)) {
			errno = ENAMETOOLONG;
			return false;
		}
		if (mkdtemp(a->work) == NULL)
			return false;
	}
	a->work_made = true;
	return true;
}

/* mkdir -p of the folders of rel below base (rel checked by the medium reader). */
static bool
make_parents(const char *base, const char *rel)
{
	char p[AL_MAX_PATH];
	size_t bl = strlen(base);

	if (snprintf(p, sizeof(p), "%s/%s", base, rel) >= (int)sizeof(p))
		return false;
	for (char *s = p + bl + 1; (s = strchr(s, '/')) != NULL; s++) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST)
			return false;
		*s = '/';
	}
	return true;
}

/* ================================================================ children */

/* Runs an airlock command in a child with stdin from in_fd (or /dev/null),
 * stdout and stderr to a new pipe whose read end (non-blocking) goes to
 * *out. Returns the child's pid, or -1. */
static pid_t
spawn(int in_fd, int close_fd, int *out, int argc, char **argv)
{
	pid_t pid;
	int o[2];

	if (pipe2(o, O_CLOEXEC) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid != 0) {
		close(o[1]);
		if (pid < 0 || fcntl(o[0], F_SETFL, O_NONBLOCK) != 0) {
			close(o[0]);
			return -1;
		}
		*out = o[0];
		return pid;
	}
	/* the child: no exec follows, so the parent's ends must be closed by
	 * hand (the write end of its own input above all, or it never sees the
	 * end of the bundle) */
	if (close_fd >= 0)
		close(close_fd);
	close(o[0]);
	if (in_fd >= 0)
		dup2(in_fd, STDIN_FILENO);
	else {
		int nul = open("/dev/null", O_RDONLY | O_CLOEXEC);

		if (nul >= 0)
			dup2(nul, STDIN_FILENO);
	}
	dup2(o[1], STDOUT_FILENO);
	dup2(o[1], STDERR_FILENO);
	_exit(al_cli_finish(argc > 0 && strcmp(argv[0], "trust") == 0 ? al_cmd_trust(argc, argv)
									  : al_cmd_verify(argc, argv)));
}

static int
wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ================================================================ the TUF update */

static bool
apply_tuf(appl *a, size_t nfiles)
{
	char repo[AL_MAX_PATH], state[AL_MAX_PATH], installed[AL_MAX_PATH + 32];
	char *argv[12];
	int argc = 0, st, out;
	pid_t pid;

	snprintf(repo, sizeof(repo), "%s/tuf-repo", a->work);
	snprintf(state, sizeof(state), "%s/tuf-state", a->work);
	if (mkdir(state, 0700) != 0 && errno != EEXIST) {
		snprintf(a->verdict, sizeof(a->verdict), "cannot make the TUF state folder: %s", strerror(errno));
		return false;
	}
	say(a, "== TUF update on the medium (%zu files): verifying from the firmware's TUF root", nfiles);
	argv[argc++] = "trust";
	argv[argc++] = "update";
	argv[argc++] = "--tuf-repo";
	argv[argc++] = repo;
	argv[argc++] = "--tuf-root";
	argv[argc++] = a->tuf_root;
	argv[argc++] = "--state";
	argv[argc++] = state;
	argv[argc] = NULL;
	if ((pid = spawn(-1, -1, &out, argc, argv)) < 0) {
		snprintf(a->verdict, sizeof(a->verdict), "cannot start the TUF update: %s", strerror(errno));
		return false;
	}
	pump_all(a, out);
	close(out);
	st = wait_child(pid);
	if (st != 0) {
		snprintf(a->verdict, sizeof(a->verdict), "the TUF update on the medium does not verify (exit %d)", st);
		return false;
	}
	snprintf(installed, sizeof(installed), "%s/targets/trusted_root.json", state);
	if (!file_exists(installed) || strlen(installed) >= sizeof(a->trusted_root)) {
		snprintf(a->verdict, sizeof(a->verdict), "the TUF update installed no trusted_root.json");
		return false;
	}
	memcpy(a->trusted_root, installed, strlen(installed) + 1);
	snprintf(a->tuf_note, sizeof(a->tuf_note), "applied (%zu files); trusted root from the update", nfiles);
	say(a, "TUF update: applied; verifying with the trusted root it installed");
	return true;
}

/* ================================================================ bundles */

static bool
write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Verifies the current member: `airlock verify -` in a child, fed through
 * a pipe. False when the medium itself failed (the reason in a->verdict). */
static bool
verify_bundle(appl *a, al_medium *m, const al_medium_entry *e, al_err *err)
{
	appl_bundle *b = &a->bundles[a->nbundles];
	size_t idx = a->nbundles + 1;
	char dir[300], report[320], vsa[320];
	char *argv[24];
	int argc = 0, p[2], out = -1;
	bool feeding = true;
	pid_t pid;
	al_rc rc = AL_OK;

	memcpy(b->name, e->name, sizeof(b->name));
	a->nbundles++;
	snprintf(dir, sizeof(dir), "%s/bundle-%zu", a->work, idx);
	snprintf(report, sizeof(report), "%s/report.json", dir);
	snprintf(vsa, sizeof(vsa), "%s/vsa", dir);
	if (mkdir(dir, 0700) != 0 || (a->vsa_key[0] && mkdir(vsa, 0700) != 0)) {
		snprintf(a->verdict, sizeof(a->verdict), "cannot make %s: %s", dir, strerror(errno));
		return false;
	}
	say(a, "%s", "");
	say(a, "== bundle %zu: %s (%llu bytes)", idx, e->name, (unsigned long long)e->size);
	argv[argc++] = "verify";
	argv[argc++] = "--policy";
	argv[argc++] = a->policy;
	if (a->trusted_root[0]) {
		argv[argc++] = "--trusted-root";
		argv[argc++] = a->trusted_root;
	}
	argv[argc++] = "--report";
	argv[argc++] = report;
	if (a->vsa_key[0]) {
		argv[argc++] = "--vsa-out";
		argv[argc++] = vsa;
		argv[argc++] = "--vsa-key";
		argv[argc++] = a->vsa_key;
		argv[argc++] = "--verifier-id";
		argv[argc++] = "https://github.com/airlock/airlock/appliance";
	}
	argv[argc++] = "--";
	argv[argc++] = "-";
	argv[argc] = NULL;
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(a->verdict, sizeof(a->verdict), "cannot make a pipe: %s", strerror(errno));
		return false;
	}
	pid = spawn(p[0], p[1], &out, argc, argv);
	close(p[0]);
	if (pid < 0 || fcntl(p[1], F_SETFL, O_NONBLOCK) != 0) {
		close(p[1]);
		if (pid > 0) {
			close(out);
			(void)kill(pid, SIGKILL);
			(void)wait_child(pid);
		}
		snprintf(a->verdict, sizeof(a->verdict), "cannot start the verifier: %s", strerror(errno));
		return false;
	}
	/* stream the member while copying what the verifier prints (it may
	 * print more than a pipe holds before it reads the rest); a verifier
	 * that stopped early (it refused the bundle) closes its end, and the
	 * rest is read and dropped */
	for (;;) {
		const uint8_t *d;
		size_t n;

		if ((rc = al_medium_data(m, &d, &n, err)) != AL_OK || n == 0)
			break;
		while (feeding && n > 0) {
			struct pollfd pf[2] = { { .fd = p[1], .events = POLLOUT }, { .fd = out, .events = POLLIN } };
			ssize_t w;

			if (poll(pf, out >= 0 ? 2 : 1, -1) < 0) {
				if (errno == EINTR)
					continue;
				feeding = false;
				break;
			}
			if (out >= 0 && (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) && !pump(a, out)) {
				close(out);
				out = -1;
			}
			if (!(pf[0].revents & (POLLOUT | POLLERR | POLLHUP)))
				continue;
			w = write(p[1], d, n);
			if (w < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
			if (w <= 0) {
				feeding = false;
				break;
			}
			d += w;
			n -= (size_t)w;
		}
	}
	close(p[1]);
	if (out >= 0) {
		pump_all(a, out);
		close(out);
	}
	b->status = wait_child(pid);
	if (rc != AL_OK) {
		snprintf(a->verdict, sizeof(a->verdict), "the medium cannot be read: %s", err->msg);
		return false;
	}
	if (b->status == 0)
		say(a, "bundle %zu (%s): VERIFIED", idx, b->name);
	else
		say(a, "bundle %zu (%s): NOT VERIFIED (%s %d)", idx, b->name, b->status < 0 ? "verifier killed" : "exit",
		    b->status);
	return true;
}

/* Reads the medium: the TUF update first, then every bundle. Sets
 * a->verdict to the reason when the medium itself is what failed. */
static void
read_medium(appl *a, int fd)
{
	al_medium *m;
	const al_medium_entry *e;
	al_err err;
	size_t ntuf = 0;
	bool tuf_done = false, tuf_ignored = false;
	char repo[AL_MAX_PATH];

	snprintf(repo, sizeof(repo), "%s/tuf-repo", a->work);
	al_err_clear(&err);
	if (al_medium_open(fd, a->medium_path, &m, &err) != AL_OK) {
		snprintf(a->verdict, sizeof(a->verdict), "%s", err.code == AL_E_VERIFY_NOTHING
									? "the medium is empty (no AIRLOCK-MEDIUM label)"
									: err.msg);
		return;
	}
	say(a, "medium %s: an airlock delivery medium (%s)", a->medium_path, al_medium_format(m));
	for (;;) {
		al_err_clear(&err);
		if (al_medium_next(m, &e, &err) != AL_OK) {
			snprintf(a->verdict, sizeof(a->verdict), "%s", err.msg);
			break;
		}
		if (e != NULL && e->kind == AL_MEDIUM_TUF) {
			char path[AL_MAX_PATH + 8];
			int out;
			bool ok = true;

			if (!a->tuf_allow || !a->tuf_root[0]) {
				tuf_ignored = true;
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", repo, e->name + 4);
			if (!make_parents(repo, e->name + 4) ||
			    (mkdir(repo, 0700) != 0 && errno != EEXIST) ||
			    (out = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
				snprintf(a->verdict, sizeof(a->verdict), "cannot hold %s in memory: %s", e->name,
					 strerror(errno));
				break;
			}
			for (;;) {
				const uint8_t *d;
				size_t n;

				if (al_medium_data(m, &d, &n, &err) != AL_OK) {
					ok = false;
					break;
				}
				if (n == 0)
					break;
				if (!write_all(out, d, n)) {
					al_err_set(&err, AL_E_IO, "%s: %s", e->name, strerror(errno));
					ok = false;
					break;
				}
			}
			close(out);
			if (!ok) {
				snprintf(a->verdict, sizeof(a->verdict), "the medium cannot be read: %s", err.msg);
				break;
			}
			ntuf++;
			continue;
		}
		if (tuf_ignored && !tuf_done) {
			tuf_done = true;
			snprintf(a->tuf_note, sizeof(a->tuf_note), "ignored: this firmware %s",
				 a->tuf_root[0] ? "does not allow updates (tuf-update=deny)" : "has no TUF root");
			say(a, "TUF update on the medium: %s", a->tuf_note);
		}
		if (ntuf > 0 && !tuf_done) {
			tuf_done = true;
			if (!apply_tuf(a, ntuf))
				break;
		}
		if (e == NULL)
			break;
		if (!verify_bundle(a, m, e, &err))
			break;
	}
	al_medium_free(m);
}

/* ================================================================ evidence */

static al_rc
add_file(al_medium_writer *w, const char *member, const char *path, al_err *err)
{
	al_buf b = { 0 };
	al_rc rc;

	if (!file_exists(path))
		return AL_OK;
	if ((rc = al_read_file(path, AL_MAX_EVIDENCE_BYTES, &b, err)) == AL_OK)
		rc = al_medium_write_mem(w, member, al_buf_bytes(&b), err);
	al_buf_free(&b);
	return rc;
}

/* The evidence tar: the label, verdict.txt, transcript.txt, and per bundle
 * its report and VSAs (docs/appliance.md §5). */
static bool
write_evidence(appl *a)
{
	al_medium_writer *w;
	al_err err;
	al_rc rc;
	int fd;
	char line[AL_MAX_REPORT_LINE + 32];

	al_err_clear(&err);
	/* the label is read again right before the write: what is overwritten
	 * is an evidence medium, never anything else */
	if ((fd = open(a->evidence_path, O_RDWR | O_CLOEXEC | O_NOCTTY)) < 0 ||
	    al_medium_probe_evidence(fd, a->evidence_path, &err) != AL_OK || lseek(fd, 0, SEEK_SET) != 0) {
		say(a, "evidence: %s: not written: %s", a->evidence_path, err.code ? err.msg : strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	snprintf(line, sizeof(line), "AIRLOCK VERDICT: %s%s%s\n", a->verdict[0] ? "FAIL (" : "PASS", a->verdict,
		 a->verdict[0] ? ")" : "");
	rc = al_medium_write_open(fd, a->evidence_path, AL_MEDIUM_W_EVIDENCE, (int64_t)time(NULL), &w, &err);
	if (rc == AL_OK)
		rc = al_medium_write_mem(w, "verdict.txt", al_bytes_str(line), &err);
	if (rc == AL_OK)
		rc = al_medium_write_mem(w, "transcript.txt", al_buf_bytes(&a->transcript), &err);
	for (size_t i = 0; rc == AL_OK && i < a->nbundles; i++) {
		char src[640], member[320], vdir[320];
		int dfd;

		snprintf(src, sizeof(src), "%s/bundle-%zu/report.json", a->work, i + 1);
		snprintf(member, sizeof(member), "bundle-%zu/report.json", i + 1);
		rc = add_file(w, member, src, &err);
		snprintf(vdir, sizeof(vdir), "%s/bundle-%zu/vsa", a->work, i + 1);
		if (rc == AL_OK && (dfd = open(vdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			DIR *d = fdopendir(dfd);
			struct dirent *de;

			while (d != NULL && rc == AL_OK && (de = readdir(d)) != NULL) {
				if (de->d_name[0] == '.' || !al_medium_name_ok(de->d_name))
					continue;
				snprintf(src, sizeof(src), "%s/%s", vdir, de->d_name);
				snprintf(member, sizeof(member), "bundle-%zu/vsa/%s", i + 1, de->d_name);
				rc = add_file(w, member, src, &err);
			}
			if (d != NULL)
				closedir(d);
			else
				close(dfd);
		}
	}
	if (w != NULL) {
		if (rc == AL_OK)
			rc = al_medium_write_close(w, &err);
		else
			al_medium_write_abort(w);
	}
	if (rc == AL_OK && fsync(fd) != 0)
		rc = al_err_set(&err, AL_E_IO, "%s: %s", a->evidence_path, strerror(errno));
	close(fd);
	if (rc != AL_OK) {
		say(a, "evidence: NOT written completely: %s", err.msg);
		return false;
	}
	say(a, "evidence: written to %s (verdict.txt, transcript.txt, %zu report%s%s)", a->evidence_path, a->nbundles,
	    a->nbundles == 1 ? "" : "s", a->vsa_key[0] ? " and their VSAs" : "");
	return true;
}

/* ================================================================ one run */

static bool
verdict_pass(const appl *a)
{
	return a->verdict[0] == '\0';
}

/* Verifies the medium; the verdict line is the last line said. Returns 0
 * for PASS, 1 for FAIL. */
static int
run_appliance(appl *a)
{
	int fd = -1;
	char line[AL_MAX_REPORT_LINE + 64];

	say(a, "airlock appliance %s (commit %s)", AL_VERSION, AL_GIT_COMMIT);
	if (!load_conf(a)) {
		a->medium_path[0] = '\0';
		snprintf(a->verdict, sizeof(a->verdict), "the firmware's configuration is not usable");
		goto verdict;
	}
	say(a, "policy: %s%s%s", a->policy, a->trusted_root[0] ? "; trusted root: " : "; trusted root: airlock's embedded",
	    a->trusted_root);
	if (!work_make(a)) {
		snprintf(a->verdict, sizeof(a->verdict), "cannot make the working folder: %s", strerror(errno));
		goto verdict;
	}
	/* set by the device scan (two delivery media) */
	if (a->verdict[0] != '\0')
		goto verdict;
	if (a->medium_path[0] == '\0') {
		snprintf(a->verdict, sizeof(a->verdict), "no delivery medium found (insert one and boot again)");
		goto verdict;
	}
	if ((fd = open(a->medium_path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		snprintf(a->verdict, sizeof(a->verdict), "the medium %s cannot be opened: %s", a->medium_path,
			 strerror(errno));
		goto verdict;
	}
	read_medium(a, fd);
	close(fd);
	if (verdict_pass(a) && a->nbundles == 0)
		snprintf(a->verdict, sizeof(a->verdict), "no bundle on the medium");
	for (size_t i = 0; verdict_pass(a) && i < a->nbundles; i++)
		if (a->bundles[i].status != 0) {
			size_t bad = 0;

			for (size_t k = 0; k < a->nbundles; k++)
				bad += a->bundles[k].status != 0;
			snprintf(a->verdict, sizeof(a->verdict), "%zu of %zu bundle%s NOT VERIFIED, first %s", bad,
				 a->nbundles, a->nbundles == 1 ? "" : "s", a->bundles[i].name);
		}
verdict:
	say(a, "%s", "");
	if (a->nbundles > 0) {
		size_t ok = 0;

		for (size_t i = 0; i < a->nbundles; i++)
			ok += a->bundles[i].status == 0;
		say(a, "summary: %zu of %zu bundle%s verified%s%s", ok, a->nbundles, a->nbundles == 1 ? "" : "s",
		    a->tuf_note[0] ? "; TUF update " : "", a->tuf_note);
	}
	if (a->evidence_path[0] != '\0')
		(void)write_evidence(a);
	/* the last line, always */
	snprintf(line, sizeof(line), "AIRLOCK VERDICT: %s%s%s", verdict_pass(a) ? "PASS" : "FAIL (", a->verdict,
		 verdict_pass(a) ? "" : ")");
	say(a, "%s", line);
	work_cleanup(a);
	return verdict_pass(a) ? 0 : 1;
}

/* ================================================================ `airlock appliance` */

static void
appliance_usage(FILE *f)
{
	fprintf(f,
		"usage: airlock appliance --config-dir DIR --medium IMAGE [--evidence IMAGE]\n"
		"                         [--policy-name NAME]\n\n"
		"Runs what the firmware runs at boot, on this machine: reads the firmware\n"
		"configuration in DIR (appliance.conf, policy.json, policies/, trusted_root.json,\n"
		"tuf-root.json, vsa.key: docs/appliance.md §4), verifies every bundle on the delivery\n"
		"medium IMAGE (a file or block device written by 'airlock media create'), prints\n"
		"the report and a last line AIRLOCK VERDICT: PASS or AIRLOCK VERDICT: FAIL (<reason>),\n"
		"and writes the evidence to the evidence medium IMAGE when given.\n\n"
		"Exit: 0 PASS, 1 FAIL, 2 usage error.\n");
}

int
al_cmd_appliance(int argc, char **argv)
{
	static appl a;
	const char *conf = NULL, *medium = NULL, *evidence = NULL, *pname = NULL;
	const al_opt opts[] = {
		{ "--config-dir", &conf, NULL, NULL },
		{ "--medium", &medium, NULL, NULL },
		{ "--evidence", &evidence, NULL, NULL },
		{ "--policy-name", &pname, NULL, NULL },
		{ NULL, NULL, NULL, NULL },
	};
	size_t npos;
	int st;

	st = al_cli_parse("appliance", argc, argv, opts, NULL, NULL, 0, NULL, 0, &npos, appliance_usage);
	if (st >= 0)
		return st;
	if (conf == NULL || medium == NULL) {
		al_cli_errf("airlock appliance: --config-dir and --medium are required");
		return 2;
	}
	if (pname != NULL && !al_medium_name_ok(pname)) {
		al_cli_errf("airlock appliance: --policy-name '%s': a plain name (letters, digits, . _ - +)", pname);
		return 2;
	}
	memset(&a, 0, sizeof(a));
	a.conf_dir = conf;
	if (strlen(medium) >= sizeof(a.medium_path) || (evidence && strlen(evidence) >= sizeof(a.evidence_path))) {
		al_cli_errf("airlock appliance: path too long");
		return 2;
	}
	memcpy(a.medium_path, medium, strlen(medium) + 1);
	if (evidence)
		memcpy(a.evidence_path, evidence, strlen(evidence) + 1);
	if (pname)
		snprintf(a.policy_name, sizeof(a.policy_name), "%s", pname);
	fflush(stdout);
	a.consoles[a.nconsoles++] = STDOUT_FILENO;
	signal(SIGPIPE, SIG_IGN);
	st = run_appliance(&a);
	al_buf_free(&a.transcript);
	return st;
}

/* ================================================================ PID 1 */

/* Writes a line straight to the console, before the consoles are open and
 * after the run. */
static void
early(const char *fmt, ...) AL_PRINTF(1, 2);

static void
early(const char *fmt, ...)
{
	char raw[512], line[520];
	va_list ap;
	size_t n;
	int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	n = al_text_line(line, sizeof(line) - 1, al_bytes_str(raw));
	line[n++] = '\n';
	(void)!write(fd, line, n);
	close(fd);
}

/* The policy the kernel command line names (airlock.policy=NAME), the one
 * thing taken from it. */
static void
cmdline_policy(appl *a)
{
	al_buf b = { 0 };
	char *tok, *save = NULL;

	if (al_read_file("/proc/cmdline", 4096, &b, NULL) != AL_OK || b.n == 0)
		return;
	for (tok = strtok_r((char *)b.p, " \t\n", &save); tok; tok = strtok_r(NULL, " \t\n", &save)) {
		if (strncmp(tok, "airlock.policy=", 15) != 0)
			continue;
		if (al_medium_name_ok(tok + 15) && strlen(tok + 15) < sizeof(a->policy_name))
			snprintf(a->policy_name, sizeof(a->policy_name), "%s", tok + 15);
		else
			early("airlock: airlock.policy=%s on the kernel command line is not a policy name: ignored", tok + 15);
	}
	al_buf_free(&b);
}

/* finit_module for each file of load.list, in order, then no more modules:
 * nothing loaded later can bring up a network (docs/appliance.md §3). */
static void
load_modules(void)
{
	al_buf b = { 0 };
	char *tok, *save = NULL;
	unsigned loaded = 0;
	int fd;

	if (al_read_file(APPL_MODULES "/load.list", 64 << 10, &b, NULL) == AL_OK && b.n > 0) {
		for (tok = strtok_r((char *)b.p, "\n", &save); tok; tok = strtok_r(NULL, "\n", &save)) {
			char path[256];
			size_t n = strlen(tok);

			if (n < 4 || n > 128 || strcmp(tok + n - 3, ".ko") != 0 || !al_medium_name_ok(tok))
				continue;
			snprintf(path, sizeof(path), APPL_MODULES "/%s", tok);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			if (syscall(SYS_finit_module, fd, "", 0) == 0)
				loaded++;
			else if (errno != EEXIST)
				early("airlock: module %s: %s", tok, strerror(errno));
			close(fd);
		}
	}
	al_buf_free(&b);
	if ((fd = open("/proc/sys/kernel/modules_disabled", O_WRONLY | O_CLOEXEC)) >= 0) {
		(void)!write(fd, "1", 1);
		close(fd);
	}
	early("airlock: %u kernel modules loaded; module loading now disabled", loaded);
}

static bool
is_candidate(const char *name)
{
	static const char *const prefixes[] = { "vd", "sd", "sr", "hd", "xvd", "nvme", "mmcblk" };

	for (size_t i = 0; i < AL_ARRAY_LEN(prefixes); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return al_medium_name_ok(name);
	return false;
}

/* Looks at every whole disk once: a delivery medium, an evidence medium,
 * or neither. Returns how many delivery media there are. */
static size_t
scan_devices(appl *a, char *all, size_t allsz, size_t *ndisks)
{
	DIR *d = opendir("/sys/block");
	struct dirent *de;
	size_t media = 0;

	all[0] = '\0';
	*ndisks = 0;
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char dev[300];
		al_medium *m;
		al_err err;
		int fd;

		if (!is_candidate(de->d_name))
			continue;
		++*ndisks;
		snprintf(dev, sizeof(dev), "/dev/%s", de->d_name);
		if ((fd = open(dev, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
			continue;
		al_err_clear(&err);
		if (al_medium_probe_evidence(fd, dev, &err) == AL_OK) {
			if (a->evidence_path[0] == '\0')
				snprintf(a->evidence_path, sizeof(a->evidence_path), "%s", dev);
		} else if (lseek(fd, 0, SEEK_SET) == 0 && (al_err_clear(&err), al_medium_open(fd, dev, &m, &err)) == AL_OK) {
			al_medium_free(m);
			if (media++ == 0)
				snprintf(a->medium_path, sizeof(a->medium_path), "%s", dev);
			if (strlen(all) + strlen(dev) + 3 < allsz) {
				if (all[0])
					strcat(all, ", ");
				strcat(all, dev);
			}
		}
		close(fd);
	}
	closedir(d);
	return media;
}

/* Waits up to medium-wait seconds for a delivery medium, then until the
 * set of disks has been still for APPL_SETTLE_TICKS: a second delivery
 * medium must be seen even when it is a USB stick that the kernel reports
 * a second after the first (a found evidence medium ends nothing early). */
#define APPL_SETTLE_TICKS 12 /* of 250 ms */
static size_t
find_media(appl *a, char *all, size_t allsz)
{
	struct timespec step = { 0, 250 * 1000 * 1000 };
	unsigned ticks = a->medium_wait * 4, still = 0;
	size_t media = 0, ndisks = 0, last_disks = 0, last_media = 0;
	bool last_ev = false;

	/* bounded: the wait, then at most a minute of disks still appearing */
	for (unsigned t = 0; t <= ticks + 240; t++) {
		a->medium_path[0] = a->evidence_path[0] = '\0';
		media = scan_devices(a, all, allsz, &ndisks);
		if (t > 0 && ndisks == last_disks && media == last_media && (a->evidence_path[0] != '\0') == last_ev)
			still++;
		else
			still = 0;
		last_disks = ndisks;
		last_media = media;
		last_ev = a->evidence_path[0] != '\0';
		if (media > 0 && still >= APPL_SETTLE_TICKS)
			break;
		if (media == 0 && t >= ticks)
			break;
		nanosleep(&step, NULL);
	}
	return media;
}

void
al_appliance_init(int argc, char **argv)
{
	static appl a;
	static const char *const ttys[] = { "/dev/ttyS0", "/dev/tty0" };
	char all[512];
	size_t media;
	al_err err;

	(void)argc;
	(void)argv;
	memset(&a, 0, sizeof(a));
	a.pid1 = true;
	a.conf_dir = APPL_CONF_DIR;
	(void)mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755");
	(void)mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	(void)mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	(void)mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=0755,size=50%");
	/* no sockets and no exec from here on, for this process and every child */
	al_err_clear(&err);
	if (al_sandbox_enter(&err) != AL_OK)
		early("airlock: warning: %s", err.msg);
	for (size_t i = 0; i < AL_ARRAY_LEN(ttys) && a.nconsoles < APPL_MAX_CONSOLES; i++) {
		int fd = open(ttys[i], O_WRONLY | O_NOCTTY | O_CLOEXEC);

		if (fd >= 0)
			a.consoles[a.nconsoles++] = fd;
	}
	if (a.nconsoles == 0) {
		int fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_CLOEXEC);

		if (fd >= 0)
			a.consoles[a.nconsoles++] = fd;
	}
	signal(SIGPIPE, SIG_IGN);
	early("airlock appliance %s: starting", AL_VERSION);
	cmdline_policy(&a);
	load_modules();
	if (!load_conf(&a))
		a.medium_wait = 0;
	say(&a, "waiting up to %u s for the delivery medium...", a.medium_wait);
	media = find_media(&a, all, sizeof(all));
	if (media > 1) {
		say(&a, "more than one delivery medium: %s", all);
		snprintf(a.verdict, sizeof(a.verdict), "%zu delivery media (%s): insert only one", media, all);
		a.medium_path[0] = '\0';
	} else if (media == 1) {
		int fd = open(a.medium_path, O_RDONLY | O_CLOEXEC | O_NOCTTY), ro = 1;

		/* the kernel too refuses writes to it from now on */
		if (fd >= 0) {
			(void)ioctl(fd, BLKROSET, &ro);
			close(fd);
		}
		say(&a, "delivery medium: %s%s%s", a.medium_path, a.evidence_path[0] ? "; evidence medium: " : "",
		    a.evidence_path);
	}
	(void)run_appliance(&a);
	sync();
	if (a.after_wait) {
		early("airlock: done; switch the appliance off when the evidence is collected");
		for (;;) {
			while (waitpid(-1, NULL, WNOHANG) > 0)
				;
			pause();
		}
	}
	(void)reboot(RB_POWER_OFF);
	for (;;)
		pause();
}
