/*
 * progress.c — the one-line progress display of `airlock verify` on a
 * terminal: how much of the bundle is read and hashed, how fast, and the
 * entry at hand, redrawn in place with '\r' (bundle/ calls at most four
 * times a second, from the thread that called it: oci_hashq.c) and cleared
 * before anything else is written. Nothing at all when stderr is not a
 * terminal or with --quiet: a log or a pipe gets only the report. The entry
 * name comes from the bundle, so it goes through al_text_line like every
 * other line (docs/design.md §6) and cannot move the cursor or forge text.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "bundle/bundle.h"
#include "cli/cli.h"

bool
al_cli_progress_begin(al_cli_progress *pg, bool quiet)
{
	memset(pg, 0, sizeof(*pg));
	if (quiet || !isatty(STDERR_FILENO))
		return false;
	pg->start_ns = al_monotonic_ns();
	return true;
}

/* "512.0 MiB"; the longest is "16777216.0 TiB", but an -O2 build without
 * debug information cannot see that and refuses 16 bytes */
#define HUMAN_MAX 32

static void
human(uint64_t n, char out[HUMAN_MAX])
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	double v = (double)n;
	size_t u = 0;

	while (v >= 1024 && u + 1 < AL_ARRAY_LEN(unit)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(out, HUMAN_MAX, "%llu B", (unsigned long long)n);
	else
		snprintf(out, HUMAN_MAX, "%.1f %s", v, unit[u]);
}

/* The terminal's width; 80 when it does not say. */
static size_t
columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* Appends as much of the entry's name as fits in room bytes: escaped first
 * (al_text_line), then, when too long, its end, which tells blobs apart
 * (blobs/sha256/<hex>), cut at the start of a character. */
static size_t
entry_name(char *dst, size_t room, const char *entry)
{
	char esc[AL_MAX_REPORT_LINE];
	size_t n = al_text_line(esc, sizeof(esc), al_bytes_str(entry)), from;

	if (n <= room) {
		memcpy(dst, esc, n);
		return n;
	}
	if (room < 4)
		return 0;
	from = n - (room - 3);
	while (from < n && ((uint8_t)esc[from] & 0xc0) == 0x80)
		from++;
	memcpy(dst, "...", 3);
	memcpy(dst + 3, esc + from, n - from);
	return 3 + n - from;
}

void
al_cli_progress_draw(void *ctx, const struct al_oci_progress *p)
{
	al_cli_progress *pg = ctx;
	char line[AL_MAX_REPORT_LINE], a[HUMAN_MAX], b[HUMAN_MAX], r[HUMAN_MAX];
	double secs = (double)(al_monotonic_ns() - pg->start_ns) / 1e9;
	/* a directory's blobs have a known total; an archive is read as a
	 * stream, so it shows what was read of the file */
	uint64_t done = p->total > 0 ? p->hashed : p->read, of = p->total > 0 ? p->total : p->read_total;
	/* every byte is at least one column wide, so a line of fewer bytes than
	 * the terminal has columns never wraps (a wrapped line is not redrawn
	 * by '\r') */
	size_t max = columns() - 1, len;
	int n;

	if (max >= sizeof(line))
		max = sizeof(line) - 1;
	human(done, a);
	human(secs > 0 ? (uint64_t)((double)done / secs) : 0, r);
	if (of > 0) {
		human(of, b);
		n = snprintf(line, sizeof(line), "airlock: %s %s of %s (%llu%%), %s/s", p->total > 0 ? "hashed" : "read",
			     a, b, (unsigned long long)(done >= of ? 100 : done * 100 / of), r);
	} else {
		n = snprintf(line, sizeof(line), "airlock: read %s, %s/s", a, r);
	}
	len = n < 0 ? 0 : (size_t)n;
	if (len > max)
		len = max;
	if (p->entry != NULL && max - len > 2 + 8) {
		memcpy(line + len, ", ", 2);
		len += 2;
		len += entry_name(line + len, max - len, p->entry);
	}
	/* spaces over what is left of a longer line before (within the width:
	 * the terminal may have narrowed since) */
	if (pg->shown > max)
		pg->shown = max;
	fputc('\r', stderr);
	fwrite(line, 1, len, stderr);
	for (size_t i = len; i < pg->shown; i++)
		fputc(' ', stderr);
	fflush(stderr);
	if (len > pg->shown)
		pg->shown = len;
}

void
al_cli_progress_end(al_cli_progress *pg)
{
	if (pg->shown == 0)
		return;
	fputc('\r', stderr);
	for (size_t i = 0; i < pg->shown; i++)
		fputc(' ', stderr);
	fputc('\r', stderr);
	fflush(stderr);
	pg->shown = 0;
}
