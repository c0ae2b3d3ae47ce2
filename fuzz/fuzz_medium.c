/*
 * fuzz_medium.c — the delivery-medium reader (bundle/medium.c): the label,
 * the member rules and the data of each member, in the tar form and (when
 * the input has "CD001" at 32 KiB) the ISO 9660 form; and the evidence
 * label probe. The input goes through a memfd, as a device would.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bundle/bundle.h"

static volatile size_t sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int fd = memfd_create("medium", MFD_CLOEXEC);
	al_medium *m;
	const al_medium_entry *e;
	al_err err;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return 0;
	}
	al_err_clear(&err);
	if (al_medium_probe_evidence(fd, "fuzz", &err) == AL_OK)
		sink++;
	al_err_clear(&err);
	if (lseek(fd, 0, SEEK_SET) == 0 && al_medium_open(fd, "fuzz", &m, &err) == AL_OK) {
		sink += al_medium_format(m)[0];
		while (al_medium_next(m, &e, &err) == AL_OK && e != NULL) {
			const uint8_t *p;
			size_t n;

			sink += e->kind + e->name[0];
			while (al_medium_data(m, &p, &n, &err) == AL_OK && n > 0)
				sink += p[0];
		}
		al_medium_free(m);
	}
	close(fd);
	return 0;
}
