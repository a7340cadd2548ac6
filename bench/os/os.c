/*
 * Operating-system costs inside a Linux guest: system calls, page faults, fork, fork+exec and
 * pipe round trips. A guest's own work (boot, dpkg and its maintainer scripts, shells) is made of
 * these more than of user-mode loops, and an emulator can be fast at one and slow at the other:
 * a trap round trip leaves translated code, a new address space refills the TLB. Each line is
 * "op NAME us=MICROSECONDS_PER_OP n=COUNT", timed with CLOCK_MONOTONIC in the guest.
 * Usage: os [SCALE]  (default 1: counts as below); os --child: exit at once (exec's target).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static void report(const char *name, double t0, long n) {
  printf("op %s us=%.3f n=%ld\n", name, (now_us() - t0) / n, n);
  fflush(stdout);
}

enum { FAULT_BYTES = 1 << 20, PAGE = 4096 };

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "--child") == 0) return 0;
  long scale = argc > 1 ? atol(argv[1]) : 1;
  if (scale < 1) scale = 1;
  double t0;

  /* getppid: the cheapest real system call (no vDSO shortcut, nothing cached in libc). */
  long n = 20000 * scale;
  t0 = now_us();
  for (long i = 0; i < n; i++) syscall(SYS_getppid);
  report("syscall", t0, n);

  /* Anonymous memory touched once per page: one fault, one zeroed page each. */
  n = 16 * scale;
  t0 = now_us();
  for (long i = 0; i < n; i++) {
    volatile char *p = mmap(0, FAULT_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return 2;
    for (long k = 0; k < FAULT_BYTES; k += PAGE) p[k] = 1;
    munmap((void *)p, FAULT_BYTES);
  }
  report("page-fault", t0, n * (FAULT_BYTES / PAGE));

  n = 100 * scale;
  t0 = now_us();
  for (long i = 0; i < n; i++) {
    pid_t c = fork();
    if (c == 0) _exit(0);
    if (c < 0 || waitpid(c, 0, 0) != c) return 3;
  }
  report("fork", t0, n);

  n = 100 * scale;
  t0 = now_us();
  for (long i = 0; i < n; i++) {
    pid_t c = fork();
    if (c == 0) {
      execl("/proc/self/exe", "os", "--child", (char *)0);
      _exit(1);
    }
    int status;
    if (c < 0 || waitpid(c, &status, 0) != c || status != 0) return 4;
  }
  report("fork-exec", t0, n);

  /* One byte there and back between two processes: two context switches per round trip. */
  int to[2], from[2];
  if (pipe(to) || pipe(from)) return 5;
  pid_t echo = fork();
  if (echo == 0) {
    /* Without its copy of the write end, the echo sees end-of-file when the parent closes it. */
    close(to[1]);
    char b;
    while (read(to[0], &b, 1) == 1)
      if (write(from[1], &b, 1) != 1) break;
    _exit(0);
  }
  char b = 0;
  n = 2000 * scale;
  t0 = now_us();
  for (long i = 0; i < n; i++)
    if (write(to[1], &b, 1) != 1 || read(from[0], &b, 1) != 1) return 6;
  report("pipe-round-trip", t0, n);
  close(to[1]);
  waitpid(echo, 0, 0);
  printf("PASS\n");
  return 0;
}
