# Device simulators that run on the host, at the far end of qemu's devices.
SIM_BINS := $(BUILD)/tests/sim/devsim

$(BUILD)/tests/sim/%: tests/sim/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -o $@ $(LDFLAGS)
