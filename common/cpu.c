/*
 * cpu.c — how many threads a run should use by default: the CPUs this
 * process may run on (taskset, cgroup cpusets), not those the machine has,
 * so that a verification confined to one core does not start eight
 * threads to share it.
 */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <sched.h>
#include <unistd.h>

#include "common/common.h"

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
