# Benchmarks: built by `make check` so they cannot rot, run only by
# `make bench` (in a guest; see Documentation/performance.md).

BENCH_BUILD	:= $(BUILD)/tests/bench
BENCH_BINS	:= $(BENCH_BUILD)/ringbuf $(BENCH_BUILD)/event_encode \
		   $(BENCH_BUILD)/ldisc $(BENCH_BUILD)/risklog \
		   $(BENCH_BUILD)/pairing $(BENCH_BUILD)/abe $(BENCH_BUILD)/ssi \
		   $(BENCH_BUILD)/detect

bench-tools: $(BENCH_BINS)

$(BENCH_BUILD)/ringbuf: tests/bench/ringbuf.c bpf/bench_producer.h \
			$(BUILD)/bpf/bench_producer.skel.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibpf $(LDFLAGS) $< -o $@ $(PKG_LIBS)

# Host-side: the agent's per-event encoding cost against snprintf().
$(BENCH_BUILD)/event_encode: tests/bench/event_encode.c $(LIBCYL_EVENT) $(LIBCYL_EVFMT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS)

# Host-side: the risk log's appends and verification against plain writes.
$(BENCH_BUILD)/risklog: tests/bench/risklog.c $(LIBCYL_RISK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(STORE_LIBS)

# Host-side: the pairing library's operations, and FAME CP-ABE.
$(BENCH_BUILD)/pairing $(BENCH_BUILD)/abe: $(BENCH_BUILD)/%: tests/bench/%.c $(LIBCYL_ABE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(STORE_LIBS)

# Host-side: SSI presentations verified per second against raw Ed25519.
$(BENCH_BUILD)/ssi: tests/bench/ssi.c $(LIBCYL_SSI)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS)

# Host-side: the anomaly models against scikit-learn (detect_sklearn.py).
$(BENCH_BUILD)/detect: tests/bench/detect.c $(LIBCYL_DETECT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS) $(DETECT_LIBS)

# Guest-side: a pty pair on cylcomed's line discipline against N_TTY,
# driving the module with the agent's own libnl-genl client.
$(BENCH_BUILD)/ldisc: tests/bench/ldisc.c $(AGENT_BUILD)/serial/kmod_serial.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -pthread $(LDFLAGS) $^ -o $@ $(PKG_LIBS)

.PHONY: bench-tools
