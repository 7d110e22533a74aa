// SPDX-License-Identifier: GPL-2.0
/*
 * The risk log writer.  It keeps the accumulator (the roots of the perfect
 * subtrees) and file sizes, never the entries: appending is one writev()
 * and O(log n) hashing; opening reads the entries once to rebuild the
 * tree and check it against every signed head.
 *
 * Order of writes: entries are synced before a head that covers them is
 * written, and a head is synced before sign_head returns, so after a
 * crash every head covers entries that are on disk.
 */
#define _GNU_SOURCE	/* renameat2() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>

#include "risk/format.h"
#include "risk/merkle.h"
#include "risk/risklog.h"
#include "util/errbuf.h"
#include "util/file.h"
#include "util/le.h"

#define HL	CYL_MERKLE_HASH_LEN

struct cyl_risklog {
	int dfd, efd, hfd;	/* the directory (locked), entries, heads */
	char *dir;
	EVP_PKEY *key;
	enum cyl_risklog_fsync fsync;
	struct cyl_merkle_acc acc;
	uint64_t esize, hsize;	/* file sizes */
	uint64_t signed_size;	/* the last head's size */
	uint64_t heads;
	bool edirty;		/* entries appended since their last fdatasync() */
	bool broken;		/* a write could not be undone: no more appends */
	char err[512];
	char recovery[512];
};

static int __attribute__((format(printf, 3, 4)))
fail(struct cyl_risklog *log, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log->err, sizeof(log->err), fmt, ap);
	va_end(ap);
	return ret;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* --- the signing key --- */

/* The public half as PEM, malloc'ed. */
static int pub_pem(EVP_PKEY *key, char **pem, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int ret = -ENOMEM;

	if (!bio)
		return -ENOMEM;
	if (PEM_write_bio_PUBKEY(bio, key) == 1 &&
	    (n = BIO_get_mem_data(bio, &data)) > 0 && (*pem = malloc(n))) {
		memcpy(*pem, data, n);
		*len = (size_t)n;
		ret = 0;
	}
	BIO_free(bio);
	return ret;
}

/* "<key_path>.pub": written when missing, else it must be this key's. */
static int check_pub(struct cyl_risklog *log, const char *key_path)
{
	char path[4096], why[160], *pem = NULL;
	EVP_PKEY *have = NULL;
	size_t len;
	int ret;

	if ((size_t)snprintf(path, sizeof(path), "%s.pub", key_path) >= sizeof(path))
		return fail(log, -ENAMETOOLONG, "%s.pub: name too long", key_path);
	if ((ret = pub_pem(log->key, &pem, &len)) != 0)
		return fail(log, ret, "%s: cannot encode the public key", path);
	if (access(path, F_OK) && errno == ENOENT) {
		ret = cyl_write_file_atomic(path, pem, len, 0644);
		if (ret)
			fail(log, ret, "%s: %s", path, strerror(-ret));
		goto out;
	}
	if ((ret = cyl_risk_pubkey_read(path, &have, why, sizeof(why))) != 0) {
		fail(log, ret, "%s (the signing key's public half)", why);
		goto out;
	}
	ret = 0;
	if (EVP_PKEY_eq(have, log->key) != 1)
		ret = fail(log, -EINVAL, "%s is not the public key of %s: refusing to sign heads "
			   "that it would not verify", path, key_path);
out:
	EVP_PKEY_free(have);
	free(pem);
	return ret;
}

static int create_key(struct cyl_risklog *log, const char *path)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	BIO *bio = BIO_new(BIO_s_mem());
	char *data;
	long n;
	int ret = fail(log, -ENOMEM, "%s: cannot generate an Ed25519 key", path);

	if (!key || !bio)
		goto out;
	if (PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) != 1 ||
	    (n = BIO_get_mem_data(bio, &data)) <= 0)
		goto out;
	ret = cyl_write_file_atomic(path, data, (size_t)n, 0600);
	OPENSSL_cleanse(data, (size_t)n);
	if (ret) {
		fail(log, ret, "%s: %s", path, strerror(-ret));
		goto out;
	}
	log->key = key;
	key = NULL;
out:
	BIO_free(bio);
	EVP_PKEY_free(key);
	return ret;
}

static int parse_key(struct cyl_risklog *log, const char *path, const char *pem,
		     size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *key;

	if (!bio)
		return fail(log, -ENOMEM, "out of memory");
	key = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!key)
		return fail(log, -EINVAL, "%s: not a PEM private key", path);
	if (EVP_PKEY_get_id(key) != EVP_PKEY_ED25519) {
		EVP_PKEY_free(key);
		return fail(log, -EINVAL, "%s: not an Ed25519 key", path);
	}
	log->key = key;
	return 0;
}

/* The private key at @path, created if missing; refused if others may read it. */
static int load_key(struct cyl_risklog *log, const char *path)
{
	char buf[CYL_RISK_PEM_MAX + 1];
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return create_key(log, path);
	if (fd < 0)
		return fail(log, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st)) {
		ret = fail(log, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	ret = fail(log, -EINVAL, "%s: not a regular file", path);
	if (!S_ISREG(st.st_mode))
		goto out;
	ret = fail(log, -EPERM, "%s: the signing key may be read or written by its group "
		   "or by others (mode %04o): refused; chmod 600 it, and consider it "
		   "compromised", path, (unsigned int)(st.st_mode & 07777));
	if (st.st_mode & (S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH))
		goto out;
	while (len < sizeof(buf)) {
		n = read(fd, buf + len, sizeof(buf) - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = fail(log, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		len += (size_t)n;
	}
	ret = fail(log, -EINVAL, "%s: longer than %d bytes: not a key", path,
		   CYL_RISK_PEM_MAX);
	if (len > CYL_RISK_PEM_MAX)
		goto out;
	ret = parse_key(log, path, buf, len);
out:
	OPENSSL_cleanse(buf, sizeof(buf));
	close(fd);
	return ret;
}

/* --- files --- */

/* @dir and its missing parents, 0700. */
static int mkdir_p(struct cyl_risklog *log, const char *dir)
{
	char path[4096], *p, c;

	if (!*dir)
		return fail(log, -EINVAL, "empty directory name");
	if ((size_t)snprintf(path, sizeof(path), "%s", dir) >= sizeof(path))
		return fail(log, -ENAMETOOLONG, "%s: name too long", dir);
	for (p = path + 1; ; p++) {
		if (*p && *p != '/')
			continue;
		c = *p;
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST)
			return fail(log, -errno, "%s: mkdir: %s", path, strerror(errno));
		if (!c)
			return 0;
		*p = c;
	}
}

/*
 * A new file holding only its header, written and synced under a
 * temporary name and renamed into place: it never exists half-made.
 */
static int create_file(struct cyl_risklog *log, const char *name,
		       const char *magic, uint64_t created_ns)
{
	uint8_t hdr[CYL_RISK_HDR_LEN];
	enum cyl_create_step step;
	char tmp[64];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	cyl_risk_hdr_encode(magic, created_ns, hdr);
	fd = cyl_create_file_at(log->dfd, name, tmp, hdr, sizeof(hdr), &step);
	if (fd < 0)
		return fail(log, fd, "%s/%s: %s: %s", log->dir,
			    step >= CYL_CREATE_RENAME ? name : tmp,
			    cyl_create_step_name(step), strerror(-fd));
	close(fd);
	return 0;
}

/* Open @name for appending: its fd, or a negative errno (-ENOENT quietly). */
static int open_file(struct cyl_risklog *log, const char *name)
{
	struct stat st;
	int fd;

	fd = openat(log->dfd, name, O_RDWR | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return fail(log, -errno, "%s/%s: %s", log->dir, name, strerror(errno));
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(log, -EINVAL, "%s/%s: not a regular file", log->dir, name);
	}
	return fd;
}

struct map {
	uint8_t *p;
	size_t size;
};

static int map_file(struct cyl_risklog *log, int fd, const char *name,
		    struct map *m)
{
	struct stat st;

	m->p = NULL;
	if (fstat(fd, &st))
		return fail(log, -errno, "%s/%s: %s", log->dir, name, strerror(errno));
	m->size = (size_t)st.st_size;
	if (!m->size)
		return 0;
	m->p = mmap(NULL, m->size, PROT_READ, MAP_SHARED, fd, 0);
	if (m->p == MAP_FAILED) {
		m->p = NULL;
		return fail(log, -errno, "%s/%s: mmap: %s", log->dir, name, strerror(errno));
	}
	return 0;
}

static void unmap(struct map *m)
{
	if (m->p)
		munmap(m->p, m->size);
	m->p = NULL;
}

/* Cut @name at @at, where a torn tail starts, and say so. */
static int cut(struct cyl_risklog *log, int fd, const char *name, uint64_t at,
	       uint64_t bytes, const char *why)
{
	size_t used = strlen(log->recovery);

	if (ftruncate(fd, (off_t)at) || fsync(fd))
		return fail(log, -errno, "%s/%s: cutting the torn tail at offset %" PRIu64
			    ": %s", log->dir, name, at, strerror(errno));
	snprintf(log->recovery + used, sizeof(log->recovery) - used,
		 "%s%s/%s: torn tail of %" PRIu64 " bytes cut at offset %" PRIu64 ": %s",
		 used ? "; " : "", log->dir, name, bytes, at, why);
	return 0;
}

/* --- opening: the heads --- */

struct heads {
	struct cyl_risk_head *v;
	size_t n;
	uint64_t torn_at;	/* where a torn head starts; 0: none */
	char torn_why[64];
};

static const char *hex(const uint8_t h[HL], char buf[65])
{
	cyl_merkle_hex(h, buf);
	return buf;
}

/* Parse the heads file; a torn last record is noted for cutting. */
static int read_heads(struct cyl_risklog *log, const struct map *m,
		      struct heads *hs)
{
	size_t body, n, rem, i;
	uint64_t created, off;
	char why[160];
	int ret;

	if ((ret = cyl_risk_hdr_parse(m->p, m->size, CYL_RISK_HEADS_MAGIC, &created,
				      why, sizeof(why))) != 0)
		return fail(log, ret, "%s/%s: %s", log->dir, CYL_RISK_HEADS_FILE, why);
	body = m->size - CYL_RISK_HDR_LEN;
	n = body / CYL_RISK_HEAD_LEN;
	rem = body % CYL_RISK_HEAD_LEN;
	hs->v = calloc(n ? n : 1, sizeof(*hs->v));
	if (!hs->v)
		return fail(log, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		off = CYL_RISK_HDR_LEN + (uint64_t)i * CYL_RISK_HEAD_LEN;
		if (!cyl_risk_head_parse(m->p + off, &hs->v[i]))
			continue;
		/* Only the very last record may be torn. */
		if (i + 1 < n || rem)
			return fail(log, -EBADMSG, "%s/%s: head %zu (offset %" PRIu64
				    "): CRC mismatch, and heads follow: damaged; refusing "
				    "to append (run cylctl log verify)", log->dir,
				    CYL_RISK_HEADS_FILE, i, off);
		hs->torn_at = off;
		snprintf(hs->torn_why, sizeof(hs->torn_why), "last head's CRC mismatch");
		n--;
		break;
	}
	hs->n = n;
	if (rem && !hs->torn_at) {
		hs->torn_at = CYL_RISK_HDR_LEN + (uint64_t)n * CYL_RISK_HEAD_LEN;
		snprintf(hs->torn_why, sizeof(hs->torn_why), "%zu of %d bytes of a head",
			 rem, CYL_RISK_HEAD_LEN);
	}
	return 0;
}

/* Every head signed by our key, sizes never shrinking. */
static int check_heads(struct cyl_risklog *log, const struct heads *hs)
{
	size_t i;
	int ok;

	for (i = 0; i < hs->n; i++) {
		ok = cyl_risk_head_verify(log->key, &hs->v[i]);
		if (ok < 0)
			return fail(log, ok, "%s/%s: head %zu: cannot check its signature",
				    log->dir, CYL_RISK_HEADS_FILE, i);
		if (!ok)
			return fail(log, -EBADMSG, "%s/%s: head %zu (size %" PRIu64 "): "
				    "signature does not verify with the signing key: forged "
				    "or from another key; refusing to append (run cylctl log "
				    "verify)", log->dir, CYL_RISK_HEADS_FILE, i, hs->v[i].size);
		if (i && hs->v[i].size < hs->v[i - 1].size)
			return fail(log, -EBADMSG, "%s/%s: head %zu (size %" PRIu64 ") is "
				    "smaller than head %zu (size %" PRIu64 "): refusing to "
				    "append (run cylctl log verify)", log->dir,
				    CYL_RISK_HEADS_FILE, i, hs->v[i].size, i - 1,
				    hs->v[i - 1].size);
	}
	return 0;
}

/* --- opening: the entries --- */

struct scan {
	const struct heads *hs;
	size_t next;		/* the next head to compare */
	uint64_t torn_at;	/* where a torn entry starts; 0: none */
	char torn_why[160];
};

/* Compare the heads of the current size with the accumulator. */
static int match_heads(struct cyl_risklog *log, struct scan *sc)
{
	const struct cyl_risk_head *h;
	uint8_t root[HL];
	char a[65], b[65], which[64];
	uint64_t prev;
	int ret;

	while (sc->next < sc->hs->n && sc->hs->v[sc->next].size == log->acc.size) {
		h = &sc->hs->v[sc->next];
		if ((ret = cyl_merkle_acc_root(&log->acc, root)) != 0)
			return fail(log, ret, "out of memory");
		if (memcmp(root, h->root, HL)) {
			prev = sc->next ? sc->hs->v[sc->next - 1].size : 0;
			if (!h->size || prev == h->size)
				return fail(log, -EBADMSG, "%s: head %zu (size %" PRIu64 ") "
					    "signed a root no entries give: %s; refusing to "
					    "append (run cylctl log verify)", log->dir, sc->next,
					    h->size, hex(h->root, a));
			if (prev + 1 == h->size)
				snprintf(which, sizeof(which), "entry %" PRIu64 " was", prev);
			else
				snprintf(which, sizeof(which), "entries %" PRIu64 "..%" PRIu64
					 " were", prev, h->size - 1);
			return fail(log, -EBADMSG, "%s: head %zu (size %" PRIu64 ") does not "
				    "match the entries: it signed root %s, entries 0..%" PRIu64
				    " give %s: %s changed, moved, dropped or inserted "
				    "since signing; refusing to append (run cylctl "
				    "log verify)", log->dir, sc->next, h->size, hex(h->root, a),
				    h->size - 1, hex(root, b), which);
		}
		sc->next++;
	}
	return 0;
}

static int read_entries(struct cyl_risklog *log, const struct map *m,
			struct scan *sc)
{
	struct cyl_risk_item it;
	uint8_t leaf[HL];
	uint64_t created;
	size_t off = CYL_RISK_HDR_LEN;
	char why[160];
	int ret;

	if ((ret = cyl_risk_hdr_parse(m->p, m->size, CYL_RISK_ENTRIES_MAGIC, &created,
				      why, sizeof(why))) != 0)
		return fail(log, ret, "%s/%s: %s", log->dir, CYL_RISK_ENTRIES_FILE, why);
	cyl_merkle_acc_init(&log->acc);
	if ((ret = match_heads(log, sc)) != 0)
		return ret;
	while (cyl_risk_entries_next(m->p, m->size, &off, &it) > 0) {
		if (it.tail && it.torn) {
			sc->torn_at = it.offset;
			snprintf(sc->torn_why, sizeof(sc->torn_why), "%s", it.msg);
			break;
		}
		if (it.error)
			return fail(log, -EBADMSG, "%s/%s: entry %" PRIu64 " (offset %" PRIu64
				    "): %s%s; refusing to append (run cylctl log verify)",
				    log->dir, CYL_RISK_ENTRIES_FILE, log->acc.size, it.offset,
				    it.msg,
				    it.tail ? ", and too much follows for a torn write" : "");
		if ((ret = cyl_merkle_leaf_hash(it.data, it.len, leaf)) != 0 ||
		    (ret = cyl_merkle_acc_append(&log->acc, leaf)) != 0)
			return fail(log, ret, "out of memory");
		if ((ret = match_heads(log, sc)) != 0)
			return ret;
	}
	log->esize = sc->torn_at ? sc->torn_at : m->size;
	return 0;
}

/* The last head must not cover more than the entries hold. */
static int check_coverage(struct cyl_risklog *log, const struct scan *sc)
{
	const struct cyl_risk_head *h;

	if (sc->next == sc->hs->n)
		return 0;
	h = &sc->hs->v[sc->next];
	return fail(log, -EBADMSG, "%s: head %zu (size %" PRIu64 ") covers %" PRIu64
		    " entries, but %s holds %" PRIu64 " whole ones: entries %" PRIu64
		    "..%" PRIu64 " are missing (cut off or dropped)%s%s; refusing to "
		    "append (run cylctl log verify)", log->dir, sc->next, h->size,
		    h->size, CYL_RISK_ENTRIES_FILE, log->acc.size, log->acc.size,
		    h->size - 1, sc->torn_at ? "; at the end: " : "",
		    sc->torn_at ? sc->torn_why : "");
}

/*
 * The files' state on open: both present, or both created.  A heads file
 * is only ever created next to an empty entries file: one that went
 * missing must not let old entries be signed anew.
 */
static int open_files(struct cyl_risklog *log)
{
	uint64_t created = now_ns();
	int ret;

	log->efd = open_file(log, CYL_RISK_ENTRIES_FILE);
	if (log->efd < 0 && log->efd != -ENOENT)
		return log->efd;
	log->hfd = open_file(log, CYL_RISK_HEADS_FILE);
	if (log->hfd < 0 && log->hfd != -ENOENT)
		return log->hfd;
	if (log->efd == -ENOENT && log->hfd >= 0)
		return fail(log, -EBADMSG, "%s/%s is missing but %s is there: refusing "
			    "to start a new log over old heads", log->dir,
			    CYL_RISK_ENTRIES_FILE, CYL_RISK_HEADS_FILE);
	if (log->efd == -ENOENT) {
		if ((ret = create_file(log, CYL_RISK_ENTRIES_FILE, CYL_RISK_ENTRIES_MAGIC,
				       created)) != 0)
			return ret;
		if ((log->efd = open_file(log, CYL_RISK_ENTRIES_FILE)) < 0)
			return log->efd;
	}
	if (log->hfd == -ENOENT) {
		struct stat st;

		if (fstat(log->efd, &st))
			return fail(log, -errno, "%s/%s: %s", log->dir,
				    CYL_RISK_ENTRIES_FILE, strerror(errno));
		if (st.st_size > CYL_RISK_HDR_LEN)
			return fail(log, -EBADMSG, "%s/%s is missing but %s holds entries: "
				    "refusing to sign them anew", log->dir,
				    CYL_RISK_HEADS_FILE, CYL_RISK_ENTRIES_FILE);
		if ((ret = create_file(log, CYL_RISK_HEADS_FILE, CYL_RISK_HEADS_MAGIC,
				       created)) != 0)
			return ret;
		log->hfd = open_file(log, CYL_RISK_HEADS_FILE);
	}
	return log->hfd < 0 ? log->hfd : 0;
}

/* Read both files, check them against each other, cut torn tails. */
static int recover(struct cyl_risklog *log)
{
	struct heads hs = { 0 };
	struct scan sc = { .hs = &hs };
	struct map em = { 0 }, hm = { 0 };
	int ret;

	if ((ret = map_file(log, log->hfd, CYL_RISK_HEADS_FILE, &hm)) != 0 ||
	    (ret = map_file(log, log->efd, CYL_RISK_ENTRIES_FILE, &em)) != 0 ||
	    (ret = read_heads(log, &hm, &hs)) != 0 ||
	    (ret = check_heads(log, &hs)) != 0 ||
	    (ret = read_entries(log, &em, &sc)) != 0 ||
	    (ret = check_coverage(log, &sc)) != 0)
		goto out;
	log->heads = hs.n;
	log->signed_size = hs.n ? hs.v[hs.n - 1].size : 0;
	log->hsize = hs.torn_at ? hs.torn_at : hm.size;
	unmap(&em);
	unmap(&hm);
	if (sc.torn_at && (ret = cut(log, log->efd, CYL_RISK_ENTRIES_FILE, sc.torn_at,
				     em.size - sc.torn_at, sc.torn_why)) != 0)
		goto out;
	if (hs.torn_at)
		ret = cut(log, log->hfd, CYL_RISK_HEADS_FILE, hs.torn_at,
			  hm.size - hs.torn_at, hs.torn_why);
out:
	unmap(&em);
	unmap(&hm);
	free(hs.v);
	return ret;
}

int cyl_risklog_open(const char *dir, const char *key_path,
		     enum cyl_risklog_fsync fsync_policy,
		     struct cyl_risklog **out, char *err, size_t errlen)
{
	struct cyl_risklog *log;
	int ret;

	*out = NULL;
	if (fsync_policy != CYL_RISKLOG_FSYNC_EVERY &&
	    fsync_policy != CYL_RISKLOG_FSYNC_BATCH)
		return cyl_errf(-EINVAL, err, errlen, "unknown fsync policy %d", fsync_policy);
	log = calloc(1, sizeof(*log));
	if (!log || !(log->dir = strdup(dir))) {
		free(log);
		return cyl_errf(-ENOMEM, err, errlen, "out of memory");
	}
	log->dfd = log->efd = log->hfd = -1;
	log->fsync = fsync_policy;
	if ((ret = mkdir_p(log, dir)) != 0)
		goto out;
	log->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (log->dfd < 0) {
		ret = fail(log, -errno, "%s: %s", dir, strerror(errno));
		goto out;
	}
	if (flock(log->dfd, LOCK_EX | LOCK_NB)) {
		ret = errno == EWOULDBLOCK ?
		      fail(log, -EBUSY, "%s: risk log in use by another process", dir) :
		      fail(log, -errno, "%s: flock: %s", dir, strerror(errno));
		goto out;
	}
	if ((ret = load_key(log, key_path)) != 0 ||
	    (ret = check_pub(log, key_path)) != 0 ||
	    (ret = open_files(log)) != 0 ||
	    (ret = recover(log)) != 0)
		goto out;
	log->err[0] = '\0';
	*out = log;
	log = NULL;
out:
	if (log) {
		cyl_errf(ret, err, errlen, "%s", log->err);
		log->signed_size = log->acc.size;	/* nothing to sign on close */
		cyl_risklog_close(log);
	}
	return ret;
}

/* --- appending and signing --- */

static int sync_entries(struct cyl_risklog *log)
{
	if (!log->edirty)
		return 0;
	if (fdatasync(log->efd)) {
		/* Pages may be gone after a failed sync: trust nothing more. */
		log->broken = true;
		return fail(log, -errno, "%s/%s: fdatasync: %s", log->dir,
			    CYL_RISK_ENTRIES_FILE, strerror(errno));
	}
	log->edirty = false;
	return 0;
}

/* All of @iov, continuing short writes; a failure is undone by the caller. */
static int write_frame(int fd, struct iovec *iov, int cnt, size_t total)
{
	size_t done = 0, skip;
	struct iovec v[3];
	ssize_t n;
	int i, k;

	while (done < total) {
		for (i = 0, k = 0, skip = done; i < cnt; i++) {
			if (skip >= iov[i].iov_len) {
				skip -= iov[i].iov_len;
				continue;
			}
			v[k].iov_base = (uint8_t *)iov[i].iov_base + skip;
			v[k++].iov_len = iov[i].iov_len - skip;
			skip = 0;
		}
		n = writev(fd, v, k);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

int cyl_risklog_append(struct cyl_risklog *log, const void *entry, size_t len,
		       uint64_t *index)
{
	struct cyl_merkle_acc next;
	uint8_t lenb[4], crcb[4], leaf[HL];
	struct iovec iov[3];
	int ret;

	if (log->broken)
		return fail(log, -EIO, "%s: an earlier write failed: reopen the log", log->dir);
	if (len < 1 || len > CYL_RISKLOG_ENTRY_MAX)
		return fail(log, -EMSGSIZE, "entry of %zu bytes outside 1..%d", len,
			    CYL_RISKLOG_ENTRY_MAX);
	/* Hash first: once the frame is written, nothing may fail but I/O. */
	next = log->acc;
	if ((ret = cyl_merkle_leaf_hash(entry, len, leaf)) != 0 ||
	    (ret = cyl_merkle_acc_append(&next, leaf)) != 0)
		return fail(log, ret, "out of memory");
	cyl_put_le32(lenb, (uint32_t)len);
	cyl_put_le32(crcb, cyl_risk_frame_crc(lenb, entry, len));
	iov[0] = (struct iovec){ lenb, 4 };
	iov[1] = (struct iovec){ (void *)entry, len };
	iov[2] = (struct iovec){ crcb, 4 };
	ret = write_frame(log->efd, iov, 3, len + CYL_RISK_FRAME_OVERHEAD);
	if (ret) {
		fail(log, ret, "%s/%s: write: %s", log->dir, CYL_RISK_ENTRIES_FILE,
		     strerror(-ret));
		if (ftruncate(log->efd, (off_t)log->esize))
			log->broken = true;	/* a torn frame stays */
		return ret;
	}
	log->acc = next;
	log->esize += len + CYL_RISK_FRAME_OVERHEAD;
	log->edirty = true;
	if (index)
		*index = log->acc.size - 1;
	if (log->fsync == CYL_RISKLOG_FSYNC_EVERY)
		return sync_entries(log);
	return 0;
}

int cyl_risklog_sign_head(struct cyl_risklog *log)
{
	struct cyl_risk_head h = { .size = log->acc.size };
	uint8_t rec[CYL_RISK_HEAD_LEN];
	int ret;

	if (log->acc.size == log->signed_size)
		return 0;
	if (log->broken)
		return fail(log, -EIO, "%s: an earlier write failed: reopen the log", log->dir);
	/* A head must never cover entries that a crash could take back. */
	if ((ret = sync_entries(log)) != 0)
		return ret;
	if ((ret = cyl_merkle_acc_root(&log->acc, h.root)) != 0)
		return fail(log, ret, "out of memory");
	h.ts_ns = now_ns();
	if ((ret = cyl_risk_head_sign(log->key, &h)) != 0)
		return fail(log, ret, "signing the head of size %" PRIu64 " failed", h.size);
	cyl_risk_head_encode(&h, rec);
	if ((ret = cyl_write_all(log->hfd, rec, sizeof(rec))) != 0) {
		fail(log, ret, "%s/%s: write: %s", log->dir, CYL_RISK_HEADS_FILE,
		     strerror(-ret));
		if (ftruncate(log->hfd, (off_t)log->hsize))
			log->broken = true;
		return ret;
	}
	log->hsize += sizeof(rec);
	if (fdatasync(log->hfd)) {
		log->broken = true;
		return fail(log, -errno, "%s/%s: fdatasync: %s", log->dir,
			    CYL_RISK_HEADS_FILE, strerror(errno));
	}
	log->signed_size = h.size;
	log->heads++;
	return 0;
}

uint64_t cyl_risklog_size(const struct cyl_risklog *log)
{
	return log->acc.size;
}

uint64_t cyl_risklog_unsigned(const struct cyl_risklog *log)
{
	return log->acc.size - log->signed_size;
}

void cyl_risklog_root_hex(const struct cyl_risklog *log, char out[65])
{
	uint8_t root[HL];

	if (cyl_merkle_acc_root(&log->acc, root))
		memset(root, 0, sizeof(root));
	cyl_merkle_hex(root, out);
}

const char *cyl_risklog_last_error(const struct cyl_risklog *log)
{
	return log->err;
}

const char *cyl_risklog_recovery(const struct cyl_risklog *log)
{
	return log->recovery;
}

void cyl_risklog_close(struct cyl_risklog *log)
{
	if (!log)
		return;
	if (log->efd >= 0 && log->hfd >= 0 && !log->broken) {
		cyl_risklog_sign_head(log);
		sync_entries(log);
	}
	if (log->efd >= 0)
		close(log->efd);
	if (log->hfd >= 0)
		close(log->hfd);
	if (log->dfd >= 0)
		close(log->dfd);	/* releases the lock */
	EVP_PKEY_free(log->key);
	free(log->dir);
	free(log);
}
