/* Linux user-mode platform layer: a static program without libc, raw syscalls only.
   Usage: cpu-linux [scale]   (default BENCH_SCALE). Exit status 0 on PASS.
   Built for riscv64 (to run inside a Linux guest) and for the build host (x86_64 or aarch64), where
   it computes the reference checksums natively. */
#include "bench.h"

#if defined(__riscv)
#define SYS_WRITE 64
#define SYS_EXIT_GROUP 94
#define SYS_CLOCK_GETTIME 113

static long syscall3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
  return a0;
}

/* The default linker script defines __global_pointer$ and relaxes accesses near it to gp-relative
   ones, so gp must be set before any C code runs. */
__asm__(".section .text._start, \"ax\", @progbits\n"
        ".globl _start\n"
        "_start:\n"
        ".option push\n"
        ".option norelax\n"
        "  la gp, __global_pointer$\n"
        ".option pop\n"
        "  mv a0, sp\n"
        "  andi sp, sp, -16\n"
        "  call linux_start\n"
        "1: j 1b\n");

#elif defined(__x86_64__)
#define SYS_WRITE 1
#define SYS_EXIT_GROUP 231
#define SYS_CLOCK_GETTIME 228

static long syscall3(long n, long a, long b, long c) {
  long ret;
  __asm__ volatile("syscall" : "=a"(ret) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
  return ret;
}

__asm__(".section .text._start, \"ax\", @progbits\n"
        ".globl _start\n"
        "_start:\n"
        "  xor %ebp, %ebp\n"
        "  mov %rsp, %rdi\n"
        "  and $-16, %rsp\n"
        "  call linux_start\n"
        "  hlt\n");

#elif defined(__aarch64__)
#define SYS_WRITE 64
#define SYS_EXIT_GROUP 94
#define SYS_CLOCK_GETTIME 113

static long syscall3(long n, long a, long b, long c) {
  register long x0 __asm__("x0") = a;
  register long x1 __asm__("x1") = b;
  register long x2 __asm__("x2") = c;
  register long x8 __asm__("x8") = n;
  __asm__ volatile("svc 0" : "+r"(x0) : "r"(x1), "r"(x2), "r"(x8) : "memory");
  return x0;
}

__asm__(".section .text._start, \"ax\", %progbits\n"
        ".globl _start\n"
        "_start:\n"
        "  mov x0, sp\n"
        "  bl linux_start\n"
        "1: b 1b\n");

#else
#error "linux.c: unsupported architecture"
#endif

static char out_buf[4096];
static usize out_len;

static void flush(void) {
  usize done = 0;
  while (done < out_len) {
    long n = syscall3(SYS_WRITE, 1, (long)(out_buf + done), (long)(out_len - done));
    if (n <= 0) break;
    done += (usize)n;
  }
  out_len = 0;
}

void plat_putc(int c) {
  out_buf[out_len++] = (char)c;
  if (c == '\n' || out_len == sizeof out_buf) flush();
}

void plat_exit(int code) {
  flush();
  for (;;) syscall3(SYS_EXIT_GROUP, code, 0, 0);
}

/* The instret counter is not readable from user mode on current Linux (perf_user_access). */
u64 plat_instret(void) { return NO_VALUE; }
u64 plat_instret_at_start(void) { return NO_VALUE; }

u64 plat_time_ns(void) {
  struct {
    long sec, nsec;
  } ts;
  if (syscall3(SYS_CLOCK_GETTIME, 1 /* CLOCK_MONOTONIC */, (long)&ts, 0) != 0) return NO_VALUE;
  return (u64)ts.sec * 1000000000ul + (u64)ts.nsec;
}

__attribute__((used, noreturn)) void linux_start(long *sp) {
  long argc = sp[0];
  char **argv = (char **)(sp + 1);
  u64 scale = BENCH_SCALE;
  if (argc > 1) {
    scale = 0;
    for (const char *p = argv[1]; *p >= '0' && *p <= '9'; p++) scale = scale * 10 + (u64)(*p - '0');
  }
  plat_exit(bench_run(scale));
}
