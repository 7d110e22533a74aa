/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Record key files: 32 raw bytes, or 64 hex digits optionally followed by
 * one newline.  Buffers that held key material are wiped before they are
 * freed or go out of scope; nothing here prints a key.
 */
#ifndef CYL_STORE_KEY_H
#define CYL_STORE_KEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store/record.h"

#define CYL_KEY_FILE_MAX	128	/* bytes read before a file is "too long" */
#define CYL_KEY_HEX_LEN		(2 * CYL_REC_KEY_LEN)

/* Parse a key file's content.  Returns 0 or -EINVAL with the reason in @err. */
int cyl_key_parse(const void *buf, size_t len, uint8_t key[CYL_REC_KEY_LEN],
		  char *err, size_t errlen);

/*
 * Read and parse the key file @path ("-": standard input).  @loose is set
 * when the file is readable by its group or by others.  Returns 0 or a
 * negative errno with the reason (naming @path) in @err.
 */
int cyl_key_read(const char *path, uint8_t key[CYL_REC_KEY_LEN], bool *loose,
		 char *err, size_t errlen);

/* The key as 64 lowercase hex digits, NUL-terminated, in @hex. */
void cyl_key_hex(const uint8_t key[CYL_REC_KEY_LEN],
		 char hex[CYL_KEY_HEX_LEN + 1]);

#endif /* CYL_STORE_KEY_H */
