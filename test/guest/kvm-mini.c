/* A minimal KVM user space for RISC-V Linux, freestanding (no libc: Debian's cross toolchain has
   no riscv64 C library here): it creates a VM with 1 MiB of RAM at 0x80000000, loads a guest
   that runs in VS-mode, and serves its exits. The guest writes one doubleword to each of 64 pages
   (each first touch is a G-stage fault that KVM resolves), reads them back and checks the sum,
   prints "KVM-GUEST-OK" by byte stores to an address outside its RAM (each one a G-stage fault
   that KVM turns into an MMIO exit to this program, decoding the store), and powers off
   through SBI SRST (a system-event exit). This program prints "KVM-MINI: exit OK" and exits 0
   when all of that happened, 1 otherwise. Built by tools/build-guest.mjs with
   riscv64-linux-gnu-gcc -nostdlib -static. The KVM ABI numbers are Linux's (include/uapi). */

typedef unsigned long u64;
typedef unsigned int u32;

static long sys(long n, long a, long b, long c, long d, long e, long f) {
  register long a0 __asm__("a0") = a, a1 __asm__("a1") = b, a2 __asm__("a2") = c;
  register long a3 __asm__("a3") = d, a4 __asm__("a4") = e, a5 __asm__("a5") = f;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7) : "memory");
  return a0;
}
#define SYS_openat 56
#define SYS_ioctl 29
#define SYS_mmap 222
#define SYS_write 64
#define SYS_exit 93

#define KVM_CREATE_VM 0xae01
#define KVM_GET_VCPU_MMAP_SIZE 0xae04
#define KVM_CREATE_VCPU 0xae41
#define KVM_SET_USER_MEMORY_REGION 0x4020ae46
#define KVM_RUN 0xae80
#define KVM_SET_ONE_REG 0x4010aeac
#define KVM_REG_RISCV_CORE_PC (0x8000000000000000ul | 0x0030000000000000ul | 0x02000000ul | 0)
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_EXIT_MMIO 6

#define GUEST_BASE 0x80000000ul
#define GUEST_BYTES (1ul << 20)

struct region {
  u32 slot, flags;
  u64 guest_phys_addr, memory_size, userspace_addr;
};
struct one_reg {
  u64 id, addr;
};

static void say(const char *s) {
  long n = 0;
  while (s[n]) n++;
  sys(SYS_write, 1, (long)s, n, 0, 0, 0);
}
static void fail(const char *what, long v) {
  char buf[24];
  int k = 23;
  buf[k] = 0;
  unsigned long u = (unsigned long)v;
  do {
    buf[--k] = "0123456789abcdef"[u & 15];
    u >>= 4;
  } while (u && k > 2);
  buf[--k] = 'x';
  buf[--k] = '0';
  say("KVM-MINI: ");
  say(what);
  say(" failed: ");
  say(buf + k);
  say("\n");
  sys(SYS_exit, 1, 0, 0, 0, 0, 0);
}

/* The guest (VS-mode, no translation of its own): position-independent code copied to its RAM. */
extern const char guest_start[], guest_end[];
__asm__(".pushsection .rodata\n"
        ".balign 4\n"
        "guest_start:\n"
        "  li s0, 0x80010000\n"
        "  li t0, 0\n"
        "  li t1, 64\n"
        "1: slli t2, t0, 12\n"
        "  add t2, t2, s0\n"
        "  sd t0, 0(t2)\n"
        "  addi t0, t0, 1\n"
        "  blt t0, t1, 1b\n"
        "  li t0, 0\n"
        "  li s1, 0\n"
        "2: slli t2, t0, 12\n"
        "  add t2, t2, s0\n"
        "  ld t3, 0(t2)\n"
        "  add s1, s1, t3\n"
        "  addi t0, t0, 1\n"
        "  blt t0, t1, 2b\n"
        "  li t4, 2016\n"
        "  bne s1, t4, 4f\n"
        "  lla s2, 5f\n"
        "  li s3, 0x10000000\n"
        "3: lbu a0, 0(s2)\n"
        "  beqz a0, 6f\n"
        "  sb a0, 0(s3)\n"
        "  addi s2, s2, 1\n"
        "  j 3b\n"
        "4: li s3, 0x10000000\n"
        "  li a0, 'X'\n"
        "  sb a0, 0(s3)\n"
        "6: li a7, 0x53525354\n"
        "  li a6, 0\n"
        "  li a0, 0\n"
        "  li a1, 0\n"
        "  ecall\n"
        "  j 6b\n"
        "5: .asciz \"KVM-GUEST-OK\\n\"\n"
        ".balign 4\n"
        "guest_end:\n"
        ".popsection\n");

void _start(void) {
  long kvm = sys(SYS_openat, -100, (long)"/dev/kvm", 2 /* O_RDWR */, 0, 0, 0);
  if (kvm < 0) fail("open /dev/kvm", kvm);
  long vm = sys(SYS_ioctl, kvm, KVM_CREATE_VM, 0, 0, 0, 0);
  if (vm < 0) fail("KVM_CREATE_VM", vm);
  long mem = sys(SYS_mmap, 0, GUEST_BYTES, 3, 0x22 /* MAP_PRIVATE|MAP_ANONYMOUS */, -1, 0);
  if (mem < 0 && mem > -4096) fail("mmap guest RAM", mem);
  char *ram = (char *)mem;
  for (const char *p = guest_start; p < guest_end; p++) ram[p - guest_start] = *p;
  struct region r = {0, 0, GUEST_BASE, GUEST_BYTES, (u64)mem};
  long e = sys(SYS_ioctl, vm, KVM_SET_USER_MEMORY_REGION, (long)&r, 0, 0, 0);
  if (e < 0) fail("KVM_SET_USER_MEMORY_REGION", e);
  long vcpu = sys(SYS_ioctl, vm, KVM_CREATE_VCPU, 0, 0, 0, 0);
  if (vcpu < 0) fail("KVM_CREATE_VCPU", vcpu);
  long runBytes = sys(SYS_ioctl, kvm, KVM_GET_VCPU_MMAP_SIZE, 0, 0, 0, 0);
  if (runBytes < 0) fail("KVM_GET_VCPU_MMAP_SIZE", runBytes);
  long run = sys(SYS_mmap, 0, runBytes, 3, 1 /* MAP_SHARED */, vcpu, 0);
  if (run < 0 && run > -4096) fail("mmap kvm_run", run);
  u64 pc = GUEST_BASE;
  struct one_reg reg = {KVM_REG_RISCV_CORE_PC, (u64)&pc};
  e = sys(SYS_ioctl, vcpu, KVM_SET_ONE_REG, (long)&reg, 0, 0, 0);
  if (e < 0) fail("KVM_SET_ONE_REG pc", e);
  int printed = 0;
  for (int exits = 0; exits < 1000; exits++) {
    e = sys(SYS_ioctl, vcpu, KVM_RUN, 0, 0, 0, 0);
    if (e < 0) fail("KVM_RUN", e);
    u32 reason = *(volatile u32 *)(run + 8);
    /* struct kvm_run's mmio: phys_addr, data[8], len, is_write */
    char *mmio = (char *)(run + 32);
    if (reason == KVM_EXIT_MMIO && *(u64 *)mmio == 0x10000000ul && mmio[20] == 1 && *(u32 *)(mmio + 16) == 1) {
      sys(SYS_write, 1, (long)(mmio + 8), 1, 0, 0, 0);
      printed++;
      continue;
    }
    if (reason == KVM_EXIT_SYSTEM_EVENT) {
      if (printed != 13) fail("guest output", printed);
      say("KVM-MINI: exit OK\n");
      sys(SYS_exit, 0, 0, 0, 0, 0, 0);
    }
    fail("unexpected exit", reason);
  }
  fail("too many exits", 1000);
}
