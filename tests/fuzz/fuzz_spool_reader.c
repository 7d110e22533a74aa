// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for what cylctl reads from disk: arbitrary bytes as
 * a spool segment (the reader, from a buffer) and as one record (the
 * header parser, then opening it with a fixed key).  Besides memory
 * errors it checks the reader's promises: items move forward, stay in
 * the buffer, cover it without overlap, and end.
 */
#include "store/spool.c"	/* first: it defines _GNU_SOURCE */
#include "store/record.c"
#include "util/errbuf.c"
#include "util/file.c"

#include <stddef.h>
#include <stdint.h>

static const uint8_t key[CYL_REC_KEY_LEN] = { 0x6b, 0x65, 0x79 };

static void check_reader(const uint8_t *data, size_t size)
{
	struct cyl_spool_reader *r;
	struct cyl_spool_item it;
	struct cyl_rec rec;
	size_t pos = 0, items = 0;
	char err[256];

	if (cyl_spool_reader_mem(&r, data, size))
		return;
	while (cyl_spool_reader_next(r, &it) > 0) {
		if (!pos && cyl_spool_reader_hdr(r))
			pos = CYL_SPOOL_HDR_LEN;	/* a good header is no item */
		if (++items > size + 1 || it.offset != pos)
			__builtin_trap();	/* stuck, skipped or went back */
		if (it.error == CYL_SPOOL_OK) {
			if (it.rec != data + it.offset + 4 || it.len < CYL_SPOOL_REC_MIN ||
			    it.len > CYL_SPOOL_REC_MAX ||
			    it.offset + CYL_SPOOL_FRAME_OVERHEAD + it.len > size)
				__builtin_trap();
			pos = it.offset + CYL_SPOOL_FRAME_OVERHEAD + it.len;
			/* A good frame is a record for the header parser. */
			cyl_rec_parse(it.rec, it.len, &rec, err, sizeof(err));
		} else {
			if (it.offset + it.skipped > size || !it.msg[0] ||
			    it.tail != (it.offset + it.skipped == size) ||
			    (!it.skipped && it.error != CYL_SPOOL_BAD_HEADER))
				__builtin_trap();
			pos = it.offset + it.skipped;
		}
	}
	if (!pos && cyl_spool_reader_hdr(r))
		pos = CYL_SPOOL_HDR_LEN;
	if (pos != size)
		__builtin_trap();	/* the items cover the whole buffer */
	cyl_spool_reader_close(r);
}

static void check_record(const uint8_t *data, size_t size)
{
	static uint8_t plain[CYL_REC_LEN_MAX];
	struct cyl_rec rec;
	char err[256];
	int ret;

	if (cyl_rec_parse(data, size, &rec, err, sizeof(err)))
		return;
	if (size != cyl_rec_stored_len(&rec) || rec.len > CYL_REC_LEN_MAX)
		__builtin_trap();
	ret = cyl_rec_open(data, size, key, &rec, plain, sizeof(plain), err,
			   sizeof(err));
	if (ret != 0 && ret != CYL_REC_EAUTH && ret != -ENODATA)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_reader(data, size);
	check_record(data, size);
	return 0;
}
