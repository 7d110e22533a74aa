# cmocka unit tests, one binary per module, linked against the agent's
# pure libraries.  Run one with TAP output:
#   CMOCKA_MESSAGE_OUTPUT=TAP build/tests/unit/test_policy

UNIT_BUILD	:= $(BUILD)/tests/unit
ABE_UNIT_TESTS	:= $(addprefix $(UNIT_BUILD)/,test_bls_field test_curves test_pairing \
		     test_codec test_h2c test_abe_policy test_abe_msp test_fame \
		     test_abe_seal)
SSI_UNIT_TESTS	:= $(addprefix $(UNIT_BUILD)/,test_ssi_jcs test_ssi_multibase test_ssi_did \
		     test_ssi_di test_ssi_challenge test_ssi_verify test_ssi_mapping \
		     test_ssi_issue)
DETECT_UNIT_TESTS := $(addprefix $(UNIT_BUILD)/,test_detect_csv test_detect_evaluate \
		     test_detect_models)
UNIT_TESTS	:= $(UNIT_BUILD)/test_policy $(UNIT_BUILD)/test_ctlproto \
		   $(UNIT_BUILD)/test_evfmt $(UNIT_BUILD)/test_event \
		   $(UNIT_BUILD)/test_eventlog $(UNIT_BUILD)/test_metrics \
		   $(UNIT_BUILD)/test_notify $(UNIT_BUILD)/test_serial_find \
		   $(UNIT_BUILD)/test_record \
		   $(UNIT_BUILD)/test_key $(UNIT_BUILD)/test_spool \
		   $(UNIT_BUILD)/test_framer $(UNIT_BUILD)/test_serial_events \
		   $(UNIT_BUILD)/test_usb_rule \
		   $(UNIT_BUILD)/test_usb_descriptors $(UNIT_BUILD)/test_usb_sysfs \
		   $(UNIT_BUILD)/test_cvss $(UNIT_BUILD)/test_risk_register \
		   $(UNIT_BUILD)/test_merkle $(UNIT_BUILD)/test_risklog \
		   $(UNIT_BUILD)/test_risk_report $(UNIT_BUILD)/test_update_gate \
		   $(ABE_UNIT_TESTS) $(SSI_UNIT_TESTS) $(DETECT_UNIT_TESTS)
UNIT_LIBS	:= $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

unit-tests: $(UNIT_TESTS)

$(UNIT_BUILD)/test_policy: tests/unit/test_policy.c $(LIBCYL_POLICY)
$(UNIT_BUILD)/test_ctlproto: tests/unit/test_ctlproto.c $(LIBCYL_CTLPROTO)
$(UNIT_BUILD)/test_evfmt: tests/unit/test_evfmt.c $(LIBCYL_EVFMT)
$(UNIT_BUILD)/test_event: tests/unit/test_event.c $(LIBCYL_EVENT) $(LIBCYL_EVFMT)
$(UNIT_BUILD)/test_eventlog: tests/unit/test_eventlog.c $(LIBCYL_EVENT) $(LIBCYL_EVFMT)
$(UNIT_BUILD)/test_metrics: tests/unit/test_metrics.c $(LIBCYL_METRICS)
$(UNIT_BUILD)/test_serial_find: tests/unit/test_serial_find.c $(LIBCYL_SERIAL)
$(UNIT_BUILD)/test_serial_events: tests/unit/test_serial_events.c \
				  $(AGENT_BUILD)/serial/kevent.o \
				  $(AGENT_BUILD)/core/uevent.o $(LIBCYL_EVENT) $(LIBCYL_EVFMT)
$(UNIT_BUILD)/test_notify: tests/unit/test_notify.c $(AGENT_BUILD)/core/notify.o \
			   $(AGENT_BUILD)/core/log.o
# The module's framer, built as userspace code.
$(UNIT_BUILD)/test_framer: tests/unit/test_framer.c kmod/framer.c kmod/framer.h
$(UNIT_BUILD)/test_framer: CFLAGS += -DCYL_FRAMER_USERSPACE -Ikmod

$(UNIT_BUILD)/test_record: tests/unit/test_record.c $(LIBCYL_STORE)
$(UNIT_BUILD)/test_key: tests/unit/test_key.c $(LIBCYL_STORE)
$(UNIT_BUILD)/test_spool: tests/unit/test_spool.c $(LIBCYL_STORE)
$(UNIT_BUILD)/test_usb_rule: tests/unit/test_usb_rule.c $(LIBCYL_POLICY)
$(UNIT_BUILD)/test_cvss: tests/unit/test_cvss.c $(LIBCYL_POLICY)
$(UNIT_BUILD)/test_update_gate: tests/unit/test_update_gate.c $(LIBCYL_POLICY)
# Reads the shipped etc/policy.yaml: run it from the repository root.
$(UNIT_BUILD)/test_risk_register: tests/unit/test_risk_register.c $(LIBCYL_POLICY)

# libcrypto comes with PKG_LIBS (openssl).
$(UNIT_BUILD)/test_usb_descriptors: tests/unit/test_usb_descriptors.c $(LIBCYL_USB)
$(UNIT_BUILD)/test_usb_sysfs: tests/unit/test_usb_sysfs.c $(LIBCYL_USB)

# The risk log: RFC 9162 trees, the writer, the verifier (libcrypto, zlib).
$(UNIT_BUILD)/test_merkle: tests/unit/test_merkle.c $(LIBCYL_RISK)
$(UNIT_BUILD)/test_risklog: tests/unit/test_risklog.c $(LIBCYL_RISK)
# Reports: LIBCYL_RISK first, it calls the register's functions.  Reads
# etc/policy.yaml: run it from the repository root.
$(UNIT_BUILD)/test_risk_report: tests/unit/test_risk_report.c $(LIBCYL_RISK) $(LIBCYL_POLICY)

# The pairing library and CP-ABE (libcrypto comes with PKG_LIBS).  The
# vector tests read tests/vectors/: run them from the repository root.
$(ABE_UNIT_TESTS): $(UNIT_BUILD)/%: tests/unit/%.c $(LIBCYL_ABE)

# SSI (jansson, libcrypto and zlib come with PKG_LIBS).  The vector tests
# read tests/vectors/: run them from the repository root.
$(SSI_UNIT_TESTS): $(UNIT_BUILD)/%: tests/unit/%.c $(LIBCYL_SSI) $(LIBCYL_ABE)

# Anomaly detection (libm; libcrypto for model files comes with PKG_LIBS).
$(DETECT_UNIT_TESTS): $(UNIT_BUILD)/%: tests/unit/%.c $(LIBCYL_DETECT)
$(DETECT_UNIT_TESTS): UNIT_LIBS += $(DETECT_LIBS)

$(UNIT_TESTS):
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) $(filter-out %.h,$^) -o $@ $(PKG_LIBS) $(UNIT_LIBS)

# Build and run them all; stops at the first failing binary.
unit-run: $(UNIT_TESTS)
	@for t in $(UNIT_TESTS); do echo "== $$t"; $$t || exit 1; done

.PHONY: unit-tests unit-run
