/*
 * bench/rss.c — run a command and report its peak RSS (bench/run compiles
 * this into bench/work/rss on first use).
 *
 *   rss OUTFILE COMMAND [ARG...]
 *
 * Runs COMMAND with the same stdin, stdout and stderr, waits for it with
 * wait4(2), writes "<ru_maxrss KiB> <exit status>\n" to OUTFILE and exits
 * with COMMAND's status (128 + signal when a signal ended it).
 *
 * Why a helper: Linux counts a process's peak RSS from before its exec, so
 * a command started straight from python3 reports at least the Python
 * interpreter's own RSS (about 25 MiB). Started from this small program,
 * the figure is the command's own (plus this program's ~1 MiB at fork).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	struct rusage ru;
	int status, code;
	pid_t pid;
	FILE *f;

	if (argc < 3) {
		fputs("usage: rss OUTFILE COMMAND [ARG...]\n", stderr);
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("rss: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "rss: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("rss: wait4");
			return 2;
		}
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if ((f = fopen(argv[1], "w")) == NULL || fprintf(f, "%ld %d\n", ru.ru_maxrss, code) < 0 ||
	    fclose(f) != 0) {
		perror("rss: write");
		return 2;
	}
	return code;
}
