/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gateway as a CP-ABE key authority for verified holders: its master
 * key read from the file the policy names (armoured, as cylctl abe setup
 * writes it, and readable by its owner only), and user keys issued from
 * it, armoured, naming their holder and expiry (Documentation/abe.md).
 */
#ifndef CYL_SSI_ISSUE_H
#define CYL_SSI_ISSUE_H

#include <stddef.h>
#include <stdint.h>

#include "abe/fame.h"

/*
 * Read the master key file @path into @msk (wipe it with
 * cyl_fame_msk_clear()).  Refused, with the reason in @err: a file that
 * is not a regular file or that its group or others may read or write,
 * an unreadable file, a block that is not a master key, a key that does
 * not decode.  0, -EPERM (mode), -EINVAL, -ENOMEM or the read's errno.
 */
int cyl_ssi_msk_load(const char *path, struct cyl_fame_msk *msk, char *err, size_t errlen);

/*
 * A user key for @attrs[0..n) (valid attributes, sorted and distinct, as
 * ssi/mapping.h makes them; repeats are refused), naming @subject,
 * valid until @not_after (Unix seconds): *@armoured is the key file's
 * text, malloc'd (it is secret: OPENSSL_clear_free() it).  0, -EINVAL,
 * -ENOMEM or -EIO, with the reason in @err.
 */
int cyl_ssi_issue_key(const struct cyl_fame_msk *msk, const char *const *attrs, size_t n,
		      const char *subject, uint64_t not_after, char **armoured,
		      char *err, size_t errlen);

#endif /* CYL_SSI_ISSUE_H */
