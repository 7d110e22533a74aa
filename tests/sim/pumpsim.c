// SPDX-License-Identifier: GPL-2.0
/*
 * pumpsim: an infusion pump with a line protocol.
 *
 * Commands end in CR (LF and CR LF are taken too); every reply and status
 * line ends in CR:
 *   STATUS?        STATUS RUNNING|STOPPED RATE=12.5 VTBI=250.0
 *   RATE?          RATE 12.5            (ml/h)
 *   VTBI?          VTBI 250.0           (ml, volume to be infused)
 *   ID?            ID PUMP1 SN=SIM0002 FW=1.4
 *   SET RATE x     OK                   (0.1..999.9, else ERR RANGE)
 *   SET VTBI x     OK                   (0.1..9999.9)
 *   BOLUS x        OK                   (0.1..50.0 ml; ERR STOPPED if stopped)
 *   START, STOP    OK
 *   anything else  ERR UNKNOWN; a bad number ERR SYNTAX; a line longer
 *                  than 255 bytes ERR LENGTH
 * Every interval (0: never) it sends, unasked,
 *   STATUS RUNNING RATE=12.5 VTBI=250.0 SEQ=n
 * with n counting 1, 2, 3...  With --checksum every line it sends ends in
 * "*HH", the XOR of the bytes before '*' in two uppercase hex digits, and
 * a command that ends in "*HH" must match (ERR CHECKSUM otherwise).
 * Lines that look like its own output (OK, ERR..., STATUS ..., RATE ...)
 * are ignored: a guest tty that echoes would otherwise start a loop.
 *
 * Faults (control socket), applied to the next line sent:
 *   checksum      the line ends in "*HH" with a wrong XOR (with or without
 *                 --checksum)
 *   truncate      only the first half of the line is sent, with no CR; an
 *                 unasked status line follows at once
 *   oversize N    a " PAD=XXX..." field makes the line N bytes long, CR
 *                 included (sent unpadded, and logged, if N is too small)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "simcore.h"
#include "simtext.h"

#define CR	0x0d
#define LF	0x0a

#define PUMP_LINE_MAX	256

struct pump {
	bool checksum;		/* --checksum */
	bool running;
	int rate;		/* tenths of ml/h */
	int vtbi;		/* tenths of ml */
	char line[PUMP_LINE_MAX];
	size_t len;
	bool overlong;		/* the line being received is too long */
	unsigned long commands, errors, echoes, boluses;
};

static uint8_t xor(const uint8_t *p, size_t n)
{
	uint8_t x = 0;

	while (n--)
		x ^= *p++;
	return x;
}

static void emit(struct sim *sim, struct pump *p, const char *text, bool lossy);

static void status(struct sim *sim, struct pump *p, bool lossy)
{
	char line[128];

	snprintf(line, sizeof(line), "STATUS %s RATE=%d.%d VTBI=%d.%d SEQ=%lu",
		 p->running ? "RUNNING" : "STOPPED", p->rate / 10, p->rate % 10,
		 p->vtbi / 10, p->vtbi % 10, ++sim->seq);
	emit(sim, p, line, lossy);
}

/* Send one line (CR added), spoilt by the armed faults. */
static void emit(struct sim *sim, struct pump *p, const char *text, bool lossy)
{
	struct sim_faults f = sim->fault;
	bool sum = p->checksum || f.checksum;
	size_t tail = (sum ? 3 : 0) + 1;	/* "*HH" and CR */
	struct sim_buf b = { 0 };
	int r;

	sim->fault = (struct sim_faults){ 0 };
	sim_buf_printf(&b, "%s", text);
	if (f.oversize && f.oversize >= b.len + 5 + tail) {
		sim_buf_printf(&b, " PAD=");
		sim_buf_fill(&b, 'X', f.oversize - b.len - tail);
	} else if (f.oversize) {
		sim_log(sim, "fault oversize %zu: line is %zu bytes already, sent unpadded",
			f.oversize, b.len + tail);
	}
	if (sum)
		sim_buf_printf(&b, "*%02X", xor(b.p, b.len) ^ (f.checksum ? 0xff : 0));
	if (f.truncate)
		b.len = b.len / 2 ? b.len / 2 : 1;
	else
		sim_buf_addc(&b, CR);
	r = sim_send(sim, b.p, b.len, 1, lossy);
	sim_log(sim, "sent %.*s%s%s%s%s", (int)(b.len < 80 ? b.len : 80), (char *)b.p,
		b.len > 80 ? "..." : "", f.truncate ? " (truncated, no CR)" : "",
		f.checksum ? " (wrong checksum)" : "", r < 0 ? ": not taken by the line" : "");
	sim_buf_free(&b);
	if (f.truncate && r == 0)
		status(sim, p, false);	/* the next line follows at once */
}

/* A number with at most one decimal in tenths within [lo, hi]; 0 or -1. */
static int tenths(const char *s, int lo, int hi, int *out)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end)
		return -1;
	if (!(v * 10 >= lo - 0.5 && v * 10 < hi + 0.5))	/* NaN too */
		return -2;
	*out = (int)(v * 10 + 0.5);
	return 0;
}

typedef const char *(*pump_fn)(struct sim *sim, struct pump *p, const char *arg,
			       char *reply, size_t len);

static const char *q_status(struct sim *sim, struct pump *p, const char *arg,
			    char *reply, size_t len)
{
	snprintf(reply, len, "STATUS %s RATE=%d.%d VTBI=%d.%d",
		 p->running ? "RUNNING" : "STOPPED", p->rate / 10, p->rate % 10,
		 p->vtbi / 10, p->vtbi % 10);
	return reply;
}

static const char *q_rate(struct sim *sim, struct pump *p, const char *arg,
			  char *reply, size_t len)
{
	snprintf(reply, len, "RATE %d.%d", p->rate / 10, p->rate % 10);
	return reply;
}

static const char *q_vtbi(struct sim *sim, struct pump *p, const char *arg,
			  char *reply, size_t len)
{
	snprintf(reply, len, "VTBI %d.%d", p->vtbi / 10, p->vtbi % 10);
	return reply;
}

static const char *q_id(struct sim *sim, struct pump *p, const char *arg,
			char *reply, size_t len)
{
	return "ID PUMP1 SN=SIM0002 FW=1.4";
}

static const char *set_number(const char *arg, int lo, int hi, int *out)
{
	int r = tenths(arg, lo, hi, out);

	return r == -1 ? "ERR SYNTAX" : r == -2 ? "ERR RANGE" : "OK";
}

static const char *set_rate(struct sim *sim, struct pump *p, const char *arg,
			    char *reply, size_t len)
{
	return set_number(arg, 1, 9999, &p->rate);
}

static const char *set_vtbi(struct sim *sim, struct pump *p, const char *arg,
			    char *reply, size_t len)
{
	return set_number(arg, 1, 99999, &p->vtbi);
}

static const char *bolus(struct sim *sim, struct pump *p, const char *arg,
			 char *reply, size_t len)
{
	int ml;
	const char *r = set_number(arg, 1, 500, &ml);

	if (strcmp(r, "OK"))
		return r;
	if (!p->running)
		return "ERR STOPPED";
	p->boluses++;
	sim_log(sim, "bolus of %d.%d ml", ml / 10, ml % 10);
	return "OK";
}

static const char *start(struct sim *sim, struct pump *p, const char *arg,
			 char *reply, size_t len)
{
	p->running = true;
	return "OK";
}

static const char *stop(struct sim *sim, struct pump *p, const char *arg,
			char *reply, size_t len)
{
	p->running = false;
	return "OK";
}

static const struct pump_cmd {
	const char *name;
	bool arg;		/* "NAME ARG" */
	pump_fn fn;
} cmds[] = {
	{ "STATUS?", false, q_status },
	{ "RATE?", false, q_rate },
	{ "VTBI?", false, q_vtbi },
	{ "ID?", false, q_id },
	{ "SET RATE", true, set_rate },
	{ "SET VTBI", true, set_vtbi },
	{ "BOLUS", true, bolus },
	{ "START", false, start },
	{ "STOP", false, stop },
};

/* Does @line look like the pump's own output, echoed back? */
static bool echo(const char *line)
{
	static const char *const own[] = { "OK", "ERR ", "STATUS ", "RATE ", "VTBI ", "ID " };
	size_t i;

	if (!strcmp(line, "OK"))
		return true;
	for (i = 1; i < sizeof(own) / sizeof(own[0]); i++)
		if (!strncmp(line, own[i], strlen(own[i])))
			return true;
	return false;
}

static const char *run(struct sim *sim, struct pump *p, char *line, char *reply,
		       size_t len)
{
	size_t n = strlen(line), i;

	if (n >= 3 && line[n - 3] == '*') {
		unsigned int want;

		if (sscanf(line + n - 2, "%2X", &want) != 1 ||
		    want != xor((const uint8_t *)line, n - 3))
			return "ERR CHECKSUM";
		line[n -= 3] = '\0';
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		size_t k = strlen(cmds[i].name);

		if (strncmp(line, cmds[i].name, k))
			continue;
		if (!cmds[i].arg && !line[k])
			return cmds[i].fn(sim, p, "", reply, len);
		if (cmds[i].arg && line[k] == ' ')
			return cmds[i].fn(sim, p, line + k + 1, reply, len);
		if (cmds[i].arg && !line[k])
			return "ERR SYNTAX";
	}
	return "ERR UNKNOWN";
}

/* One line from the gateway, without its terminator. */
static void command(struct sim *sim, struct pump *p)
{
	char reply[128];
	const char *r;
	char *line = p->line;
	size_t n = p->len;

	while (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	line[n] = '\0';
	while (*line == ' ' || *line == '\t')
		line++;
	if (!*line)
		return;
	if (echo(line)) {
		p->echoes++;
		sim_log(sim, "ignored `%s': the pump's own output echoed?", line);
		return;
	}
	p->commands++;
	r = run(sim, p, line, reply, sizeof(reply));
	if (!strncmp(r, "ERR", 3))
		p->errors++;
	sim_log(sim, "command `%s' -> %s", line, r);
	emit(sim, p, r, false);
}

static void received(struct sim *sim, const uint8_t *buf, size_t n)
{
	struct pump *p = sim->priv;
	size_t i;

	for (i = 0; i < n && sim->conn >= 0; i++) {
		if (buf[i] != CR && buf[i] != LF) {
			if (p->len < sizeof(p->line) - 1)
				p->line[p->len++] = (char)buf[i];
			else
				p->overlong = true;
			continue;
		}
		if (p->overlong) {
			p->errors++;
			sim_log(sim, "command longer than %d bytes", PUMP_LINE_MAX - 1);
			emit(sim, p, "ERR LENGTH", false);
		} else {
			command(sim, p);
		}
		p->len = 0;
		p->overlong = false;
	}
}

static void connected(struct sim *sim)
{
	struct pump *p = sim->priv;

	p->len = 0;
	p->overlong = false;
}

static void tick(struct sim *sim)
{
	status(sim, sim->priv, true);
}

static int burst(struct sim *sim, unsigned long n)
{
	while (n-- && sim->conn >= 0 && !sim->broken)
		status(sim, sim->priv, false);
	return 0;
}

static void stats(struct sim *sim, char *buf, size_t len)
{
	struct pump *p = sim->priv;

	snprintf(buf, len, " commands=%lu errors=%lu echoes=%lu boluses=%lu running=%d rate=%d.%d",
		 p->commands, p->errors, p->echoes, p->boluses, p->running,
		 p->rate / 10, p->rate % 10);
}

static const struct sim_proto pump_proto = {
	.name = "pumpsim",
	.usage = "       [--checksum]\n"
		 "An infusion pump: line commands, and a status line every interval\n"
		 "(default 1000 ms, 0: never).\n",
	.oversize_min = 1,
	.connected = connected,
	.received = received,
	.tick = tick,
	.burst = burst,
	.stats = stats,
};

enum { OPT_CHECKSUM = 0x200 };

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		SIM_COMMON_OPTIONS,
		{ "checksum", no_argument, NULL, OPT_CHECKSUM },
		{ NULL, 0, NULL, 0 },
	};
	struct pump p = { .running = true, .rate = 125, .vtbi = 2500 };
	struct sim sim;
	int c;

	sim_init(&sim, &pump_proto, 1000);
	sim.priv = &p;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == SIM_OPT_HELP) {
			sim_usage(&sim, stdout);
			return 0;
		}
		if (c == OPT_CHECKSUM) {
			p.checksum = true;
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
	return sim_main(&sim);
}
