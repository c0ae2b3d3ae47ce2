/*
 * driver.c — runs a libFuzzer harness without libFuzzer: each argument is a
 * file or a directory of files, fed to LLVMFuzzerTestOneInput one by one.
 * ctest runs every harness this way over its seed corpus, so a harness that
 * crashes or leaks (under ASan) on a known input fails the ordinary tests.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count;

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (f == NULL)
		return perror(path), 1;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		return fclose(f), fprintf(stderr, "%s: cannot size\n", path), 1;
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
		return free(buf), fclose(f), fprintf(stderr, "%s: read failed\n", path), 1;
	fclose(f);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	count++;
	return 0;
}

static int
run(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (stat(path, &st) != 0) {
		/* a seed from ../shared is optional only while ../shared itself is
		 * absent; any other listed path that is missing is an error, so a
		 * renamed corpus cannot turn a replay into a silent no-op */
		const char *sh = getenv("AL_SHARED");
		struct stat sst;

		if (sh && sh[0] && strncmp(path, sh, strlen(sh)) == 0 && stat(sh, &sst) != 0) {
			fprintf(stderr, "*** SKIPPED: %s: ../shared is absent ***\n", path);
			return 0;
		}
		fprintf(stderr, "%s: listed for replay but missing\n", path);
		return 1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	d = opendir(path);
	if (d == NULL)
		return perror(path), 1;
	while ((e = readdir(d)) != NULL) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		rc |= run(sub);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	int rc = 0;

	for (int i = 1; i < argc; i++)
		rc |= run(argv[i]);
	printf("%d inputs replayed\n", count);
	return rc || count == 0;
}
