# Shell tests of cylctl (tests/cli/*.sh, run by scripts/check's unit
# stage) and the helpers they use, built with the unit tests.

CLI_TEST_BUILD	:= $(BUILD)/tests/cli
CLI_TEST_TOOLS	:= $(CLI_TEST_BUILD)/mkspool $(CLI_TEST_BUILD)/mkrisklog

unit-tests: $(CLI_TEST_TOOLS) $(AGENT_BUILD)/cylctl

$(CLI_TEST_BUILD)/mkspool: tests/cli/mkspool.c $(LIBCYL_STORE)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(STORE_LIBS)

$(CLI_TEST_BUILD)/mkrisklog: tests/cli/mkrisklog.c $(LIBCYL_RISK)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(STORE_LIBS)
