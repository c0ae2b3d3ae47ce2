/*
 * out.c — everything airlock writes goes through here.
 *
 * Two promises: no line an operator sees can be forged or repainted by
 * untrusted bytes (every line is escaped by al_text_line), and a report that
 * could not be written is never a silent success (any stdout error turns the
 * exit status into 2 and says so on stderr).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static bool out_failed;
static int out_errno;
static int colour = -1; /* -1: not decided yet */

/* Colour only for a person at a terminal, and never with NO_COLOR set
 * (no-color.org) or TERM=dumb: a pipe, a file or a log gets plain text. */
static bool
colour_on(void)
{
	if (colour < 0) {
		const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");

		colour = isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0') &&
			 !(term != NULL && strcmp(term, "dumb") == 0);
	}
	return colour > 0;
}

/* The colour of a report line, from its first words only: those are always
 * airlock's own (untrusted text is quoted inside a line, never at its start),
 * so no input can pick a colour. */
static const char *
line_colour(al_bytes line)
{
	static const struct {
		const char *prefix, *sgr;
	} c[] = {
		{ "FAILED", "\x1b[1;31m" },       { "NOT VERIFIED", "\x1b[1;31m" },
		{ "result: NOT VERIFIED", "\x1b[31m" }, { "VERIFIED", "\x1b[1;32m" },
		{ "verified image", "\x1b[32m" },  { "result: verified", "\x1b[32m" },
		{ "RELAXED", "\x1b[33m" },
	};
	size_t i = 0;

	while (i < line.n && line.p[i] == ' ')
		i++;
	for (size_t k = 0; k < AL_ARRAY_LEN(c); k++) {
		size_t n = strlen(c[k].prefix);

		if (line.n - i >= n && memcmp(line.p + i, c[k].prefix, n) == 0)
			return c[k].sgr;
	}
	return NULL;
}

static void
note_out_error(void)
{
	if (!out_failed) {
		out_failed = true;
		out_errno = errno;
	}
}

static void vline(FILE *f, const char *fmt, va_list ap) AL_PRINTF(2, 0);
static void
vline(FILE *f, const char *fmt, va_list ap)
{
	char raw[AL_MAX_REPORT_LINE], safe[AL_MAX_REPORT_LINE];
	int n = vsnprintf(raw, sizeof(raw), fmt, ap);
	size_t len;

	if (n < 0)
		n = 0;
	len = (size_t)n < sizeof(raw) ? (size_t)n : sizeof(raw) - 1;
	len = al_text_line(safe, sizeof(safe), al_bytes_of(raw, len));
	safe[len++] = '\n';
	if (fwrite(safe, 1, len, f) != len && f == stdout)
		note_out_error();
}

void
al_cli_errf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(stderr, fmt, ap);
	va_end(ap);
}

bool
al_cli_outf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(stdout, fmt, ap);
	va_end(ap);
	return !out_failed;
}

bool
al_cli_write(const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, stdout) != n)
		note_out_error();
	return !out_failed;
}

bool
al_cli_write_json(al_bytes json)
{
	size_t i = 0, from = 0;

	if (!isatty(STDOUT_FILENO))
		return al_cli_write(json.p, json.n);
	while (i < json.n) {
		uint32_t cp;
		size_t len = al_utf8_decode(json.p + i, json.n - i, &cp);
		char esc[16];

		if (len == 0) /* the canonical writer never emits it; shown, not passed */
			cp = 0xFFFD, len = 1;
		else if (!al_text_hidden(cp)) {
			i += len;
			continue;
		}
		al_cli_write(json.p + from, i - from);
		if (cp > 0xFFFF)
			snprintf(esc, sizeof(esc), "\\u%04x\\u%04x", 0xD800 + ((cp - 0x10000) >> 10),
				 0xDC00 + ((cp - 0x10000) & 0x3FF));
		else
			snprintf(esc, sizeof(esc), "\\u%04x", cp);
		al_cli_write(esc, strlen(esc));
		i += len;
		from = i;
	}
	return al_cli_write(json.p + from, json.n - from);
}

bool
al_cli_flush(void)
{
	if (fflush(stdout) != 0)
		note_out_error();
	return !out_failed;
}

bool
al_cli_write_report(al_bytes r)
{
	al_bytes rest = r;

	/* The report's builder escapes every line it makes; this re-checks
	 * each line at the sink, so a line that still carries a control byte,
	 * invalid UTF-8 or a bidi character (a builder's bug) is escaped here
	 * rather than reaching the terminal. A clean line is written as is. */
	while (rest.n > 0) {
		const uint8_t *nl = memchr(rest.p, '\n', rest.n);
		size_t len = nl ? (size_t)(nl - rest.p) : rest.n;
		al_bytes line = al_bytes_of(rest.p, len);

		const char *sgr = colour_on() ? line_colour(line) : NULL;

		if (sgr)
			al_cli_write(sgr, strlen(sgr));
		if (al_text_clean(line)) {
			al_cli_write(line.p, line.n);
		} else {
			char safe[AL_MAX_REPORT_LINE];
			size_t n = al_text_line(safe, sizeof(safe), line);

			al_cli_write(safe, n);
		}
		if (sgr)
			al_cli_write("\x1b[0m", 4);
		al_cli_write("\n", 1);
		rest = al_bytes_of(rest.p + len + (nl ? 1 : 0), rest.n - len - (nl ? 1 : 0));
	}
	return !out_failed;
}

bool
al_cli_write_new_file(const char *opt, const char *path, al_bytes data)
{
	char dir[AL_MAX_PATH], tmp[64];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	al_err err;
	int dfd;

	if (base[0] == '\0' || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    (slash && (size_t)(slash - path) >= sizeof(dir))) {
		al_cli_errf("airlock: %s %s: not a file name", opt, path);
		return false;
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path + (slash == path)) : 1, slash ? path : ".");
	if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		al_cli_errf("airlock: %s %s: %s: %s", opt, path, dir, strerror(errno));
		return false;
	}
	/* written whole under a temporary name, then given its name only if
	 * that name is free (common/file.c): a reader never sees half a report */
	snprintf(tmp, sizeof(tmp), ".airlock-new.%ld.tmp", (long)getpid());
	al_err_clear(&err);
	if (al_dir_write_tmp(dfd, tmp, data, &err) != AL_OK ||
	    (al_dir_rename(dfd, tmp, base, true, &err) != AL_OK && (unlinkat(dfd, tmp, 0), true))) {
		al_cli_errf("airlock: %s %s: %s%s", opt, path, err.msg,
			    strstr(err.msg, "exists") ? ": give a new file name" : "");
		close(dfd);
		return false;
	}
	close(dfd);
	return true;
}

int
al_cli_fail(const al_err *err)
{
	al_cli_errf("airlock: %s", err->msg[0] ? err->msg : al_rc_name(err->code));
	return al_rc_exit(err->code);
}

static bool
fd_closed(int fd)
{
	return fcntl(fd, F_GETFD) == -1 && errno == EBADF;
}

int
al_cli_stdio_check(void)
{
	/* No stdout means no report: refuse before doing any work. Reopening it
	 * on /dev/null would make a lost report look like a written one. */
	if (fd_closed(STDOUT_FILENO)) {
		if (!fd_closed(STDERR_FILENO))
			fputs("airlock: standard output is closed: there is nowhere to write the result\n", stderr);
		return 2;
	}
	/* Were fd 0 or 2 closed, the next open() would land there, and a read of
	 * "-" or a diagnostic would touch an operator's file. open() takes the
	 * lowest free descriptor, so these land on 0 and 2. */
	if (fd_closed(STDIN_FILENO) && open("/dev/null", O_RDONLY) != STDIN_FILENO)
		return 2;
	if (fd_closed(STDERR_FILENO) && open("/dev/null", O_WRONLY) != STDERR_FILENO)
		return 2;
	return -1;
}

int
al_cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		note_out_error();
	/* close() is where some file systems report a failed write */
	if (fclose(stdout) != 0)
		note_out_error();
	if (out_failed) {
		fprintf(stderr, "airlock: cannot write the output to standard output: %s\n",
			out_errno ? strerror(out_errno) : "write error");
		return 2;
	}
	return status;
}
