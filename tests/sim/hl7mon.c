// SPDX-License-Identifier: GPL-2.0
/*
 * hl7mon: a vital-signs monitor that reports over HL7 v2.5 with MLLP.
 *
 * Every interval it sends one ORU^R01 message, framed as MLLP
 * (VT payload FS CR), made of MSH, PID, OBR and one OBX per vital sign
 * (LOINC-coded, UCUM units), segments ending in CR.  MSH-10, the message
 * control id, is the sequence number 1, 2, 3...  It takes the HL7 ACKs a
 * gateway may send back and logs them, but does not wait for them.
 *
 * Faults (control socket), applied to the next message:
 *   checksum      MLLP has no checksum: the end is spoilt instead, FS is
 *                 followed by 'X' rather than CR (bad structure)
 *   truncate      the message stops halfway through its payload, without
 *                 FS CR; the next message (VT...) follows at once
 *   oversize N    an NTE segment of 'X' pads the message to N bytes on the
 *                 wire (sent unpadded, and logged, if N is too small)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simcore.h"
#include "simtext.h"

#define VT	0x0b
#define FS	0x1c
#define CR	0x0d

#define HL7_IN_MAX	65536	/* longest message taken from the gateway */

struct hl7 {
	struct sim_buf in;	/* payload of the message being received */
	bool in_frame;		/* after a VT */
	bool saw_fs;		/* after its FS: CR must follow */
	unsigned long acks;	/* MSA AA or CA */
	unsigned long rejects;	/* other MSA codes */
	unsigned long bad_in;	/* malformed MLLP from the gateway */
};

static const struct vital {
	const char *loinc;
	const char *name;
	const char *unit;
	int base, spread;
	int tenths;		/* the value is in tenths */
} vitals[] = {
	{ "8867-4", "Heart rate", "/min", 72, 4, 0 },
	{ "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", 97, 2, 0 },
	{ "8480-6", "Systolic blood pressure", "mm[Hg]", 120, 6, 0 },
	{ "8462-4", "Diastolic blood pressure", "mm[Hg]", 78, 4, 0 },
	{ "9279-1", "Respiratory rate", "/min", 16, 2, 0 },
	{ "8310-5", "Body temperature", "Cel", 368, 3, 1 },
};

/* VT and the segments of ORU^R01 number @seq, each ending in CR. */
static void build(struct sim *sim, struct sim_buf *b, unsigned long seq)
{
	char ts[15];
	size_t i;

	sim_timestamp(sim, seq, ts);
	sim_buf_addc(b, VT);
	sim_buf_printf(b, "MSH|^~\\&|CYLMON^SIM|ICU^BED01|CYLGW|HOSP|%s||ORU^R01^ORU_R01|%lu|P|2.5\r",
		       ts, seq);
	sim_buf_printf(b, "PID|1||PAT%04u^^^HOSP^MR||DOE^JANE||19700101|F\r",
		       (unsigned int)(sim->seed % 10000));
	sim_buf_printf(b, "OBR|1|||VITALS^Vital signs^L|||%s\r", ts);
	for (i = 0; i < sizeof(vitals) / sizeof(vitals[0]); i++) {
		const struct vital *v = &vitals[i];
		int x = sim_vary(sim, seq, (unsigned int)i, v->base, v->spread);
		char val[16];

		if (v->tenths)
			snprintf(val, sizeof(val), "%d.%d", x / 10, x % 10);
		else
			snprintf(val, sizeof(val), "%d", x);
		sim_buf_printf(b, "OBX|%zu|NM|%s^%s^LN||%s|%s^%s^UCUM|||||F|||%s\r",
			       i + 1, v->loinc, v->name, val, v->unit, v->unit, ts);
	}
}

/* Send the next message, spoilt by the armed faults. */
static void emit(struct sim *sim, bool lossy)
{
	struct sim_faults f = sim->fault;
	unsigned long seq = ++sim->seq;
	struct sim_buf b = { 0 };
	size_t wire;
	int r;

	sim->fault = (struct sim_faults){ 0 };
	build(sim, &b, seq);
	wire = b.len + 2;
	if (f.oversize && f.oversize >= wire + 8) {
		sim_buf_printf(&b, "NTE|1||");
		sim_buf_fill(&b, 'X', f.oversize - wire - 8);
		sim_buf_addc(&b, CR);
	} else if (f.oversize) {
		sim_log(sim, "fault oversize %zu: message %lu is %zu bytes already, sent unpadded",
			f.oversize, seq, wire);
	}
	if (f.truncate) {
		b.len = 1 + (b.len - 1) / 2;
	} else {
		sim_buf_addc(&b, FS);
		sim_buf_addc(&b, f.checksum ? 'X' : CR);
	}
	r = sim_send(sim, b.p, b.len, 1, lossy);
	sim_log(sim, "message %lu: %zu bytes%s%s%s%s", seq, b.len,
		f.truncate ? ", truncated" : "",
		f.checksum && !f.truncate ? ", FS followed by X" : "",
		f.oversize ? ", oversize" : "", r < 0 ? ": not taken by the line" : "");
	sim_buf_free(&b);
	if (f.truncate && r == 0)
		emit(sim, false);	/* its VT ends the cut message */
}

/* Field @n of the CR-terminated segment at @seg, '|'-separated, into @out. */
static void field(const char *seg, int n, char *out, size_t len)
{
	const char *end;

	for (; n > 0 && *seg && *seg != '\r'; seg++)
		if (*seg == '|')
			n--;
	end = seg + strcspn(seg, "|\r");
	snprintf(out, len, "%.*s", n ? 0 : (int)(end - seg), seg);
}

/* A segment starting with @id, or NULL. */
static const char *segment(const char *msg, const char *id)
{
	const char *s;

	for (s = msg; s; s = strchr(s, '\r')) {
		if (*s == '\r')
			s++;
		if (!strncmp(s, id, strlen(id)))
			return s;
	}
	return NULL;
}

/* A whole message from the gateway: log it, count an ACK. */
static void message(struct sim *sim, struct hl7 *h)
{
	char type[32] = "", code[8] = "", id[32] = "";
	const char *msh, *msa;

	sim_buf_addc(&h->in, '\0');
	msh = segment((const char *)h->in.p, "MSH|");
	msa = segment((const char *)h->in.p, "MSA|");
	if (msh)
		field(msh, 8, type, sizeof(type));	/* MSH-9: MSH-1 is the '|' */
	if (!msa) {
		sim_log(sim, "received HL7 %s without MSA: ignored", *type ? type : "message");
		return;
	}
	field(msa, 1, code, sizeof(code));
	field(msa, 2, id, sizeof(id));
	if (!strcmp(code, "AA") || !strcmp(code, "CA"))
		h->acks++;
	else
		h->rejects++;
	sim_log(sim, "received %s: MSA %s for control id %s", *type ? type : "ACK",
		code, id);
}

static void received(struct sim *sim, const uint8_t *p, size_t n)
{
	struct hl7 *h = sim->priv;
	size_t i, outside = 0;

	for (i = 0; i < n; i++) {
		uint8_t c = p[i];

		if (!h->in_frame) {
			if (c == VT) {
				h->in_frame = true;
				h->saw_fs = false;
				h->in.len = 0;
			} else {
				outside++;
			}
		} else if (h->saw_fs) {
			h->in_frame = false;
			if (c == CR) {
				message(sim, h);
			} else {
				h->bad_in++;
				sim_log(sim, "received message ends in FS 0x%02x, not FS CR: ignored", c);
			}
		} else if (c == FS) {
			h->saw_fs = true;
		} else if (c == VT) {
			h->bad_in++;
			h->in.len = 0;
			sim_log(sim, "received message cut short by a new VT: ignored");
		} else if (h->in.len >= HL7_IN_MAX) {
			h->bad_in++;
			h->in_frame = false;
			sim_log(sim, "received message longer than %d bytes: ignored", HL7_IN_MAX);
		} else {
			sim_buf_addc(&h->in, c);
		}
	}
	if (outside)
		sim_log(sim, "%zu received bytes outside MLLP framing", outside);
}

static void connected(struct sim *sim)
{
	struct hl7 *h = sim->priv;

	h->in_frame = false;
	h->in.len = 0;
}

static void tick(struct sim *sim)
{
	emit(sim, true);
}

static int burst(struct sim *sim, unsigned long n)
{
	while (n-- && sim->conn >= 0 && !sim->broken)
		emit(sim, false);
	return 0;
}

static void stats(struct sim *sim, char *buf, size_t len)
{
	struct hl7 *h = sim->priv;

	snprintf(buf, len, " acks=%lu rejects=%lu bad_rx_frames=%lu",
		 h->acks, h->rejects, h->bad_in);
}

static const struct sim_proto hl7_proto = {
	.name = "hl7mon",
	.usage = "Sends an HL7 v2.5 ORU^R01 over MLLP every interval (default 1000 ms).\n",
	.oversize_min = 1,
	.connected = connected,
	.received = received,
	.tick = tick,
	.burst = burst,
	.stats = stats,
};

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		SIM_COMMON_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct hl7 h = { 0 };
	struct sim sim;
	int c, ret;

	sim_init(&sim, &hl7_proto, 1000);
	sim.priv = &h;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == SIM_OPT_HELP) {
			sim_usage(&sim, stdout);
			return 0;
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
	sim_buf_free(&h.in);
	return ret;
}
