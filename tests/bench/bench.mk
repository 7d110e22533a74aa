# Benchmarks: built by `make check` so they cannot rot, run only by
# `make bench` (in a guest; see Documentation/performance.md).

BENCH_BUILD	:= $(BUILD)/tests/bench
BENCH_BINS	:= $(BENCH_BUILD)/ringbuf $(BENCH_BUILD)/event_encode

bench-tools: $(BENCH_BINS)

$(BENCH_BUILD)/ringbuf: tests/bench/ringbuf.c bpf/bench_producer.h \
			$(BUILD)/bpf/bench_producer.skel.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibpf $(LDFLAGS) $< -o $@ $(PKG_LIBS)

# Host-side: the agent's per-event encoding cost against snprintf().
$(BENCH_BUILD)/event_encode: tests/bench/event_encode.c $(LIBCYL_EVENT) $(LIBCYL_EVFMT)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS)

.PHONY: bench-tools
