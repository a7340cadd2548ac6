/* Test-case macros for register-register, unary and immediate ALU instructions: the result is
   checked, and so are the sources, which must be left unchanged (unless rd is one of them).
   a0 is rd, a1 rs1, a2 rs2. */
#ifndef TSVIRT_ALU_H
#define TSVIRT_ALU_H
#include "test.h"

/* rd = op(rs1, rs2). */
#define TEST_RR(n, op, expect, a, b)                        \
        TEST_CASE(n); li a1, a; li a2, b; op a0, a1, a2;    \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a); CHECK_EQ(a2, b)

/* rd == rs1. */
#define TEST_RR_D1(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a1, a1, a2;    \
        CHECK_EQ(a1, expect); CHECK_EQ(a2, b)

/* rd == rs2. */
#define TEST_RR_D2(n, op, expect, a, b)                     \
        TEST_CASE(n); li a1, a; li a2, b; op a2, a1, a2;    \
        CHECK_EQ(a2, expect); CHECK_EQ(a1, a)

/* rd == rs1 == rs2. */
#define TEST_RR_SAME(n, op, expect, a)                      \
        TEST_CASE(n); li a1, a; op a1, a1, a1; CHECK_EQ(a1, expect)

/* rd = op(rs1), for the unary instructions. */
#define TEST_R(n, op, expect, a)                            \
        TEST_CASE(n); li a1, a; op a0, a1;                  \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a)

/* rd == rs1. */
#define TEST_R_SAME(n, op, expect, a)                       \
        TEST_CASE(n); li a1, a; op a1, a1; CHECK_EQ(a1, expect)

/* rd = op(rs1, imm). */
#define TEST_IMM(n, op, expect, a, imm)                     \
        TEST_CASE(n); li a1, a; op a0, a1, imm;             \
        CHECK_EQ(a0, expect); CHECK_EQ(a1, a)

/* rd == rs1. */
#define TEST_IMM_SAME(n, op, expect, a, imm)                \
        TEST_CASE(n); li a1, a; op a1, a1, imm; CHECK_EQ(a1, expect)

#endif
