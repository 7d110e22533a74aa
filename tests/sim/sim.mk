# Device simulators that run on the host, at the far end of qemu's devices.
#   devsim    an ASCII-line bedside monitor (single file)
#   hl7mon    HL7 v2.5 ORU^R01 over MLLP
#   astmsim   ASTM E1381/E1394 laboratory analyser
#   pumpsim   infusion pump, line commands and status
# The protocol simulators share the server, options and control socket (simcore.c,
# simctl.c) and the frame-building helpers (simtext.c); see tests/sim/README.md.
SIM_BUILD	:= $(BUILD)/tests/sim
SIM_PROTOS	:= hl7mon astmsim pumpsim
SIM_BINS	:= $(SIM_BUILD)/devsim $(addprefix $(SIM_BUILD)/,$(SIM_PROTOS))
SIM_CORE_OBJS	:= $(SIM_BUILD)/simcore.o $(SIM_BUILD)/simctl.o $(SIM_BUILD)/simtext.o

$(SIM_BUILD)/devsim: tests/sim/devsim.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -o $@ $(LDFLAGS)

$(SIM_BUILD)/%.o: tests/sim/%.c $(wildcard tests/sim/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

$(addprefix $(SIM_BUILD)/,$(SIM_PROTOS)): $(SIM_BUILD)/%: $(SIM_BUILD)/%.o $(SIM_CORE_OBJS)
	$(CC) $(CFLAGS) $^ -o $@ $(LDFLAGS)

# Host-only: the protocol simulators against a python3 client, TAP output.
sim-selftest: $(SIM_BINS)
	tests/sim/selftest.sh $(SIM_BUILD)

.PHONY: sim-selftest
