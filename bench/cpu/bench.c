/* tsvirt guest CPU benchmark: the platform-independent core.

   Three parts, each a set of kernels run `scale` times with a different seed per repetition:
     int  CRC-32 (table) and CRC-32C (bitwise), Adler-style sums, quicksort and heapsort, a small
          register-machine interpreter (Collatz, sieve), a byte-class tokenizer state machine,
          64-bit multiply/divide (gcd, modular exponentiation with mulhu, signed div/rem, 32-bit
          word ops, radix conversion)
     mem  word/byte/misaligned copies, fills and an overlapping backward move over 1 MiB buffers,
          pointer chasing around a 4 MiB single-cycle linked list, naive and blocked matrix
          transposes, byte histograms and 16-bit prefix sums
     fp   double-precision matrix multiply (explicit fma), Simpson integration (division, sqrt, a
          polynomial sine), an n-body leapfrog integrator, a single-precision Mandelbrot set
   Each part folds its results into one 64-bit checksum, compared with the reference values in
   expected.h (computed by a native build, see build.sh), and also checks itself against facts
   that do not need a reference (sortedness, known CRC check values, Fermat's little theorem,
   interpreter vs direct computation, integrals vs their exact values, energy conservation).

   Determinism: no addresses enter a checksum; floating point uses only correctly rounded IEEE
   operations (+ - * / sqrt fma, conversions), built with -ffp-contract=off so the compiler
   cannot fuse on its own, and never produces a NaN (NaN bit patterns differ between ISAs). */
#include "bench.h"
#include "expected.h"

/* ------------------------------------------------------------------------------------------ */
/* Runtime support: the compiler may emit calls to these even in freestanding code. */

void *memcpy(void *dst, const void *src, usize n) {
  u8 *d = dst;
  const u8 *s = src;
  while (n--) *d++ = *s++;
  return dst;
}

void *memset(void *dst, int c, usize n) {
  u8 *d = dst;
  while (n--) *d++ = (u8)c;
  return dst;
}

void *memmove(void *dst, const void *src, usize n) {
  u8 *d = dst;
  const u8 *s = src;
  if (d < s) {
    while (n--) *d++ = *s++;
  } else {
    while (n--) d[n] = s[n];
  }
  return dst;
}

int memcmp(const void *a, const void *b, usize n) {
  const u8 *x = a, *y = b;
  for (usize i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* ------------------------------------------------------------------------------------------ */
/* Output. */

static void put_str(const char *s) {
  while (*s) plat_putc(*s++);
}

static void put_dec(u64 v) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) plat_putc(buf[--n]);
}

static void put_hex(u64 v) {
  put_str("0x");
  for (int sh = 60; sh >= 0; sh -= 4) plat_putc("0123456789abcdef"[(v >> sh) & 15]);
}

/* ------------------------------------------------------------------------------------------ */
/* Checksums, random numbers, self-checks. */

static u64 mix(u64 h, u64 v) {
  h = (h ^ v) * 0x9c8d2f6a3b5e7d13ul;
  return h ^ (h >> 29);
}

static u64 bits_of(double d) {
  union {
    double d;
    u64 u;
  } x = {d};
  return x.u;
}

static u32 bits_of_f(float f) {
  union {
    float f;
    u32 u;
  } x = {f};
  return x.u;
}

typedef struct {
  u64 s;
} Rng;

/* xorshift64 with a multiplied output. */
static u64 rng_next(Rng *r) {
  u64 x = r->s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  r->s = x;
  return x * 0x2545f4914f6cdd1dul;
}

static Rng rng_seed(u64 part, u64 rep) {
  Rng r = {mix(mix(0x7473766972746263ul, part), rep) | 1};
  return r;
}

static int check_failures;

static void check(int ok, const char *what) {
  if (!ok) {
    check_failures++;
    put_str("  self-check failed: ");
    put_str(what);
    plat_putc('\n');
  }
}

static double dabs(double x) { return x < 0 ? -x : x; }

/* ------------------------------------------------------------------------------------------ */
/* Integer part. */

#define CRC_BYTES (24 * 1024)
static u8 crc_buf[CRC_BYTES];
static u32 crc_table[256];

static void crc32_init(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    crc_table[i] = c;
  }
}

static u32 crc32(const u8 *p, usize n) {
  u32 c = ~0u;
  while (n--) c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
  return ~c;
}

static u32 crc32c_bitwise(const u8 *p, usize n) {
  u32 c = ~0u;
  for (usize i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
  }
  return ~c;
}

/* Two running sums reduced modulo the largest prime below 2^16, deferring the division. */
static u32 adler_like(const u8 *p, usize n) {
  u32 a = 1, b = 0;
  while (n) {
    usize chunk = n < 3800 ? n : 3800;
    n -= chunk;
    while (chunk--) {
      a += *p++;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return (b << 16) | a;
}

static u64 int_hashes(u64 rep) {
  Rng r = rng_seed(1, rep);
  for (usize i = 0; i < CRC_BYTES; i += 8) {
    u64 v = rng_next(&r);
    for (int k = 0; k < 8; k++) crc_buf[i + k] = (u8)(v >> (8 * k));
  }
  /* Text-like bytes in part of the buffer so the byte distribution is not uniform. */
  for (usize i = 0; i < CRC_BYTES / 4; i++) crc_buf[i] = (u8)(' ' + crc_buf[i] % 95);
  u64 h = crc32(crc_buf, CRC_BYTES);
  h = mix(h, crc32c_bitwise(crc_buf + (rep % 64), 2048));
  h = mix(h, adler_like(crc_buf, CRC_BYTES));
  return h;
}

#define SORT_N 8192
static u64 sort_keys[SORT_N];
static i32 heap_keys[SORT_N / 2];

static void insertion_sort(u64 *a, i64 n) {
  for (i64 i = 1; i < n; i++) {
    u64 v = a[i];
    i64 j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static void swap_u64(u64 *a, u64 *b) {
  u64 t = *a;
  *a = *b;
  *b = t;
}

/* Quicksort: median of three as pivot (ordered in place, so the ends act as sentinels), Hoare
   partition, recursion on the smaller side only, insertion sort for short ranges. */
static void quicksort(u64 *a, i64 n) {
  while (n > 16) {
    i64 mid = n / 2;
    if (a[mid] < a[0]) swap_u64(&a[mid], &a[0]);
    if (a[n - 1] < a[0]) swap_u64(&a[n - 1], &a[0]);
    if (a[n - 1] < a[mid]) swap_u64(&a[n - 1], &a[mid]);
    u64 pivot = a[mid];
    i64 i = -1, j = n;
    for (;;) {
      do i++;
      while (a[i] < pivot);
      do j--;
      while (a[j] > pivot);
      if (i >= j) break;
      swap_u64(&a[i], &a[j]);
    }
    i64 left = j + 1;
    if (left < n - left) {
      quicksort(a, left);
      a += left;
      n -= left;
    } else {
      quicksort(a + left, n - left);
      n = left;
    }
  }
  insertion_sort(a, n);
}

static void sift_down(i32 *a, i64 root, i64 n) {
  for (;;) {
    i64 child = 2 * root + 1;
    if (child >= n) return;
    if (child + 1 < n && a[child + 1] > a[child]) child++;
    if (a[root] >= a[child]) return;
    i32 t = a[root];
    a[root] = a[child];
    a[child] = t;
    root = child;
  }
}

static void heapsort(i32 *a, i64 n) {
  for (i64 i = n / 2 - 1; i >= 0; i--) sift_down(a, i, n);
  for (i64 end = n - 1; end > 0; end--) {
    i32 t = a[0];
    a[0] = a[end];
    a[end] = t;
    sift_down(a, 0, end);
  }
}

static u64 int_sorts(u64 rep) {
  Rng r = rng_seed(2, rep);
  u64 sum = 0, xr = 0;
  /* Keys with many duplicates in the low range plus full-width ones. */
  for (i64 i = 0; i < SORT_N; i++) {
    u64 v = rng_next(&r);
    sort_keys[i] = (i & 3) ? v : v % 97;
    sum += sort_keys[i];
    xr ^= sort_keys[i];
  }
  quicksort(sort_keys, SORT_N);
  u64 h = 0, sum2 = 0, xr2 = 0;
  int sorted = 1;
  for (i64 i = 0; i < SORT_N; i++) {
    if (i && sort_keys[i - 1] > sort_keys[i]) sorted = 0;
    sum2 += sort_keys[i];
    xr2 ^= sort_keys[i];
    if ((i & 15) == 0) h = mix(h, sort_keys[i]);
  }
  check(sorted && sum == sum2 && xr == xr2, "quicksort");

  i64 hsum = 0;
  for (i64 i = 0; i < SORT_N / 2; i++) {
    heap_keys[i] = (i32)(u32)rng_next(&r) >> (i & 7);
    hsum += heap_keys[i];
  }
  heapsort(heap_keys, SORT_N / 2);
  i64 hsum2 = 0;
  sorted = 1;
  for (i64 i = 0; i < SORT_N / 2; i++) {
    if (i && heap_keys[i - 1] > heap_keys[i]) sorted = 0;
    hsum2 += heap_keys[i];
    if ((i & 15) == 0) h = mix(h, (u64)(i64)heap_keys[i]);
  }
  check(sorted && hsum == hsum2, "heapsort");
  return h;
}

/* A register machine: 16 registers of 64 bits, 32-bit instructions op|a<<8|b<<16|c<<24 where c
   is a register or a signed 8-bit immediate; branch offsets are relative to the branch. */
enum {
  VM_HALT,
  VM_LI,   /* ra = imm16 (b | c << 8) */
  VM_MOV,  /* ra = rb */
  VM_ADD,  /* ra = rb + rc */
  VM_SUB,  /* ra = rb - rc */
  VM_MUL,  /* ra = rb * rc */
  VM_ADDI, /* ra = rb + c */
  VM_ANDI, /* ra = rb & c */
  VM_SHRI, /* ra = rb >> c (logical) */
  VM_LDB,  /* ra = mem[rb + c] */
  VM_STB,  /* mem[rb + c] = ra */
  VM_BEQZ, /* if ra == 0: pc += c (b unused) */
  VM_BNEZ, /* if ra != 0: pc += c */
  VM_BLT,  /* if ra < rb (signed): pc += c */
  VM_JMP,  /* pc += c */
};

#define VI(op, a, b, c) ((u32)(op) | (u32)(a) << 8 | (u32)(b) << 16 | (u32)(u8)(i8)(c) << 24)

/* Collatz: r0 = first n, r1 = end; results r2 = total steps, r3 = longest. */
static const u32 vm_collatz[] = {
    VI(VM_LI, 2, 0, 0),     /* 0  total = 0 */
    VI(VM_LI, 3, 0, 0),     /* 1  longest = 0 */
    VI(VM_MOV, 4, 0, 0),    /* 2  n_loop: x = n */
    VI(VM_LI, 5, 0, 0),     /* 3  steps = 0 */
    VI(VM_ADDI, 7, 4, -1),  /* 4  x_loop: t = x - 1 */
    VI(VM_BEQZ, 7, 0, 10),  /* 5  if x == 1 goto done (15) */
    VI(VM_ANDI, 7, 4, 1),   /* 6  t = x & 1 */
    VI(VM_BNEZ, 7, 0, 3),   /* 7  if odd goto 10 */
    VI(VM_SHRI, 4, 4, 1),   /* 8  x >>= 1 */
    VI(VM_JMP, 0, 0, 4),    /* 9  goto count (13) */
    VI(VM_ADD, 7, 4, 4),    /* 10 t = 2x */
    VI(VM_ADD, 4, 7, 4),    /* 11 x = 3x */
    VI(VM_ADDI, 4, 4, 1),   /* 12 x += 1 */
    VI(VM_ADDI, 5, 5, 1),   /* 13 count: steps++ */
    VI(VM_JMP, 0, 0, -10),  /* 14 goto x_loop (4) */
    VI(VM_ADD, 2, 2, 5),    /* 15 done: total += steps */
    VI(VM_BLT, 5, 3, 2),    /* 16 if steps < longest goto 18 */
    VI(VM_MOV, 3, 5, 0),    /* 17 longest = steps */
    VI(VM_ADDI, 0, 0, 1),   /* 18 n++ */
    VI(VM_BLT, 0, 1, -17),  /* 19 if n < end goto n_loop (2) */
    VI(VM_HALT, 0, 0, 0),   /* 20 */
};

static u64 vm_regs[16];
static u8 vm_mem[8192];

static void vm_run(const u32 *code) {
  u64 *R = vm_regs;
  usize pc = 0;
  for (;;) {
    u32 in = code[pc];
    u32 a = (in >> 8) & 15, b = (in >> 16) & 15;
    i64 c = (i8)(in >> 24);
    u32 rc = (in >> 24) & 15;
    switch (in & 0xff) {
    case VM_HALT:
      return;
    case VM_LI:
      R[a] = (in >> 16) & 0xffff;
      break;
    case VM_MOV:
      R[a] = R[b];
      break;
    case VM_ADD:
      R[a] = R[b] + R[rc];
      break;
    case VM_SUB:
      R[a] = R[b] - R[rc];
      break;
    case VM_MUL:
      R[a] = R[b] * R[rc];
      break;
    case VM_ADDI:
      R[a] = R[b] + (u64)c;
      break;
    case VM_ANDI:
      R[a] = R[b] & (u64)c;
      break;
    case VM_SHRI:
      R[a] = R[b] >> (c & 63);
      break;
    case VM_LDB:
      R[a] = vm_mem[(R[b] + (u64)c) % sizeof vm_mem];
      break;
    case VM_STB:
      vm_mem[(R[b] + (u64)c) % sizeof vm_mem] = (u8)R[a];
      break;
    case VM_BEQZ:
      if (R[a] == 0) {
        pc += (usize)c;
        continue;
      }
      break;
    case VM_BNEZ:
      if (R[a] != 0) {
        pc += (usize)c;
        continue;
      }
      break;
    case VM_BLT:
      if ((i64)R[a] < (i64)R[b]) {
        pc += (usize)c;
        continue;
      }
      break;
    case VM_JMP:
      pc += (usize)c;
      continue;
    default:
      check(0, "vm: bad opcode");
      return;
    }
    pc++;
  }
}

/* Sieve of Eratosthenes over vm_mem[0..r1): r0 = 2 on entry; result r5 = number of primes. */
static const u32 vm_sieve[] = {
    VI(VM_MUL, 2, 0, 0),   /* 0  outer: j = i * i */
    VI(VM_BLT, 2, 1, 2),   /* 1  if j < N goto 3 */
    VI(VM_JMP, 0, 0, 10),  /* 2  goto count (12) */
    VI(VM_LDB, 3, 0, 0),   /* 3  composite = mem[i] */
    VI(VM_BNEZ, 3, 0, 6),  /* 4  if composite goto next_i (10) */
    VI(VM_LI, 4, 1, 0),    /* 5  one = 1 */
    VI(VM_STB, 4, 2, 0),   /* 6  inner: mem[j] = 1 */
    VI(VM_ADD, 2, 2, 0),   /* 7  j += i */
    VI(VM_BLT, 2, 1, -2),  /* 8  if j < N goto inner (6) */
    VI(VM_LI, 2, 0, 0),    /* 9  (padding) */
    VI(VM_ADDI, 0, 0, 1),  /* 10 next_i: i++ */
    VI(VM_JMP, 0, 0, -11), /* 11 goto outer (0) */
    VI(VM_LI, 0, 2, 0),    /* 12 count: i = 2 */
    VI(VM_LI, 5, 0, 0),    /* 13 primes = 0 */
    VI(VM_BLT, 0, 1, 2),   /* 14 loop: if i < N goto 16 */
    VI(VM_HALT, 0, 0, 0),  /* 15 */
    VI(VM_LDB, 3, 0, 0),   /* 16 */
    VI(VM_BNEZ, 3, 0, 2),  /* 17 if composite goto 19 */
    VI(VM_ADDI, 5, 5, 1),  /* 18 primes++ */
    VI(VM_ADDI, 0, 0, 1),  /* 19 i++ */
    VI(VM_JMP, 0, 0, -6),  /* 20 goto loop (14) */
};

static u64 collatz_steps(u64 x) {
  u64 s = 0;
  while (x != 1) {
    x = (x & 1) ? 3 * x + 1 : x >> 1;
    s++;
  }
  return s;
}

static u64 int_interp(u64 rep) {
  u64 first = 1 + rep * 37 % 1000, count = 100;
  for (int i = 0; i < 16; i++) vm_regs[i] = 0;
  vm_regs[0] = first;
  vm_regs[1] = first + count;
  vm_run(vm_collatz);
  u64 total = 0, longest = 0;
  for (u64 n = first; n < first + count; n++) {
    u64 s = collatz_steps(n);
    total += s;
    if (s > longest) longest = s;
  }
  check(vm_regs[2] == total && vm_regs[3] == longest, "interpreter: collatz");
  u64 h = mix(vm_regs[2], vm_regs[3]);

  u64 limit = sizeof vm_mem - (rep % 7) * 256;
  for (usize i = 0; i < sizeof vm_mem; i++) vm_mem[i] = 0;
  for (int i = 0; i < 16; i++) vm_regs[i] = 0;
  vm_regs[0] = 2;
  vm_regs[1] = limit;
  vm_run(vm_sieve);
  /* The same sieve in C, on a bit array, as the reference. */
  static u64 composite[sizeof vm_mem / 64];
  for (usize i = 0; i < sizeof composite / sizeof composite[0]; i++) composite[i] = 0;
  for (u64 i = 2; i * i < limit; i++)
    if (!(composite[i / 64] >> (i % 64) & 1))
      for (u64 j = i * i; j < limit; j += i) composite[j / 64] |= 1ul << (j % 64);
  u64 primes = 0;
  for (u64 n = 2; n < limit; n++) {
    primes += !(composite[n / 64] >> (n % 64) & 1);
    if ((n & 63) == 0) h = mix(h, primes);
  }
  check(vm_regs[5] == primes, "interpreter: sieve");
  return mix(h, vm_regs[5]);
}

/* A tokenizer over generated text: identifiers, decimal and hex numbers, operators, spaces. */
#define TEXT_BYTES 16384
static u8 text_buf[TEXT_BYTES];

enum { CL_SPACE, CL_ALPHA, CL_DIGIT, CL_X, CL_OP, CL_NL };
enum { ST_START, ST_IDENT, ST_NUM, ST_ZERO, ST_HEX, ST_OP };

static u8 char_class(u8 ch) {
  if (ch == '\n') return CL_NL;
  if (ch == ' ') return CL_SPACE;
  if (ch == 'x') return CL_X;
  if (ch >= '0' && ch <= '9') return CL_DIGIT;
  if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_') return CL_ALPHA;
  return CL_OP;
}

static u64 int_tokenize(u64 rep) {
  static const char alphabet[] = "abcdefxyz_0123456789 +-*/=<>();{}\n  0x";
  Rng r = rng_seed(3, rep);
  for (usize i = 0; i < TEXT_BYTES; i++) text_buf[i] = (u8)alphabet[rng_next(&r) % (sizeof alphabet - 1)];
  u8 cls[256];
  for (int i = 0; i < 256; i++) cls[i] = char_class((u8)i);
  u64 counts[6] = {0}, h = 0, value = 0, lines = 1;
  int st = ST_START;
  for (usize i = 0; i <= TEXT_BYTES; i++) {
    u8 ch = i < TEXT_BYTES ? text_buf[i] : ' ';
    int c = cls[ch];
    int next;
    switch (st) {
    case ST_IDENT:
      next = (c == CL_ALPHA || c == CL_DIGIT || c == CL_X) ? ST_IDENT : ST_START;
      break;
    case ST_ZERO:
      next = c == CL_X ? ST_HEX : c == CL_DIGIT ? ST_NUM : ST_START;
      break;
    case ST_NUM:
      next = c == CL_DIGIT ? ST_NUM : ST_START;
      break;
    case ST_HEX:
      next = (c == CL_DIGIT || (ch >= 'a' && ch <= 'f')) ? ST_HEX : ST_START;
      break;
    case ST_OP:
      next = (c == CL_OP && (ch == '=' || ch == '>')) ? ST_OP : ST_START;
      break;
    default:
      next = ST_START;
    }
    if (st != ST_START && next == ST_START) {
      counts[st]++;
      h = mix(h, value ^ (u64)st << 60);
      value = 0;
    }
    if (next == ST_START) {
      if (c == CL_ALPHA || c == CL_X)
        next = ST_IDENT;
      else if (c == CL_DIGIT)
        next = ch == '0' ? ST_ZERO : ST_NUM;
      else if (c == CL_OP)
        next = ST_OP;
      else if (c == CL_NL)
        lines++;
    }
    if (next == ST_NUM || next == ST_ZERO)
      value = value * 10 + (u64)(ch - '0');
    else if (next == ST_HEX && c != CL_X)
      value = value * 16 + (u64)(c == CL_DIGIT ? ch - '0' : ch - 'a' + 10);
    else
      value = value * 31 + ch;
    st = next;
  }
  for (int i = 0; i < 6; i++) h = mix(h, counts[i]);
  return mix(h, lines);
}

#define M61 ((1ul << 61) - 1)

static u64 mulmod61(u64 a, u64 b) {
  unsigned __int128 p = (unsigned __int128)a * b;
  u64 r = ((u64)p & M61) + (u64)(p >> 61);
  r = (r & M61) + (r >> 61);
  return r >= M61 ? r - M61 : r;
}

static u64 powmod61(u64 base, u64 e) {
  u64 acc = 1;
  while (e) {
    if (e & 1) acc = mulmod61(acc, base);
    base = mulmod61(base, base);
    e >>= 1;
  }
  return acc;
}

static u64 gcd(u64 a, u64 b) {
  while (b) {
    u64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static u64 int_muldiv(u64 rep) {
  Rng r = rng_seed(4, rep);
  u64 h = 0;
  /* Euclid on full-width and on smooth numbers. */
  for (int i = 0; i < 800; i++) {
    u64 a = rng_next(&r), b = rng_next(&r) >> (i & 31);
    u64 g = gcd(a, b | 1);
    u64 m = (u64)(i + 1) * 2 * 3 * 5 * 7;
    u64 g2 = gcd(a % 1000003 * m, b % 999983 * m);
    check(g2 % m == 0, "gcd of multiples");
    h = mix(h, g ^ g2);
  }
  /* Fermat: a^(p-1) = 1 mod p for the Mersenne prime 2^61 - 1. */
  for (int i = 0; i < 48; i++) {
    u64 a = rng_next(&r) % (M61 - 1) + 1;
    check(powmod61(a, M61 - 1) == 1, "Fermat's little theorem");
    h = mix(h, powmod61(a, rng_next(&r)));
  }
  /* Signed division and remainder, 64-bit and 32-bit, and the high half of products. */
  u64 acc = 0;
  for (int i = 0; i < 6000; i++) {
    i64 x = (i64)rng_next(&r), y = (i64)rng_next(&r) >> (1 + i % 62);
    if (y == 0 || y == -1) y = 7;
    i64 q = x / y, m = x % y;
    check((u64)q * (u64)y + (u64)m == (u64)x, "div/rem identity");
    i32 x32 = (i32)x, y32 = (i32)(y >> 16) | 3;
    if (y32 == -1) y32 = 5;
    i32 q32 = x32 / y32, m32 = x32 % y32;
    u32 uq32 = (u32)x32 / (u32)y32, um32 = (u32)x32 % (u32)y32;
    i64 hi = (i64)(((__int128)x * y) >> 64);
    u64 uhi = (u64)(((unsigned __int128)(u64)x * (u64)y) >> 64);
    i32 w = (i32)((u32)x32 * (u32)y32 + ((u32)x32 << (i & 31)) - ((u32)y32 >> (i & 7)));
    acc = mix(acc, (u64)q + (u64)m + (u64)(i64)q32 + (u64)(i64)m32);
    acc = mix(acc, (u64)hi ^ uhi ^ uq32 ^ ((u64)um32 << 32) ^ (u64)(i64)w);
  }
  h = mix(h, acc);
  /* Radix conversion with a variable base (real division, not multiply-by-reciprocal). */
  char digits[72];
  for (int i = 0; i < 1200; i++) {
    u64 v = rng_next(&r), base = 2 + (u64)i % 35, n = 0;
    do {
      u64 d = v % base;
      digits[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
      v /= base;
    } while (v);
    u64 back = 0;
    while (n) {
      char ch = digits[--n];
      back = back * base + (u64)(ch <= '9' ? ch - '0' : ch - 'a' + 10);
    }
    h = mix(h, back);
  }
  return h;
}

/* Per-kernel instruction counts, printed when built with -DBENCH_PROFILE. */
#ifdef BENCH_PROFILE
static struct {
  const char *name;
  u64 instret;
} profile[16];
static u64 run_kernel(const char *name, u64 (*fn)(u64), u64 rep) {
  u64 i0 = plat_instret(), v = fn(rep), i1 = plat_instret();
  for (int i = 0; i < 16; i++)
    if (!profile[i].name || profile[i].name == name) {
      profile[i].name = name;
      profile[i].instret += i1 - i0;
      break;
    }
  return v;
}
#define KERNEL(fn, rep) run_kernel(#fn, fn, rep)
#else
#define KERNEL(fn, rep) fn(rep)
#endif

static u64 part_int(u64 scale) {
  crc32_init();
  check(crc32((const u8 *)"123456789", 9) == 0xcbf43926u, "CRC-32 check value");
  check(crc32c_bitwise((const u8 *)"123456789", 9) == 0xe3069283u, "CRC-32C check value");
  u64 h = 0;
  for (u64 rep = 0; rep < scale; rep++) {
    h = mix(h, KERNEL(int_hashes, rep));
    h = mix(h, KERNEL(int_sorts, rep));
    h = mix(h, KERNEL(int_interp, rep));
    h = mix(h, KERNEL(int_tokenize, rep));
    h = mix(h, KERNEL(int_muldiv, rep));
  }
  return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Memory part. */

#define BUF_BYTES (1 << 20)
#define BUF_SLACK 64
static u64 buf_a[(BUF_BYTES + BUF_SLACK) / 8];
static u64 buf_b[(BUF_BYTES + BUF_SLACK) / 8];

static void copy_words(u64 *d, const u64 *s, usize n) {
  while (n >= 4) {
    u64 a = s[0], b = s[1], c = s[2], e = s[3];
    d[0] = a;
    d[1] = b;
    d[2] = c;
    d[3] = e;
    d += 4;
    s += 4;
    n -= 4;
  }
  while (n--) *d++ = *s++;
}

static void copy_bytes(u8 *d, const u8 *s, usize n) {
  while (n--) *d++ = *s++;
}

/* A memcpy: byte head to align the destination, then whole words; for a misaligned source,
   aligned loads merged with shifts (little-endian). Reads up to 8 bytes past the source end. */
static void copy_any(u8 *d, const u8 *s, usize n) {
  while (n && ((usize)d & 7)) {
    *d++ = *s++;
    n--;
  }
  usize words = n / 8, off = (usize)s & 7;
  if (off == 0) {
    copy_words((u64 *)d, (const u64 *)s, words);
  } else {
    const u64 *sw = (const u64 *)(s - off);
    u64 *dw = (u64 *)d;
    unsigned lo = (unsigned)(8 * off), hi = 64 - lo;
    u64 w0 = sw[0];
    for (usize i = 0; i < words; i++) {
      u64 w1 = sw[i + 1];
      dw[i] = (w0 >> lo) | (w1 << hi);
      w0 = w1;
    }
  }
  d += words * 8;
  s += words * 8;
  copy_bytes(d, s, n & 7);
}

static void fill_bytes(u8 *d, u8 v, usize n) {
  while (n && ((usize)d & 7)) {
    *d++ = v;
    n--;
  }
  u64 w = v * 0x0101010101010101ul;
  u64 *dw = (u64 *)d;
  for (usize i = 0; i < n / 8; i++) dw[i] = w;
  d += n & ~7ul;
  for (usize i = 0; i < (n & 7); i++) d[i] = v;
}

static void move_backward(u8 *d, const u8 *s, usize n) {
  while (n) {
    n--;
    d[n] = s[n];
  }
}

static u64 sum_words(const u64 *p, usize n) {
  u64 h = 0, s = 0;
  for (usize i = 0; i < n; i++) {
    u64 w = p[i];
    s += w;
    h = ((h << 5) | (h >> 59)) ^ w;
  }
  return h ^ (s * 3);
}

static u64 mem_copies(u64 rep) {
  u8 *a = (u8 *)buf_a, *b = (u8 *)buf_b;
  u64 x = mix(rep, 0x6d656d);
  for (usize i = 0; i < BUF_BYTES / 8; i++) {
    x = x * 6364136223846793005ul + 1442695040888963407ul;
    buf_a[i] = x ^ (x >> 33);
  }
  u64 h = 0;
  static const u8 offsets[][2] = {{0, 0}, {3, 3}, {1, 6}, {5, 2}};
  const u8 *pair = offsets[rep % 4];
  usize len = BUF_BYTES / 2 - 64;
  copy_any(b + pair[0], a + pair[1], len);
  check(b[pair[0]] == a[pair[1]] && b[pair[0] + len / 3] == a[pair[1] + len / 3] &&
            b[pair[0] + len - 1] == a[pair[1] + len - 1],
        "copy_any");
  copy_any(b + BUF_BYTES / 2 + 1, a + 9, len);
  copy_bytes(b + 4096 + rep % 8, a + 77, 64 * 1024);
  fill_bytes(b + 5 + rep % 3, (u8)(0x5a + rep), 60000);
  move_backward(b + 70003, b + 70000, 48 * 1024);
  h = mix(h, sum_words(buf_b, BUF_BYTES / 8));
  /* Mixed-width loads: a histogram of bytes and 16-bit signed prefix sums. */
  u32 hist[256];
  for (int i = 0; i < 256; i++) hist[i] = 0;
  for (usize i = 0; i < 32 * 1024; i++) hist[b[i * 5 + rep % 5]]++;
  u64 hh = 0;
  for (int i = 0; i < 256; i++) hh = hh * 31 + hist[i];
  i16 *h16 = (i16 *)b;
  i32 acc = 0;
  for (usize i = 0; i < 32 * 1024; i++) {
    acc += h16[i];
    h16[i] = (i16)acc;
  }
  i8 *s8 = (i8 *)a;
  i64 sacc = 0;
  for (usize i = 0; i < 32 * 1024; i++) sacc += s8[i] * (i64)(i & 7);
  return mix(mix(h, hh), (u64)sacc ^ (u64)(i64)acc);
}

#define CHASE_NODES 65536
typedef struct Node {
  struct Node *next;
  u64 val;
  u32 small[12];
} Node;
_Static_assert(sizeof(Node) == 64, "one node per 64 bytes");
static Node nodes[CHASE_NODES];
static u32 perm[CHASE_NODES];

static void chase_init(void) {
  Rng r = rng_seed(5, 0);
  for (u32 i = 0; i < CHASE_NODES; i++) perm[i] = i;
  /* Sattolo's shuffle: a single cycle through all nodes. */
  for (u32 i = CHASE_NODES - 1; i > 0; i--) {
    u32 j = (u32)(rng_next(&r) % i);
    u32 t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  for (u32 i = 0; i < CHASE_NODES; i++) {
    nodes[i].next = &nodes[perm[i]];
    nodes[i].val = i;
    for (int k = 0; k < 12; k++) nodes[i].small[k] = i * 12 + (u32)k;
  }
  Node *p = &nodes[0];
  u32 len = 0;
  do {
    p = p->next;
    len++;
  } while (p != &nodes[0] && len <= CHASE_NODES);
  check(len == CHASE_NODES, "linked list is one cycle");
}

static u64 mem_chase(u64 rep) {
  Node *p = &nodes[rep * 7919 % CHASE_NODES];
  u64 sum = 0;
  for (u64 k = 0; k < 100000; k++) {
    p->val += k;
    sum += p->val ^ p->small[k & 7];
    p = p->next;
  }
  return mix(sum, (u64)(p - nodes));
}

#define TN 256
static u64 mat_a[TN * TN], mat_b[TN * TN], mat_c[TN * TN];

static u64 mem_transpose(u64 rep) {
  for (usize i = 0; i < TN; i++)
    for (usize j = 0; j < TN; j++) mat_a[i * TN + j] = (i << 32) ^ (j * 0x9e3779b9ul) ^ rep;
  for (usize i = 0; i < TN; i++)
    for (usize j = 0; j < TN; j++) mat_b[j * TN + i] = mat_a[i * TN + j];
  for (usize ib = 0; ib < TN; ib += 16)
    for (usize jb = 0; jb < TN; jb += 16)
      for (usize i = ib; i < ib + 16; i++)
        for (usize j = jb; j < jb + 16; j++) mat_c[j * TN + i] = mat_b[i * TN + j] + i;
  u64 h = 0;
  int same = 1;
  for (usize i = 0; i < TN; i++) {
    for (usize j = 0; j < TN; j++) {
      if (mat_c[i * TN + j] != mat_a[i * TN + j] + j) same = 0;
    }
    h = mix(h, mat_c[i * TN + (i * 7 + rep) % TN]);
  }
  check(same, "transpose twice is the identity");
  return h;
}

static u64 part_mem(u64 scale) {
  chase_init();
  u64 h = 0;
  for (u64 rep = 0; rep < scale; rep++) {
    h = mix(h, KERNEL(mem_copies, rep));
    h = mix(h, KERNEL(mem_chase, rep));
    h = mix(h, KERNEL(mem_transpose, rep));
  }
  return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Floating-point part. */

#define MN 64
static double mm_a[MN * MN], mm_b[MN * MN], mm_c[MN * MN];

static u64 fp_matmul(u64 rep) {
  for (usize i = 0; i < MN; i++)
    for (usize j = 0; j < MN; j++) {
      mm_a[i * MN + j] = 1.0 / (double)(1 + i + 2 * j + rep) - 0.125;
      mm_b[i * MN + j] = (double)((i * 3 + j * 5 + rep) % 11) * 0.3 - 1.1;
      mm_c[i * MN + j] = 0.0;
    }
  for (usize i = 0; i < MN; i++)
    for (usize k = 0; k < MN; k++) {
      double aik = mm_a[i * MN + k];
      for (usize j = 0; j < MN; j++) mm_c[i * MN + j] = __builtin_fma(aik, mm_b[k * MN + j], mm_c[i * MN + j]);
    }
  /* Check against (A (B x)) with x = (1, 1/2, 1/3, ...). */
  double bx[MN], worst = 0;
  for (usize k = 0; k < MN; k++) {
    double s = 0;
    for (usize j = 0; j < MN; j++) s += mm_b[k * MN + j] / (double)(j + 1);
    bx[k] = s;
  }
  u64 h = 0;
  for (usize i = 0; i < MN; i++) {
    double s1 = 0, s2 = 0, mag = 0;
    for (usize j = 0; j < MN; j++) {
      s1 += mm_c[i * MN + j] / (double)(j + 1);
      mag += dabs(mm_c[i * MN + j]);
    }
    for (usize k = 0; k < MN; k++) s2 += mm_a[i * MN + k] * bx[k];
    double err = dabs(s1 - s2) / (mag + 1.0);
    if (err > worst) worst = err;
    for (usize j = 0; j < MN; j += 5) h = mix(h, bits_of(mm_c[i * MN + j]));
  }
  check(worst < 1e-12, "matrix product");
  return h;
}

#define PI 3.14159265358979323846

/* sin(x) for |x| <= pi: fold into [-pi/2, pi/2] by symmetry, then the odd Taylor polynomial up
   to x^15 (error below 1e-11 there), evaluated by Horner's rule with fma. */
static double poly_sin(double x) {
  if (x > PI / 2) x = PI - x;
  if (x < -PI / 2) x = -PI - x;
  double x2 = x * x;
  double p = -1.0 / 1307674368000.0; /* -1/15! */
  p = __builtin_fma(p, x2, 1.0 / 6227020800.0);
  p = __builtin_fma(p, x2, -1.0 / 39916800.0);
  p = __builtin_fma(p, x2, 1.0 / 362880.0);
  p = __builtin_fma(p, x2, -1.0 / 5040.0);
  p = __builtin_fma(p, x2, 1.0 / 120.0);
  p = __builtin_fma(p, x2, -1.0 / 6.0);
  return __builtin_fma(p * x2, x, x);
}

/* sin of any moderate argument: reduce into [-pi, pi] first. */
static double sin_any(double x) {
  while (x > PI) x -= 2 * PI;
  while (x < -PI) x += 2 * PI;
  return poly_sin(x);
}

static double f_arctan_deriv(double x) { return 4.0 / (1.0 + x * x); }
static double f_sqrt(double x) { return __builtin_sqrt(x); }

static double simpson(double (*f)(double), double a, double b, i64 n) {
  double hstep = (b - a) / (double)n;
  double s = f(a) + f(b);
  for (i64 i = 1; i < n; i++) s += (i & 1 ? 4.0 : 2.0) * f(a + (double)i * hstep);
  return s * hstep / 3.0;
}

static u64 fp_integrate(u64 rep) {
  i64 n = 8000 + 2 * (i64)(rep % 16);
  double r1 = simpson(f_arctan_deriv, 0.0, 1.0, n);
  double r2 = simpson(f_sqrt, 1.0, 4.0, n);
  double r3 = simpson(poly_sin, 0.0, PI, n);
  check(dabs(r1 - PI) < 1e-11, "integral of 4/(1+x^2)");
  check(dabs(r2 - 14.0 / 3.0) < 1e-10, "integral of sqrt");
  check(dabs(r3 - 2.0) < 1e-10, "integral of sin");
  return mix(mix(bits_of(r1), bits_of(r2)), bits_of(r3));
}

#define NB 6
typedef struct {
  double x[3], v[3], m;
} Body;
static Body bodies[NB];

static void nbody_accel(double acc[NB][3]) {
  for (int i = 0; i < NB; i++) acc[i][0] = acc[i][1] = acc[i][2] = 0;
  for (int i = 0; i < NB; i++)
    for (int j = i + 1; j < NB; j++) {
      double d[3], d2 = 0.01; /* softening */
      for (int k = 0; k < 3; k++) {
        d[k] = bodies[j].x[k] - bodies[i].x[k];
        d2 += d[k] * d[k];
      }
      double inv = 1.0 / (d2 * __builtin_sqrt(d2));
      for (int k = 0; k < 3; k++) {
        acc[i][k] += d[k] * inv * bodies[j].m;
        acc[j][k] -= d[k] * inv * bodies[i].m;
      }
    }
}

static double nbody_energy(void) {
  double e = 0;
  for (int i = 0; i < NB; i++) {
    Body *b = &bodies[i];
    e += 0.5 * b->m * (b->v[0] * b->v[0] + b->v[1] * b->v[1] + b->v[2] * b->v[2]);
    for (int j = i + 1; j < NB; j++) {
      double d2 = 0.01;
      for (int k = 0; k < 3; k++) {
        double d = bodies[j].x[k] - b->x[k];
        d2 += d * d;
      }
      e -= b->m * bodies[j].m / __builtin_sqrt(d2);
    }
  }
  return e;
}

static u64 fp_nbody(u64 rep) {
  /* Bodies on a tilted ring with near-circular velocities. */
  for (int i = 0; i < NB; i++) {
    double ang = 2.0 * PI * (double)i / NB + 0.01 * (double)rep;
    double s = sin_any(ang), c = sin_any(ang + PI / 2);
    double rad = 1.0 + 0.1 * (double)((i + rep) % 3);
    bodies[i].x[0] = rad * c;
    bodies[i].x[1] = rad * s;
    bodies[i].x[2] = 0.05 * s * c;
    bodies[i].v[0] = -0.9 * s;
    bodies[i].v[1] = 0.9 * c;
    bodies[i].v[2] = 0.01 * (double)i;
    bodies[i].m = 0.5 + 0.25 * (double)(i % 3);
  }
  double e0 = nbody_energy();
  double acc[NB][3];
  const double dt = 0.001;
  nbody_accel(acc);
  for (int step = 0; step < 800; step++) {
    for (int i = 0; i < NB; i++)
      for (int k = 0; k < 3; k++) {
        bodies[i].v[k] += 0.5 * dt * acc[i][k];
        bodies[i].x[k] += dt * bodies[i].v[k];
      }
    nbody_accel(acc);
    for (int i = 0; i < NB; i++)
      for (int k = 0; k < 3; k++) bodies[i].v[k] += 0.5 * dt * acc[i][k];
  }
  double e1 = nbody_energy();
  check(dabs(e1 - e0) < 1e-4 * dabs(e0), "n-body energy conservation");
  u64 h = bits_of(e1);
  for (int i = 0; i < NB; i++)
    for (int k = 0; k < 3; k++) h = mix(h, bits_of(bodies[i].x[k]) ^ bits_of(bodies[i].v[k]));
  return h;
}

/* Mandelbrot set in single precision: iteration counts and final magnitudes. */
static u64 fp_mandel(u64 rep) {
  const int w = 64, hgt = 48, max_iter = 64;
  double x0 = -2.0 + 0.01 * (double)(rep % 8), y0 = -1.0;
  u64 h = 0, inside = 0;
  for (int py = 0; py < hgt; py++) {
    for (int px = 0; px < w; px++) {
      float cr = (float)(x0 + 2.6 * px / w), ci = (float)(y0 + 2.0 * py / hgt);
      float zr = 0, zi = 0, m = 0;
      int it = 0;
      while (it < max_iter) {
        float zr2 = zr * zr, zi2 = zi * zi;
        m = zr2 + zi2;
        if (m > 4.0f) break;
        zi = 2.0f * zr * zi + ci;
        zr = zr2 - zi2 + cr;
        it++;
      }
      inside += it == max_iter;
      h = mix(h, (u64)it << 32 | bits_of_f(m));
    }
  }
  check(inside > 0 && inside < (u64)(w * hgt), "mandelbrot has an inside and an outside");
  return mix(h, inside);
}

static u64 part_fp(u64 scale) {
  u64 h = 0;
  for (u64 rep = 0; rep < scale; rep++) {
    h = mix(h, KERNEL(fp_matmul, rep));
    h = mix(h, KERNEL(fp_integrate, rep));
    h = mix(h, KERNEL(fp_nbody, rep));
    h = mix(h, KERNEL(fp_mandel, rep));
  }
  return h;
}

/* ------------------------------------------------------------------------------------------ */
/* Driver. */

typedef struct {
  const char *name;
  u64 (*run)(u64 scale);
} Part;

static const Part parts[] = {{"int", part_int}, {"mem", part_mem}, {"fp", part_fp}};
#define NPARTS 3

static const u64 *expected_for(u64 scale) {
  for (usize i = 0; i < sizeof bench_expected / sizeof bench_expected[0]; i++)
    if (bench_expected[i].scale == scale) return bench_expected[i].checksum;
  return 0;
}

int bench_run(u64 scale) {
  if (scale == 0) scale = 1;
  put_str("tsvirt cpu benchmark v1, scale ");
  put_dec(scale);
  plat_putc('\n');
  const u64 *expect = expected_for(scale);
  int mismatches = 0;
  u64 i_start = plat_instret(), t_start = plat_time_ns();
  for (int p = 0; p < NPARTS; p++) {
    int failures_before = check_failures;
    u64 i0 = plat_instret(), t0 = plat_time_ns();
    u64 sum = parts[p].run(scale);
    u64 i1 = plat_instret(), t1 = plat_time_ns();
    put_str("part ");
    put_str(parts[p].name);
    put_str(" checksum=");
    put_hex(sum);
    if (expect) {
      put_str(sum == expect[p] ? " ok" : " MISMATCH expected=");
      if (sum != expect[p]) {
        put_hex(expect[p]);
        mismatches++;
      }
    } else {
      put_str(" (no reference for this scale)");
    }
    if (check_failures != failures_before) put_str(" SELF-CHECK-FAILED");
    if (i0 != NO_VALUE) {
      put_str(" instret=");
      put_dec(i1 - i0);
    }
    if (t0 != NO_VALUE) {
      put_str(" time_ms=");
      put_dec((t1 - t0) / 1000000);
    }
    plat_putc('\n');
  }
  u64 i_end = plat_instret(), t_end = plat_time_ns();
  if (i_start != NO_VALUE) {
    put_str("instret ");
    put_dec(i_end - i_start);
    plat_putc('\n');
  }
  u64 i_first = plat_instret_at_start();
  if (i_first != NO_VALUE) {
    /* From the program's first instruction, start-up (clearing .bss) included. */
    put_str("instret_total ");
    put_dec(i_end - i_first);
    plat_putc('\n');
  }
  if (t_start != NO_VALUE) {
    put_str("time_ms ");
    put_dec((t_end - t_start) / 1000000);
    plat_putc('\n');
  }
#ifdef BENCH_PROFILE
  for (int i = 0; i < 16 && profile[i].name; i++) {
    put_str("  kernel ");
    put_str(profile[i].name);
    put_str(" instret=");
    put_dec(profile[i].instret);
    plat_putc('\n');
  }
#endif
  int pass = mismatches == 0 && check_failures == 0;
  put_str(pass ? "PASS\n" : "FAIL\n");
  return pass ? 0 : 1;
}

void bench_trap(u64 cause, u64 epc, u64 tval) {
  put_str("unexpected trap: mcause=");
  put_hex(cause);
  put_str(" mepc=");
  put_hex(epc);
  put_str(" mtval=");
  put_hex(tval);
  put_str("\nFAIL\n");
  plat_exit(3);
}
