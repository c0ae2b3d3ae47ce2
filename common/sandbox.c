/*
 * sandbox.c — airlock needs no network and runs no other program, so the
 * kernel is told so before any input is read: a seccomp filter kills the
 * process on any socket or exec system call. This makes "offline" a
 * property the kernel enforces, not only one the link map shows (static
 * glibc carries dormant resolver code behind pthread_create; it can never
 * run here).
 */
/* O_TMPFILE */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
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

static bool read_only;

bool
al_sandbox_read_only(void)
{
	return read_only;
}

al_rc
al_sandbox_no_writes(al_err *err)
{
#ifdef AL_HAVE_SECCOMP
#define WRITE_FLAGS (O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | (O_TMPFILE & ~O_DIRECTORY))
#define DENY(nr) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS)
	/* a verification that writes no report opens nothing for writing and
	 * changes no name in any folder: after this, code that a hostile
	 * bundle somehow took over cannot write either (docs/design.md §5).
	 * openat2 passes its flags in memory a filter cannot read: denied. */
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		/* 2 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* 3 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0, 3),
		/* 5 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[2])),
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, WRITE_FLAGS, 0, 5),
		/* 7 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_open, 0, 3),
		/* 9 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		/* 10 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, WRITE_FLAGS, 0, 1),
		/* 11 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		/* 12: the number again (an arg may be loaded), then the rest */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		DENY(__NR_openat2), DENY(__NR_creat), DENY(__NR_truncate), DENY(__NR_ftruncate),
		DENY(__NR_rename), DENY(__NR_renameat), DENY(__NR_renameat2), DENY(__NR_unlink),
		DENY(__NR_unlinkat), DENY(__NR_mkdir), DENY(__NR_mkdirat), DENY(__NR_rmdir),
		DENY(__NR_link), DENY(__NR_linkat), DENY(__NR_symlink), DENY(__NR_symlinkat),
		DENY(__NR_mknod), DENY(__NR_mknodat), DENY(__NR_chmod), DENY(__NR_fchmodat),
		DENY(__NR_chown), DENY(__NR_fchownat), DENY(__NR_lchown), DENY(__NR_utimensat),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { (unsigned short)(sizeof(f) / sizeof(f[0])), f };
#undef DENY
#undef WRITE_FLAGS

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return al_err_set(err, AL_E_INTERNAL, "sandbox: PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0)
		return al_err_set(err, AL_E_INTERNAL, "sandbox: seccomp filter: %s", strerror(errno));
	read_only = true;
#else
	(void)err;
#endif
	return AL_OK;
}
