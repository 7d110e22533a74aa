// SPDX-License-Identifier: GPL-2.0
/*
 * The risk log verifier.  One pass over the heads file, one over the
 * entries (building the whole Merkle tree: about 64 bytes per entry),
 * then each head is checked against the tree.  Nothing here trusts a
 * length or a size it read before checking it against the buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "risk/verify.h"
#include "util/errbuf.h"
#include "util/le.h"

#define HL	CYL_MERKLE_HASH_LEN
#define NONE	CYL_RISK_NONE
#define EF	CYL_RISK_ENTRIES_FILE
#define HF	CYL_RISK_HEADS_FILE
/* Entries between a matching and a failing head tried for a swap or an insertion. */
#define LOCATE_WINDOW	1024
#define BAD_KEPT	64	/* entries with a bad CRC remembered for locate() */

struct vhead {
	struct cyl_risk_head h;
	uint64_t offset;
	bool crc_ok;
	bool good;
};

struct cyl_risk_view {
	struct cyl_risk_verify_opts o;
	const uint8_t *ebuf, *hbuf;
	size_t elen, hlen;
	void *emap, *hmap;	/* verify_dir's mappings */
	uint64_t *off;		/* each entry's frame offset */
	uint64_t off_cap;
	struct vhead *heads;
	size_t n_heads;
	uint64_t max_size;	/* the largest size in a head whose CRC is good */
	uint64_t bad[BAD_KEPT];	/* the first entries whose CRC fails */
	struct cyl_merkle_tree tree;
	struct cyl_risk_summary sum;
	int err;		/* -ENOMEM on the way */
};

struct where {
	uint64_t offset, entry, head;
};

#define AT(o, e, h)	((struct where){ (o), (e), (h) })

static void __attribute__((format(printf, 6, 7)))
say(struct cyl_risk_view *v, enum cyl_risk_kind kind, bool fails,
    const char *file, struct where w, const char *fmt, ...)
{
	struct cyl_risk_problem p = {
		.kind = kind, .fails = fails, .file = file,
		.offset = w.offset, .entry = w.entry, .head = w.head,
	};
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p.msg, sizeof(p.msg), fmt, ap);
	va_end(ap);
	if (fails)
		v->sum.problems++;
	else
		v->sum.notes++;
	if (v->o.report)
		v->o.report(v->o.ctx, &p);
}

static const char *hex(const uint8_t h[HL], char buf[65])
{
	cyl_merkle_hex(h, buf);
	return buf;
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "entries 0..n-1", "entry 0", or "no entries" for a head of size @n. */
static const char *range(uint64_t n, char *buf, size_t size)
{
	if (n > 1)
		snprintf(buf, size, "entries 0..%" PRIu64, n - 1);
	else
		snprintf(buf, size, n ? "entry 0" : "no entries");
	return buf;
}

/* --- heads --- */

static void read_heads(struct cyl_risk_view *v)
{
	size_t off = CYL_RISK_HDR_LEN, n, rem, i;
	uint64_t created;
	char why[160];

	if (!v->hbuf) {
		say(v, CYL_RISK_FILE, true, HF, AT(NONE, NONE, NONE),
		    "missing: no entry can be verified");
		return;
	}
	if (cyl_risk_hdr_parse(v->hbuf, v->hlen, CYL_RISK_HEADS_MAGIC, &created,
			       why, sizeof(why)))
		say(v, CYL_RISK_FILE, true, HF, AT(0, NONE, NONE), "header: %s", why);
	if (v->hlen < off)
		return;
	n = (v->hlen - off) / CYL_RISK_HEAD_LEN;
	rem = (v->hlen - off) % CYL_RISK_HEAD_LEN;
	v->heads = calloc(n ? n : 1, sizeof(*v->heads));
	if (!v->heads) {
		v->err = -ENOMEM;
		return;
	}
	v->n_heads = n;
	v->sum.heads = n;
	for (i = 0; i < n; i++, off += CYL_RISK_HEAD_LEN) {
		struct vhead *vh = &v->heads[i];

		vh->offset = off;
		vh->crc_ok = !cyl_risk_head_parse(v->hbuf + off, &vh->h);
		if (vh->crc_ok) {
			if (vh->h.size > v->max_size)
				v->max_size = vh->h.size;
			continue;
		}
		if (i + 1 == n && !rem)
			say(v, CYL_RISK_TRAILING, false, HF, AT(off, NONE, i),
			    "head %zu (offset %zu): CRC mismatch in the last head: a torn "
			    "write, which the writer cuts when it opens the log", i, off);
		else
			say(v, CYL_RISK_HEAD, true, HF, AT(off, NONE, i),
			    "head %zu (offset %zu): CRC mismatch: damaged", i, off);
	}
	if (rem)
		say(v, CYL_RISK_TRAILING, false, HF, AT(off, NONE, NONE),
		    "offset %zu: %zu bytes after the last whole head: a torn write (a head "
		    "is %d bytes), which the writer cuts when it opens the log", off, rem,
		    CYL_RISK_HEAD_LEN);
}

/* --- entries --- */

static int add_entry(struct cyl_risk_view *v, const struct cyl_risk_item *it)
{
	uint8_t leaf[HL];
	uint64_t *p, cap;
	int ret;

	if (v->sum.entries == v->off_cap) {
		cap = v->off_cap ? v->off_cap * 2 : 1024;
		p = realloc(v->off, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		v->off = p;
		v->off_cap = cap;
	}
	if (!v->o.entries_only &&
	    ((ret = cyl_merkle_leaf_hash(it->data, it->len, leaf)) != 0 ||
	     (ret = cyl_merkle_tree_append(&v->tree, leaf)) != 0))
		return ret;
	v->off[v->sum.entries++] = it->offset;
	return 0;
}

static void read_entries(struct cyl_risk_view *v)
{
	struct cyl_risk_item it;
	size_t off = CYL_RISK_HDR_LEN;
	uint64_t created, i;
	char why[160];

	if (cyl_risk_hdr_parse(v->ebuf, v->elen, CYL_RISK_ENTRIES_MAGIC, &created,
			       why, sizeof(why)))
		say(v, CYL_RISK_FILE, true, EF, AT(0, NONE, NONE), "header: %s", why);
	while (cyl_risk_entries_next(v->ebuf, v->elen, &off, &it) > 0) {
		i = v->sum.entries;
		/* A last frame whose CRC fails is an entry if a head covers it. */
		if (it.data && (!it.tail || (!v->o.entries_only && i < v->max_size))) {
			if (it.error) {
				if (v->sum.bad_entries < BAD_KEPT)
					v->bad[v->sum.bad_entries] = i;
				v->sum.bad_entries++;
				say(v, CYL_RISK_ENTRY, true, EF, AT(it.offset, i, NONE),
				    "entry %" PRIu64 " (offset %" PRIu64 "): %s", i, it.offset,
				    it.msg);
			}
			if ((v->err = add_entry(v, &it)) != 0)
				return;
			continue;
		}
		if (it.torn)
			say(v, CYL_RISK_TRAILING, false, EF, AT(it.offset, NONE, NONE),
			    "offset %" PRIu64 ": %" PRIu64 " bytes after %s are a torn write "
			    "(%s), which the writer cuts when it opens the log", it.offset,
			    it.skipped, i ? "the last whole entry" : "the header", it.msg);
		else
			say(v, CYL_RISK_TRAILING, true, EF, AT(it.offset, i, NONE),
			    "entry %" PRIu64 " (offset %" PRIu64 "): %s; the %" PRIu64 " bytes "
			    "from there to the end cannot be read as entries", i, it.offset,
			    it.msg, it.skipped);
	}
}

/* --- locating a change --- */

static uint64_t pick_swap(uint64_t k, uint64_t j)
{
	return k == j ? j + 1 : k == j + 1 ? j : k;
}

static uint64_t pick_skip(uint64_t k, uint64_t j)
{
	return k < j ? k : k + 1;
}

/*
 * Whether @pre (the first j entries) followed by entries j..size-1 in
 * the order @pick(k, j) gives has the root @root.
 */
static bool root_with(const struct cyl_risk_view *v, const struct cyl_merkle_acc *pre,
		      uint64_t size, uint64_t (*pick)(uint64_t k, uint64_t j),
		      const uint8_t root[HL])
{
	struct cyl_merkle_acc acc = *pre;
	uint64_t k, j = pre->size;
	uint8_t r[HL];

	for (k = j; k < size; k++)
		if (cyl_merkle_acc_append(&acc, cyl_merkle_tree_leaf(&v->tree, pick(k, j))))
			return false;
	return !cyl_merkle_acc_root(&acc, r) && !memcmp(r, root, HL);
}

/* The first entry j in @from..@to whose @pick order gives head @b's root. */
static uint64_t try_each(const struct cyl_risk_view *v, uint64_t from, uint64_t to,
			 uint64_t size, uint64_t (*pick)(uint64_t k, uint64_t j),
			 const struct vhead *b)
{
	struct cyl_merkle_acc pre;
	uint64_t j;

	if (cyl_merkle_tree_acc(&v->tree, from, &pre))
		return NONE;
	for (j = from; j <= to; j++) {
		if (root_with(v, &pre, size, pick, b->h.root))
			return j;
		if (cyl_merkle_acc_append(&pre, cyl_merkle_tree_leaf(&v->tree, j)))
			return NONE;
	}
	return NONE;
}

/*
 * Head @b's root fails and @g (NULL: none) is the last good head before
 * it: the change lies in entries g.size..b.size-1.  Two neighbours
 * swapped, or one entry inserted, can be told from the roots.
 */
static void locate(struct cyl_risk_view *v, const struct vhead *g, size_t gi,
		   const struct vhead *b, size_t bi)
{
	uint64_t sg = g ? g->h.size : 0, sb = b->h.size, n = v->sum.entries, j;
	char last[96], drop[256] = "";
	size_t used;

	if (sb == sg) {
		/* No entry to blame: the head itself signed another root. */
		say(v, CYL_RISK_LOCATE, false, HF, AT(b->offset, NONE, bi),
		    "head %zu (size %" PRIu64 ") signed a root no entries give%s", bi, sb,
		    sb ? ", though the head before it, of the same size, matches" :
		    ": the empty tree's is SHA-256 of nothing");
		return;
	}
	if (g)
		snprintf(last, sizeof(last), "head %zu (size %" PRIu64 ") is the last "
			 "that matches", gi, sg);
	else
		snprintf(last, sizeof(last), "no head before it matches");
	/* Swapped with the next one: j + 1 must exist. */
	j = sb - sg <= LOCATE_WINDOW && sg + 1 < n ?
	    try_each(v, sg, sb < n ? sb - 1 : n - 2, sb, pick_swap, b) : NONE;
	if (j != NONE) {
		say(v, CYL_RISK_LOCATE, false, EF, AT(v->off[j], j, bi),
		    "entries %" PRIu64 " and %" PRIu64 " (offsets %" PRIu64 " and %" PRIu64
		    ") are swapped: exchanged back, head %zu (size %" PRIu64 ") matches; %s",
		    j, j + 1, v->off[j], v->off[j + 1], bi, sb, last);
		return;
	}
	/* Inserted: the entries hold one more than the head covers, at least. */
	j = sb - sg < LOCATE_WINDOW && sb < n ? try_each(v, sg, sb, sb, pick_skip, b) : NONE;
	if (j != NONE) {
		say(v, CYL_RISK_LOCATE, false, EF, AT(v->off[j], j, bi),
		    "entry %" PRIu64 " (offset %" PRIu64 ") was inserted: without it, head "
		    "%zu (size %" PRIu64 ") matches; %s", j, v->off[j], bi, sb, last);
		return;
	}
	for (j = 0; j < v->sum.bad_entries && j < BAD_KEPT; j++) {
		if (v->bad[j] >= sg && v->bad[j] < sb) {
			snprintf(drop, sizeof(drop), "; entry %" PRIu64 " in there fails its CRC",
				 v->bad[j]);
			break;
		}
	}
	used = strlen(drop);
	if (v->max_size > n)
		snprintf(drop + used, sizeof(drop) - used, "; the heads cover %" PRIu64
			 " entries, the file holds %" PRIu64 ": an entry dropped there would "
			 "explain it", v->max_size, n);
	if (sb - sg == 1)
		say(v, CYL_RISK_LOCATE, false, EF, AT(sg < n ? v->off[sg] : NONE, sg, bi),
		    "entry %" PRIu64 " differs from what was signed: head %zu (size %" PRIu64
		    ") does not match, %s%s", sg, bi, sb, last, drop);
	else
		say(v, CYL_RISK_LOCATE, false, EF, AT(sg < n ? v->off[sg] : NONE, sg, bi),
		    "entries %" PRIu64 "..%" PRIu64 " hold the change (an entry changed, "
		    "dropped, inserted or moved): head %zu (size %" PRIu64 ") does not match, "
		    "%s%s", sg, sb - 1, bi, sb, last, drop);
}

/* --- checking the heads against the tree --- */

enum { RUN_NONE, RUN_ROOT, RUN_BEYOND };

/* Consecutive failing heads of one kind, reported as one problem. */
struct run {
	int kind;
	size_t first, last;
};

static void flush(struct cyl_risk_view *v, struct run *r)
{
	const struct vhead *a, *b;
	size_t n = r->last - r->first;
	const char *what;

	if (r->kind != RUN_NONE && n) {
		a = &v->heads[r->first + 1];
		b = &v->heads[r->last];
		if (r->kind == RUN_ROOT)
			what = n == 1 ? "does not match either" : "do not match either";
		else
			what = n == 1 ? "is beyond the entries too" : "are beyond the entries too";
		if (n == 1)
			say(v, r->kind == RUN_ROOT ? CYL_RISK_ROOT : CYL_RISK_SIZE, true, HF,
			    AT(a->offset, NONE, r->first + 1), "head %zu (size %" PRIu64
			    ", offset %" PRIu64 "): %s", r->first + 1, a->h.size, a->offset,
			    what);
		else
			say(v, r->kind == RUN_ROOT ? CYL_RISK_ROOT : CYL_RISK_SIZE, true, HF,
			    AT(a->offset, NONE, r->first + 1), "heads %zu..%zu (sizes %" PRIu64
			    "..%" PRIu64 "): %zu later heads %s", r->first + 1, r->last,
			    a->h.size, b->h.size, n, what);
	}
	r->kind = RUN_NONE;
}

/* Extend the run of @kind with head @i; true if @i starts a new one. */
static bool extend(struct cyl_risk_view *v, struct run *r, int kind, size_t i)
{
	if (r->kind == kind) {
		r->last = i;
		return false;
	}
	flush(v, r);
	r->kind = kind;
	r->first = r->last = i;
	return true;
}

static void beyond(struct cyl_risk_view *v, const struct vhead *g, size_t gi,
		   const struct vhead *b, size_t bi)
{
	uint64_t n = v->sum.entries, miss = b->h.size - n;

	say(v, CYL_RISK_SIZE, true, HF, AT(b->offset, n, bi),
	    "head %zu (size %" PRIu64 ", offset %" PRIu64 "): covers %" PRIu64 " entries, "
	    "the entries file holds %" PRIu64 ": %" PRIu64 " %s missing", bi, b->h.size,
	    b->offset, b->h.size, n, miss, plural(miss, "entry", "entries"));
	if (g && g->h.size == n)
		say(v, CYL_RISK_LOCATE, false, EF, AT(NONE, n, bi),
		    "entries %" PRIu64 "..%" PRIu64 " were cut off the end: head %zu "
		    "(size %" PRIu64 ") covers all that is left and matches", n,
		    b->h.size - 1, gi, n);
	else if (g)
		say(v, CYL_RISK_LOCATE, false, EF, AT(NONE, g->h.size, bi),
		    "entries were cut off the end, or dropped from entry %" PRIu64 " on: "
		    "head %zu (size %" PRIu64 ") is the last that matches", g->h.size, gi,
		    g->h.size);
	else
		say(v, CYL_RISK_LOCATE, false, EF, AT(NONE, 0, bi),
		    "entries were cut off the end, or dropped: no head before it matches");
}

static void consistency(struct cyl_risk_view *v, const struct vhead *a, size_t ai,
			const struct vhead *b, size_t bi)
{
	uint8_t proof[CYL_MERKLE_PROOF_MAX * HL];
	size_t len;

	if ((v->err = cyl_merkle_consistency_proof(&v->tree, a->h.size, b->h.size,
						   proof, &len)) != 0)
		return;
	v->sum.consistency++;
	if (!cyl_merkle_verify_consistency(a->h.size, b->h.size, a->h.root, b->h.root,
					   proof, len))
		say(v, CYL_RISK_CONSISTENCY, true, HF, AT(b->offset, NONE, bi),
		    "heads %zu and %zu (sizes %" PRIu64 " and %" PRIu64 "): the consistency "
		    "proof built from the entries does not verify", ai, bi, a->h.size,
		    b->h.size);
}

/* Signature, order and time of head @i; false if it cannot be used. */
static bool head_usable(struct cyl_risk_view *v, size_t i, const struct vhead *prev,
			size_t pi)
{
	const struct vhead *vh = &v->heads[i];
	int ok;

	if (!vh->crc_ok)
		return false;
	if (v->o.pubkey) {
		ok = cyl_risk_head_verify(v->o.pubkey, &vh->h);
		if (ok < 0) {
			v->err = ok;
			return false;
		}
		if (!ok) {
			say(v, CYL_RISK_HEAD, true, HF, AT(vh->offset, NONE, i),
			    "head %zu (size %" PRIu64 ", offset %" PRIu64 "): the signature "
			    "does not verify with the public key: forged, or signed by another "
			    "key", i, vh->h.size, vh->offset);
			return false;
		}
	}
	if (prev && vh->h.size < prev->h.size) {
		say(v, CYL_RISK_SIZE, true, HF, AT(vh->offset, NONE, i),
		    "head %zu (size %" PRIu64 ", offset %" PRIu64 "): smaller than head %zu "
		    "(size %" PRIu64 ") before it: heads never shrink", i, vh->h.size,
		    vh->offset, pi, prev->h.size);
		return false;
	}
	if (prev && vh->h.ts_ns < prev->h.ts_ns)
		say(v, CYL_RISK_HEAD, false, HF, AT(vh->offset, NONE, i),
		    "head %zu (size %" PRIu64 "): signed before head %zu (%" PRIu64 " < %"
		    PRIu64 " ns): the clock went back", i, vh->h.size, pi, vh->h.ts_ns,
		    prev->h.ts_ns);
	return true;
}

static void check_heads(struct cyl_risk_view *v)
{
	const struct vhead *prev = NULL, *good = NULL;
	size_t i, pi = 0, gi = 0;
	struct run run = { RUN_NONE, 0, 0 };
	uint64_t max_usable = 0;
	uint8_t root[HL];
	char a[65], b[65], what[48];

	v->sum.latest = NONE;
	for (i = 0; i < v->n_heads && !v->err; i++) {
		struct vhead *vh = &v->heads[i];

		if (!head_usable(v, i, prev, pi))
			continue;
		prev = vh;
		pi = i;
		max_usable = vh->h.size;
		if (vh->h.size > v->sum.entries) {
			if (extend(v, &run, RUN_BEYOND, i))
				beyond(v, good, gi, vh, i);
			continue;
		}
		if ((v->err = cyl_merkle_tree_root(&v->tree, vh->h.size, root)) != 0)
			return;
		if (memcmp(root, vh->h.root, HL)) {
			if (!extend(v, &run, RUN_ROOT, i))
				continue;
			say(v, CYL_RISK_ROOT, true, HF, AT(vh->offset, NONE, i),
			    "head %zu (size %" PRIu64 ", offset %" PRIu64 "): root mismatch: "
			    "signed %s, %s give %s", i, vh->h.size, vh->offset,
			    hex(vh->h.root, a), range(vh->h.size, what, sizeof(what)),
			    hex(root, b));
			locate(v, good, gi, vh, i);
			continue;
		}
		flush(v, &run);
		vh->good = true;
		v->sum.good_heads++;
		if (good)
			consistency(v, good, gi, vh, i);
		good = vh;
		gi = i;
		v->sum.latest = i;
		v->sum.signed_size = vh->h.size;
	}
	flush(v, &run);
	if (v->err)
		return;
	if (!prev && v->sum.entries)
		say(v, CYL_RISK_UNSIGNED, true, NULL, AT(NONE, 0, NONE),
		    "no validly signed head: none of the %" PRIu64 " %s can be verified",
		    v->sum.entries, plural(v->sum.entries, "entry", "entries"));
	else if (good && max_usable == v->sum.signed_size &&
		 v->sum.signed_size < v->sum.entries)
		say(v, CYL_RISK_UNSIGNED, false, EF,
		    AT(v->off[v->sum.signed_size], v->sum.signed_size, NONE),
		    "entries %" PRIu64 "..%" PRIu64 " (offset %" PRIu64 " on) are not "
		    "covered by a signed head yet", v->sum.signed_size, v->sum.entries - 1,
		    v->off[v->sum.signed_size]);
}

/* --- the view --- */

int cyl_risk_verify_mem(const void *entries, size_t elen, const void *heads,
			size_t hlen, const struct cyl_risk_verify_opts *o,
			struct cyl_risk_view **out)
{
	struct cyl_risk_view *v;
	int ret;

	*out = NULL;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->o = *o;
	v->ebuf = entries ? entries : (const void *)"";
	v->elen = entries ? elen : 0;
	v->hbuf = heads;
	v->hlen = heads ? hlen : 0;
	v->sum.latest = NONE;
	cyl_merkle_tree_init(&v->tree);
	if (!o->entries_only)
		read_heads(v);
	if (!v->err)
		read_entries(v);
	if (!v->err && !o->entries_only)
		check_heads(v);
	if ((ret = v->err) != 0) {
		cyl_risk_view_free(v);
		return ret;
	}
	*out = v;
	return 0;
}

/* Map @dir/@name read-only; a missing file gives NULL (with @missing_ok). */
static int map(const char *dir, const char *name, bool missing_ok, void **p,
	       size_t *len, char *err, size_t errlen)
{
	char path[4096];
	struct stat st;
	int fd, ret = 0;

	*p = NULL;
	*len = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && missing_ok)
		return 0;
	if (fd < 0)
		return cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st))
		ret = cyl_errf(-errno, err, errlen, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = cyl_errf(-EINVAL, err, errlen, "%s: not a regular file", path);
	else if (st.st_size == 0)
		*p = (void *)"";
	else if ((*p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
		 MAP_FAILED)
		ret = cyl_errf(-errno, err, errlen, "%s: mmap: %s", path, strerror(errno));
	else
		*len = (size_t)st.st_size;
	if (ret)
		*p = NULL;
	close(fd);
	return ret;
}

static void unmap(void *p, size_t len)
{
	if (p && len)
		munmap(p, len);
}

int cyl_risk_verify_dir(const char *dir, const struct cyl_risk_verify_opts *o,
			struct cyl_risk_view **out, char *err, size_t errlen)
{
	void *e = NULL, *h = NULL;
	size_t elen = 0, hlen = 0;
	int ret;

	*out = NULL;
	if ((ret = map(dir, EF, false, &e, &elen, err, errlen)) != 0)
		return ret;
	if (!o->entries_only &&
	    (ret = map(dir, HF, true, &h, &hlen, err, errlen)) != 0)
		goto out;
	ret = cyl_risk_verify_mem(e, elen, h, hlen, o, out);
	if (ret) {
		cyl_errf(ret, err, errlen, "%s: %s", dir, strerror(-ret));
		goto out;
	}
	(*out)->emap = elen ? e : NULL;
	(*out)->hmap = hlen ? h : NULL;
	return 0;
out:
	unmap(e, elen);
	unmap(h, hlen);
	return ret;
}

void cyl_risk_view_free(struct cyl_risk_view *v)
{
	if (!v)
		return;
	if (v->emap)
		munmap(v->emap, v->elen);
	if (v->hmap)
		munmap(v->hmap, v->hlen);
	cyl_merkle_tree_free(&v->tree);
	free(v->heads);
	free(v->off);
	free(v);
}

const struct cyl_risk_summary *cyl_risk_view_summary(const struct cyl_risk_view *v)
{
	return &v->sum;
}

int cyl_risk_view_entry(const struct cyl_risk_view *v, uint64_t i,
			const uint8_t **data, uint32_t *len, uint64_t *offset)
{
	if (i >= v->sum.entries)
		return -ERANGE;
	*offset = v->off[i];
	*len = cyl_get_le32(v->ebuf + v->off[i]);
	*data = v->ebuf + v->off[i] + 4;
	return 0;
}

size_t cyl_risk_view_heads(const struct cyl_risk_view *v)
{
	return v->n_heads;
}

const struct cyl_risk_head *cyl_risk_view_head(const struct cyl_risk_view *v,
					       size_t i, bool *good)
{
	if (i >= v->n_heads)
		return NULL;
	if (good)
		*good = v->heads[i].good;
	return &v->heads[i].h;
}

const struct cyl_merkle_tree *cyl_risk_view_tree(const struct cyl_risk_view *v)
{
	return &v->tree;
}

/* --- proofs --- */

int cyl_risk_prove_inclusion(const struct cyl_risk_view *v, uint64_t index,
			     struct cyl_risk_proof *p, char *err, size_t errlen)
{
	const struct vhead *h;
	int ret;

	memset(p, 0, sizeof(*p));
	if (v->sum.latest == NONE)
		return cyl_errf(-ERANGE, err, errlen, "no good signed head to prove against");
	h = &v->heads[v->sum.latest];
	if (index >= h->h.size)
		return cyl_errf(-ERANGE, err, errlen, "entry %" PRIu64 " is not covered by "
				"the latest good head (head %" PRIu64 ", size %" PRIu64 ")",
				index, v->sum.latest, h->h.size);
	p->m = index;
	p->n = h->h.size;
	p->head_m = NONE;
	p->head_n = v->sum.latest;
	memcpy(p->leaf, cyl_merkle_tree_leaf(&v->tree, index), HL);
	ret = cyl_merkle_inclusion_proof(&v->tree, index, p->n, p->hashes, &p->len);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s", strerror(-ret));
	p->verified = cyl_merkle_verify_inclusion(index, p->n, p->leaf, p->hashes,
						  p->len, h->h.root);
	return 0;
}

/* The latest good head of @size, or NONE. */
static uint64_t find_head(const struct cyl_risk_view *v, uint64_t size)
{
	size_t i;

	for (i = v->n_heads; i-- > 0;)
		if (v->heads[i].good && v->heads[i].h.size == size)
			return i;
	return NONE;
}

int cyl_risk_prove_consistency(const struct cyl_risk_view *v, uint64_t from,
			       uint64_t to, struct cyl_risk_proof *p,
			       char *err, size_t errlen)
{
	uint64_t a, b;
	int ret;

	memset(p, 0, sizeof(*p));
	if (from > to)
		return cyl_errf(-ERANGE, err, errlen, "from size %" PRIu64 " is larger "
				"than to size %" PRIu64, from, to);
	if ((a = find_head(v, from)) == NONE)
		return cyl_errf(-ERANGE, err, errlen, "no good signed head of size %"
				PRIu64, from);
	if ((b = find_head(v, to)) == NONE)
		return cyl_errf(-ERANGE, err, errlen, "no good signed head of size %"
				PRIu64, to);
	p->m = from;
	p->n = to;
	p->head_m = a;
	p->head_n = b;
	ret = cyl_merkle_consistency_proof(&v->tree, from, to, p->hashes, &p->len);
	if (ret)
		return cyl_errf(ret, err, errlen, "%s", strerror(-ret));
	p->verified = cyl_merkle_verify_consistency(from, to, v->heads[a].h.root,
						    v->heads[b].h.root, p->hashes,
						    p->len);
	return 0;
}
