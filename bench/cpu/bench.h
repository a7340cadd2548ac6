/* tsvirt guest CPU benchmark: types, the platform interface and the default size.

   The core (bench.c) is platform-independent C with no libc. A platform layer provides the entry
   point and the functions declared below:
     spike.S  bare metal on the spike board (M-mode, HTIF console and exit)
     linux.c  a static Linux user program (raw syscalls; riscv64, and x86_64/aarch64 for a native
              reference run that computes the expected checksums). */
#ifndef TSVIRT_BENCH_H
#define TSVIRT_BENCH_H

/* Default size. Work grows linearly with it; at 20 the whole run retires about 400 million RISC-V
   instructions. Override with -DBENCH_SCALE=N (spike) or the first argument (Linux). */
#ifndef BENCH_SCALE
#define BENCH_SCALE 20
#endif

#ifndef __ASSEMBLER__

typedef unsigned long u64;
typedef long i64;
typedef unsigned int u32;
typedef int i32;
typedef unsigned short u16;
typedef short i16;
typedef unsigned char u8;
typedef signed char i8;
typedef unsigned long usize;

_Static_assert(sizeof(u64) == 8 && sizeof(void *) == 8, "LP64 only");

#define NO_VALUE (~0ul)

/* Platform layer. */
void plat_putc(int c);
__attribute__((noreturn)) void plat_exit(int code);
/* Instructions retired so far, or NO_VALUE when the platform cannot read the counter. */
u64 plat_instret(void);
/* The counter's value at the program's first instruction, or NO_VALUE. */
u64 plat_instret_at_start(void);
/* Monotonic time in nanoseconds, or NO_VALUE. */
u64 plat_time_ns(void);

/* Core: runs the three parts at the given scale, prints the report, returns the exit code
   (0 = PASS). */
int bench_run(u64 scale);
/* Reports an unexpected trap (bare metal) and exits with code 3. */
__attribute__((noreturn)) void bench_trap(u64 cause, u64 epc, u64 tval);

#endif /* __ASSEMBLER__ */
#endif
