/*
 * sandbox.c — airlock needs no network and runs no other program, so the
 * kernel is told so before any input is read: a seccomp filter kills the
 * process on any socket or exec system call. This makes "offline" a
 * property the kernel enforces, not only one the link map shows (static
 * glibc carries dormant resolver code behind pthread_create; it can never
 * run here).
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__linux__) && defined(__x86_64__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#define AL_HAVE_SECCOMP 1
#endif

#include "common/common.h"

static bool active;

bool
al_sandbox_active(void)
{
	return active;
}

al_rc
al_sandbox_enter(al_err *err)
{
#ifdef AL_HAVE_SECCOMP
#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
	struct sock_filter f[] = {
		/* another ABI (x32, i386) could reach the same calls by other numbers */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1), /* x32 syscall numbers */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		DENY(__NR_socket), DENY(__NR_socketpair), DENY(__NR_connect), DENY(__NR_bind),
		DENY(__NR_listen), DENY(__NR_accept), DENY(__NR_accept4), DENY(__NR_sendto),
		DENY(__NR_sendmsg), DENY(__NR_sendmmsg), DENY(__NR_recvfrom), DENY(__NR_recvmsg),
		DENY(__NR_recvmmsg),
#ifndef __SANITIZE_ADDRESS__
		/* (ASan builds exec llvm-symbolizer to print a report: they keep exec) */
		DENY(__NR_execve), DENY(__NR_execveat),
#endif
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)(sizeof(f) / sizeof(f[0])), f };
#undef DENY

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return al_err_set(err, AL_E_INTERNAL, "sandbox: PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return al_err_set(err, AL_E_INTERNAL, "sandbox: seccomp filter: %s", strerror(errno));
	active = true;
#else
	(void)err;
#endif
	return AL_OK;
}
