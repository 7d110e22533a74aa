// SPDX-License-Identifier: GPL-2.0
/*
 * astmsim: a laboratory analyser speaking ASTM E1381 (low level) and
 * E1394 (records).
 *
 * Every interval it has one result message to send: records H (message
 * control id = sequence number), P, O (specimen id S<seq>), three R
 * (glucose, sodium, potassium), an optional C comment (--comment-len) and
 * L.  Each record starts a frame; a record longer than 240 characters is
 * split, intermediate frames ending in ETB, the last in ETX.  A frame is
 *     STX FN text ETX|ETB C1 C2 CR LF
 * with FN the frame number 1..7,0,1... and C1 C2 the sum modulo 256 of the
 * bytes from FN to ETX/ETB, in two uppercase hex digits.
 *
 * As the sender it bids with ENQ and waits for ACK (NAK: retry after
 * --retry-ms; no reply within --ack-timeout-ms: EOT, then retry), sends
 * each frame and waits for ACK, retransmitting after a NAK up to 6 times
 * before it gives up with EOT, and ends with EOT.  An unsent message is
 * kept and sent again with the same sequence number.  When the gateway
 * bids first (ENQ) it receives: ACK, then each frame is ACKed or NAKed
 * after its checksum and frame number are checked, until EOT.
 * --no-handshake writes ENQ, the frames and EOT back to back and waits for
 * nothing, for tests where nobody answers.
 *
 * Faults (control socket):
 *   checksum      the next frame sent carries a wrong checksum (a
 *                 retransmission after the NAK is correct)
 *   truncate      the next frame sent stops halfway through its text:
 *                 no ETX, checksum or CR LF; what follows starts with STX
 *                 (the retransmission, or the next frame without handshake)
 *   oversize N    the next message built carries an extra C record sent as
 *                 one frame of N bytes (N >= 16), beyond the 240 limit
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simcore.h"
#include "simtext.h"

#define STX	0x02
#define ETX	0x03
#define EOT	0x04
#define ENQ	0x05
#define ACK	0x06
#define LF	0x0a
#define CR	0x0d
#define NAK	0x15
#define ETB	0x17

#define ASTM_TEXT_MAX		240	/* text characters in one frame */
#define ASTM_FRAME_OVERHEAD	7	/* STX FN ETX C1 C2 CR LF */
#define ASTM_RETRANSMITS	6	/* per frame, then the sender aborts */
#define ASTM_RECV_TIMEOUT_MS	30000	/* receiver: silence that ends a transfer */
#define ASTM_CONTENTION_MS	1000	/* the analyser's wait after contention */
#define ASTM_RX_MAX		(ASTM_TEXT_MAX + 16)
#define ASTM_COMMENT_MAX	8192

struct astm_frame {
	size_t off, len;	/* text in astm_msg.text */
	bool last;		/* ends its record: ETX, not ETB */
};

struct astm_msg {
	unsigned long seq;
	struct sim_buf text;	/* the records, each ending in CR */
	struct astm_frame *f;
	size_t n, cap;
};

enum astm_state {
	ASTM_IDLE,
	ASTM_WAIT_ENQ_ACK,	/* sent ENQ */
	ASTM_WAIT_FRAME_ACK,	/* sent frame cur */
	ASTM_BACKOFF,		/* waiting to bid again */
	ASTM_RECEIVING,		/* the gateway sends */
};

static const char *const state_names[] = {
	"idle", "wait_enq_ack", "wait_frame_ack", "backoff", "receiving",
};

struct astm {
	/* options */
	bool handshake;
	unsigned int ack_timeout_ms;
	unsigned int retry_ms;
	size_t comment_len;

	/* sender */
	enum astm_state state;
	struct astm_msg msg;
	bool have_msg;		/* msg is built and not yet delivered */
	size_t cur;		/* frame being sent */
	unsigned int fn;	/* its frame number */
	unsigned int naks;	/* NAKs it got */
	unsigned long backlog;	/* messages to send, msg included */

	/* receiver */
	struct sim_buf rx;	/* frame after its STX */
	bool rx_in_frame;
	int rx_tail;		/* bytes due after ETX/ETB, -1 before it */
	unsigned int rx_fn;	/* frame number expected */

	/* counters */
	unsigned long messages, naks_rx, retransmits, timeouts, aborts;
	unsigned long rx_frames, rx_bad;
};

/* Sum modulo 256 from the frame number through ETX or ETB. */
static uint8_t checksum(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	while (n--)
		sum = (uint8_t)(sum + *p++);
	return sum;
}

/* Append STX FN text ETX|ETB C1 C2 CR LF, or a cut frame. */
static void encode(struct sim_buf *out, unsigned int fn, const uint8_t *text,
		   size_t len, bool last, bool bad_sum, bool cut)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t start;
	uint8_t sum;

	sim_buf_addc(out, STX);
	start = out->len;
	sim_buf_addc(out, (uint8_t)('0' + fn));
	if (cut) {
		sim_buf_add(out, text, len / 2 ? len / 2 : len);
		return;
	}
	sim_buf_add(out, text, len);
	sim_buf_addc(out, last ? ETX : ETB);
	sum = checksum(out->p + start, out->len - start);
	if (bad_sum)
		sum = (uint8_t)(sum + 1);
	sim_buf_addc(out, (uint8_t)hex[sum >> 4]);
	sim_buf_addc(out, (uint8_t)hex[sum & 15]);
	sim_buf_addc(out, CR);
	sim_buf_addc(out, LF);
}

/* Close the record begun at text offset @off: cut it into frames of @max. */
static void end_record(struct astm_msg *m, size_t off, size_t max)
{
	while (off < m->text.len) {
		size_t len = m->text.len - off < max ? m->text.len - off : max;

		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 16;
			m->f = realloc(m->f, m->cap * sizeof(*m->f));
			if (!m->f) {
				perror("realloc");
				exit(1);
			}
		}
		m->f[m->n++] = (struct astm_frame){
			.off = off, .len = len, .last = off + len == m->text.len,
		};
		off += len;
	}
}

static void record(struct astm_msg *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void record(struct astm_msg *m, const char *fmt, ...)
{
	size_t off = m->text.len;
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	sim_buf_printf(&m->text, "%s\r", line);
	end_record(m, off, ASTM_TEXT_MAX);
}

static const struct analyte {
	const char *code;
	int base, spread;	/* in tenths if tenths */
	int lo, hi;		/* reference range, same unit */
	int tenths;
} analytes[] = {
	{ "GLU", 54, 8, 39, 61, 1 },
	{ "NA", 140, 4, 135, 145, 0 },
	{ "K", 42, 4, 35, 51, 1 },
};

static void number(char *buf, size_t len, int v, int tenths)
{
	if (tenths)
		snprintf(buf, len, "%d.%d", v / 10, v % 10);
	else
		snprintf(buf, len, "%d", v);
}

/* The next result message, with the armed oversize fault. */
static void build(struct sim *sim, struct astm *a, struct astm_msg *m)
{
	size_t oversize = sim->fault.oversize, i, off;
	unsigned int comments = 0;
	char ts[15];

	sim->fault.oversize = 0;
	m->text.len = 0;
	m->n = 0;
	m->seq = ++sim->seq;
	sim_timestamp(sim, m->seq, ts);
	record(m, "H|\\^&|%lu||CYLLAB^SIM^1.0|||||CYLGW||P|1394-97|%s", m->seq, ts);
	record(m, "P|1||PAT%04u||DOE^JOHN||19650312|M", (unsigned int)(sim->seed % 10000));
	record(m, "O|1|S%06lu||^^^GLU\\^^^NA\\^^^K|R|%s", m->seq, ts);
	for (i = 0; i < sizeof(analytes) / sizeof(analytes[0]); i++) {
		const struct analyte *an = &analytes[i];
		int v = sim_vary(sim, m->seq, (unsigned int)i, an->base, an->spread);
		char val[16], lo[16], hi[16];

		number(val, sizeof(val), v, an->tenths);
		number(lo, sizeof(lo), an->lo, an->tenths);
		number(hi, sizeof(hi), an->hi, an->tenths);
		record(m, "R|%zu|^^^%s|%s|mmol/L|%s-%s|%s||F||||%s", i + 1, an->code,
		       val, lo, hi, v < an->lo ? "L" : v > an->hi ? "H" : "N", ts);
	}
	if (a->comment_len) {
		static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

		off = m->text.len;
		sim_buf_printf(&m->text, "C|%u|I|", ++comments);
		for (i = 0; i < a->comment_len; i++)
			sim_buf_addc(&m->text, (uint8_t)abc[i % 26]);
		sim_buf_printf(&m->text, "|G\r");
		end_record(m, off, ASTM_TEXT_MAX);
	}
	if (oversize) {
		/* One frame of exactly @oversize bytes, whatever the limit. */
		off = m->text.len;
		sim_buf_printf(&m->text, "C|%u|I|", ++comments);
		sim_buf_fill(&m->text, 'X', oversize - ASTM_FRAME_OVERHEAD -
			     (m->text.len - off) - 3);
		sim_buf_printf(&m->text, "|G\r");
		end_record(m, off, (size_t)-1);
		sim_log(sim, "message %lu: a %zu-byte frame for fault oversize",
			m->seq, oversize);
	}
	record(m, "L|1|N");
}

static void send_byte(struct sim *sim, uint8_t c)
{
	sim_send(sim, &c, 1, 0, false);
}

/* Send frame cur of the message, spoilt by the armed faults. */
static void send_frame(struct sim *sim, struct astm *a)
{
	const struct astm_frame *fr = &a->msg.f[a->cur];
	struct sim_faults f = sim->fault;
	struct sim_buf b = { 0 };

	sim->fault.checksum = sim->fault.truncate = false;
	encode(&b, a->fn, a->msg.text.p + fr->off, fr->len, fr->last,
	       f.checksum, f.truncate);
	sim_send(sim, b.p, b.len, 1, false);
	sim_log(sim, "message %lu frame %zu/%zu FN %u: %zu bytes%s%s%s", a->msg.seq,
		a->cur + 1, a->msg.n, a->fn, b.len, a->naks ? " (retransmission)" : "",
		f.checksum && !f.truncate ? ", bad checksum" : "",
		f.truncate ? ", truncated" : "");
	sim_buf_free(&b);
	a->state = ASTM_WAIT_FRAME_ACK;
	sim_set_timeout(sim, a->ack_timeout_ms);
}

/* Bid for the line with ENQ. */
static void bid(struct sim *sim, struct astm *a)
{
	if (!a->have_msg) {
		build(sim, a, &a->msg);
		a->have_msg = true;
	}
	send_byte(sim, ENQ);
	sim_log(sim, "message %lu: ENQ", a->msg.seq);
	a->state = ASTM_WAIT_ENQ_ACK;
	sim_set_timeout(sim, a->ack_timeout_ms);
}

/* Neutral again: bid at once if messages wait. */
static void neutral(struct sim *sim, struct astm *a)
{
	a->state = ASTM_IDLE;
	sim_set_timeout(sim, 0);
	if (a->handshake && a->backlog)
		bid(sim, a);
}

static void backoff(struct sim *sim, struct astm *a, unsigned int ms)
{
	a->state = ASTM_BACKOFF;
	sim_set_timeout(sim, ms);
}

/* Give up on this transfer; the message is kept for the next bid. */
static void abort_transfer(struct sim *sim, struct astm *a, const char *why)
{
	a->aborts++;
	send_byte(sim, EOT);
	sim_log(sim, "message %lu: %s: EOT, retry in %u ms", a->msg.seq, why,
		a->retry_ms);
	backoff(sim, a, a->retry_ms);
}

static void frame_acked(struct sim *sim, struct astm *a)
{
	a->naks = 0;
	a->fn = (a->fn + 1) & 7;
	if (++a->cur < a->msg.n) {
		send_frame(sim, a);
		return;
	}
	send_byte(sim, EOT);
	sim_log(sim, "message %lu: delivered in %zu frames, EOT", a->msg.seq, a->msg.n);
	a->messages++;
	a->have_msg = false;
	a->backlog--;
	neutral(sim, a);
}

/* A whole frame from the gateway (after its STX): check it, ACK or NAK. */
static void frame_in(struct sim *sim, struct astm *a)
{
	const uint8_t *p = a->rx.p;
	size_t n = a->rx.len;
	char want[3];
	unsigned int fn;
	const char *bad = NULL;

	if (n < 6 || p[0] < '0' || p[0] > '7') {
		bad = "no frame number";
	} else {
		fn = (unsigned int)(p[0] - '0');
		snprintf(want, sizeof(want), "%02X", checksum(p, n - 4));
		if (memcmp(p + n - 4, want, 2))
			bad = "bad checksum";
		else if (p[n - 2] != CR || p[n - 1] != LF)
			bad = "no CR LF";
		else if (fn == ((a->rx_fn + 7) & 7))
			bad = NULL;	/* our ACK was lost: a repeat, ACK it again */
		else if (fn != a->rx_fn)
			bad = "unexpected frame number";
		else
			a->rx_fn = (a->rx_fn + 1) & 7;
	}
	if (bad) {
		a->rx_bad++;
		send_byte(sim, NAK);
		sim_log(sim, "received frame: %s: NAK", bad);
	} else {
		a->rx_frames++;
		send_byte(sim, ACK);
		sim_log_bytes(sim, "received frame, ACK:", p, n);
	}
	sim_set_timeout(sim, ASTM_RECV_TIMEOUT_MS);
}

static void rx_byte(struct sim *sim, struct astm *a, uint8_t c)
{
	if (a->rx_tail > 0) {
		sim_buf_addc(&a->rx, c);
		if (--a->rx_tail == 0) {
			a->rx_in_frame = false;
			frame_in(sim, a);
		}
		return;
	}
	if (c == STX) {
		a->rx_bad++;
		a->rx.len = 0;
		sim_log(sim, "received frame cut short by STX: dropped");
		return;
	}
	if (a->rx.len >= ASTM_RX_MAX) {
		a->rx_bad++;
		a->rx_in_frame = false;
		send_byte(sim, NAK);
		sim_log(sim, "received frame longer than %d bytes: NAK", ASTM_RX_MAX);
		return;
	}
	sim_buf_addc(&a->rx, c);
	if (c == ETX || c == ETB)
		a->rx_tail = 4;		/* C1 C2 CR LF */
}

static void on_ack(struct sim *sim, struct astm *a)
{
	switch (a->state) {
	case ASTM_WAIT_ENQ_ACK:
		a->cur = 0;
		a->fn = 1;
		a->naks = 0;
		send_frame(sim, a);
		break;
	case ASTM_WAIT_FRAME_ACK:
		frame_acked(sim, a);
		break;
	default:
		sim_log(sim, "ACK while %s: ignored", state_names[a->state]);
	}
}

static void on_nak(struct sim *sim, struct astm *a)
{
	a->naks_rx++;
	switch (a->state) {
	case ASTM_WAIT_ENQ_ACK:
		sim_log(sim, "message %lu: ENQ refused (NAK), retry in %u ms",
			a->msg.seq, a->retry_ms);
		backoff(sim, a, a->retry_ms);
		break;
	case ASTM_WAIT_FRAME_ACK:
		if (++a->naks > ASTM_RETRANSMITS) {
			abort_transfer(sim, a, "frame refused 7 times");
			break;
		}
		a->retransmits++;
		send_frame(sim, a);
		break;
	default:
		sim_log(sim, "NAK while %s: ignored", state_names[a->state]);
	}
}

static void on_enq(struct sim *sim, struct astm *a)
{
	switch (a->state) {
	case ASTM_WAIT_ENQ_ACK:
		/* Contention: the analyser has priority, and bids again in 1 s. */
		sim_log(sim, "contention (ENQ for ENQ): bid again in %d ms",
			ASTM_CONTENTION_MS);
		backoff(sim, a, ASTM_CONTENTION_MS);
		break;
	case ASTM_WAIT_FRAME_ACK:
		sim_log(sim, "ENQ while sending a frame: ignored");
		break;
	default:
		send_byte(sim, ACK);
		sim_log(sim, "the gateway bids (ENQ): ACK, receiving");
		a->state = ASTM_RECEIVING;
		a->rx_fn = 1;
		sim_set_timeout(sim, ASTM_RECV_TIMEOUT_MS);
	}
}

static void on_eot(struct sim *sim, struct astm *a)
{
	switch (a->state) {
	case ASTM_RECEIVING:
		sim_log(sim, "the gateway ends its transfer (EOT)");
		neutral(sim, a);
		break;
	case ASTM_WAIT_FRAME_ACK:
		/* A receiver interrupt: taken as ACK, the request ignored. */
		sim_log(sim, "EOT for a frame: taken as ACK");
		frame_acked(sim, a);
		break;
	default:
		sim_log(sim, "EOT while %s: ignored", state_names[a->state]);
	}
}

static void received(struct sim *sim, const uint8_t *p, size_t n)
{
	struct astm *a = sim->priv;
	size_t i, stray = 0;

	for (i = 0; i < n && sim->conn >= 0; i++) {
		if (a->rx_in_frame) {
			rx_byte(sim, a, p[i]);
			continue;
		}
		if (!a->handshake && (p[i] == ACK || p[i] == NAK)) {
			sim_log(sim, "%s: ignored (no handshake)", p[i] == ACK ? "ACK" : "NAK");
			continue;
		}
		switch (p[i]) {
		case ACK: on_ack(sim, a); break;
		case NAK: on_nak(sim, a); break;
		case ENQ: on_enq(sim, a); break;
		case EOT: on_eot(sim, a); break;
		case STX:
			if (a->state == ASTM_RECEIVING) {
				a->rx_in_frame = true;
				a->rx_tail = -1;
				a->rx.len = 0;
				break;
			}
			/* fall through */
		default:
			stray++;
		}
	}
	if (stray)
		sim_log(sim, "%zu received bytes outside a transfer: ignored", stray);
}

static void timeout(struct sim *sim)
{
	struct astm *a = sim->priv;

	switch (a->state) {
	case ASTM_WAIT_ENQ_ACK:
		a->timeouts++;
		abort_transfer(sim, a, "no reply to ENQ");
		break;
	case ASTM_WAIT_FRAME_ACK:
		a->timeouts++;
		abort_transfer(sim, a, "no reply to a frame");
		break;
	case ASTM_BACKOFF:
		bid(sim, a);
		break;
	case ASTM_RECEIVING:
		a->rx_in_frame = false;
		sim_log(sim, "the gateway fell silent while sending: neutral");
		neutral(sim, a);
		break;
	case ASTM_IDLE:
		break;
	}
}

/* Without handshake: ENQ, every frame and EOT in one write. */
static void send_whole(struct sim *sim, struct astm *a, bool lossy)
{
	struct astm_msg *m = &a->msg;
	struct sim_faults f;
	struct sim_buf b = { 0 };
	size_t i;
	int r;

	build(sim, a, m);
	f = sim->fault;
	sim->fault.checksum = sim->fault.truncate = false;
	sim_buf_addc(&b, ENQ);
	for (i = 0; i < m->n; i++)
		encode(&b, (unsigned int)(i + 1) & 7, m->text.p + m->f[i].off,
		       m->f[i].len, m->f[i].last, !i && f.checksum, !i && f.truncate);
	sim_buf_addc(&b, EOT);
	r = sim_send(sim, b.p, b.len, (unsigned int)m->n, lossy);
	if (r == 0)
		a->messages++;
	sim_log(sim, "message %lu: ENQ, %zu frames, EOT: %zu bytes%s%s%s", m->seq, m->n,
		b.len, f.checksum && !f.truncate ? ", first frame with a bad checksum" : "",
		f.truncate ? ", first frame truncated" : "",
		r < 0 ? ": not taken by the line" : "");
	sim_buf_free(&b);
}

static void tick(struct sim *sim)
{
	struct astm *a = sim->priv;

	if (!a->handshake) {
		send_whole(sim, a, true);
		return;
	}
	a->backlog++;
	if (a->state == ASTM_IDLE)
		bid(sim, a);
}

static int burst(struct sim *sim, unsigned long n)
{
	struct astm *a = sim->priv;

	if (!a->handshake) {
		while (n-- && sim->conn >= 0 && !sim->broken)
			send_whole(sim, a, false);
		return 0;
	}
	a->backlog += n;	/* as fast as the gateway acknowledges */
	if (a->state == ASTM_IDLE)
		bid(sim, a);
	return 0;
}

static void connected(struct sim *sim)
{
	struct astm *a = sim->priv;

	a->rx_in_frame = false;
	a->state = ASTM_IDLE;
	if (a->handshake && a->backlog)
		bid(sim, a);	/* what was not delivered before the hang-up */
}

static void stats(struct sim *sim, char *buf, size_t len)
{
	struct astm *a = sim->priv;

	snprintf(buf, len,
		 " messages=%lu naks=%lu retransmits=%lu timeouts=%lu aborts=%lu backlog=%lu rx_frames=%lu rx_bad_frames=%lu state=%s",
		 a->messages, a->naks_rx, a->retransmits, a->timeouts, a->aborts,
		 a->backlog, a->rx_frames, a->rx_bad, state_names[a->state]);
}

static const struct sim_proto astm_proto = {
	.name = "astmsim",
	.usage = "       [--no-handshake] [--ack-timeout-ms N] [--retry-ms N] [--comment-len N]\n"
		 "Sends an ASTM E1394 result message over E1381 every interval (default 1000 ms).\n",
	.oversize_min = ASTM_FRAME_OVERHEAD + 9,	/* C|n|I||G CR */
	.connected = connected,
	.received = received,
	.tick = tick,
	.timeout = timeout,
	.burst = burst,
	.stats = stats,
};

enum { OPT_NO_HANDSHAKE = 0x200, OPT_ACK_TIMEOUT, OPT_RETRY, OPT_COMMENT };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		SIM_COMMON_OPTIONS,
		{ "no-handshake", no_argument, NULL, OPT_NO_HANDSHAKE },
		{ "ack-timeout-ms", required_argument, NULL, OPT_ACK_TIMEOUT },
		{ "retry-ms", required_argument, NULL, OPT_RETRY },
		{ "comment-len", required_argument, NULL, OPT_COMMENT },
		{ NULL, 0, NULL, 0 },
	};
	struct astm a = {
		.handshake = true,
		.ack_timeout_ms = 15000,
		.retry_ms = 10000,
	};
	unsigned long v;
	struct sim sim;
	int c, ret;

	sim_init(&sim, &astm_proto, 1000);
	sim.priv = &a;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case SIM_OPT_HELP:
			sim_usage(&sim, stdout);
			return 0;
		case OPT_NO_HANDSHAKE:
			a.handshake = false;
			continue;
		case OPT_ACK_TIMEOUT:
		case OPT_RETRY:
		case OPT_COMMENT:
			if (sim_parse_ulong(optarg, c == OPT_COMMENT ? ASTM_COMMENT_MAX : 3600000, &v) < 0 ||
			    (c != OPT_COMMENT && !v)) {
				fprintf(stderr, "astmsim: invalid value `%s'\n", optarg);
				return 2;
			}
			if (c == OPT_ACK_TIMEOUT)
				a.ack_timeout_ms = (unsigned int)v;
			else if (c == OPT_RETRY)
				a.retry_ms = (unsigned int)v;
			else
				a.comment_len = v;
			continue;
		}
		if (sim_option(&sim, c, optarg) != 0) {
			sim_usage(&sim, stderr);
			return 2;
		}
	}
	if (optind < argc) {
		sim_usage(&sim, stderr);
		return 2;
	}
	ret = sim_main(&sim);
	sim_buf_free(&a.msg.text);
	sim_buf_free(&a.rx);
	free(a.msg.f);
	return ret;
}
