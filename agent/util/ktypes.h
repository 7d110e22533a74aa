/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's fixed-width type names for kernel code built in userspace
 * (kmod/framer.c in unit tests and fuzzers, -DCYL_FRAMER_USERSPACE).  It
 * lives here, not in kmod/, because these typedefs are what the kernel's
 * style forbids in kernel code.
 */
#ifndef CYL_UTIL_KTYPES_H
#define CYL_UTIL_KTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#endif /* CYL_UTIL_KTYPES_H */
