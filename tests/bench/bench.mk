# Benchmarks: built by `make check` so they cannot rot, run only by
# `make bench` (in a guest; see Documentation/performance.md).

BENCH_BUILD	:= $(BUILD)/tests/bench
BENCH_BINS	:= $(BENCH_BUILD)/ringbuf

bench-tools: $(BENCH_BINS)

$(BENCH_BUILD)/ringbuf: tests/bench/ringbuf.c bpf/bench_producer.h \
			$(BUILD)/bpf/bench_producer.skel.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Ibpf $(LDFLAGS) $< -o $@ $(PKG_LIBS)

.PHONY: bench-tools
