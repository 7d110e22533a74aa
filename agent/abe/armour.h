/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PEM-like armour for key files:
 *   -----BEGIN CYLCOMED ABE USER KEY-----
 *   base64, 64 characters a line
 *   -----END CYLCOMED ABE USER KEY-----
 * Text before BEGIN and after END is ignored (room for a comment).
 */
#ifndef CYL_ABE_ARMOUR_H
#define CYL_ABE_ARMOUR_H

#include <stddef.h>
#include <stdint.h>

#define CYL_ARMOUR_PK		"CYLCOMED ABE PUBLIC KEY"
#define CYL_ARMOUR_MSK		"CYLCOMED ABE MASTER KEY"
#define CYL_ARMOUR_KEY		"CYLCOMED ABE USER KEY"
#define CYL_ARMOUR_MAX		(1u << 20)	/* decoded bytes */

/* A malloc'd NUL-terminated text in *out, or -ENOMEM / -EINVAL (too big). */
int cyl_armour_encode(const char *label, const uint8_t *data, size_t len, char **out);

/*
 * Decode the block labelled @label from @text.  Returns 0 with a malloc'd
 * buffer, or -EINVAL with the reason and line number in @err (a block with
 * another label is named, so "this is a master key, not a user key" can
 * be said).
 */
int cyl_armour_decode(const char *text, size_t len, const char *label,
		      uint8_t **out, size_t *out_len, char *err, size_t errlen);

#endif /* CYL_ABE_ARMOUR_H */
