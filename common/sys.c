/*
 * sys.c — what a run asks of the system besides files: how many threads to
 * use by default, and a clock for progress displays.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "common/common.h"

/* The CPUs this process may run on (taskset, cgroup cpusets), not those
 * the machine has, so that a verification confined to one core does not
 * start eight threads to share it. */
unsigned
al_cpu_count(void)
{
	cpu_set_t set;
	long n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > AL_MAX_THREADS ? AL_MAX_THREADS : (unsigned)n;
}

uint64_t
al_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
