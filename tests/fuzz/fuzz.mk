# libFuzzer harnesses; each #includes the parser source it tests, as
# wireguard-tools' src/fuzz/config.c does, so the fuzzer instruments it.
#   build/tests/fuzz/fuzz_policy -max_total_time=20 <copy of tests/fuzz/corpus/policy>

FUZZ_BUILD	:= $(BUILD)/tests/fuzz
FUZZ_TARGETS	:= $(FUZZ_BUILD)/fuzz_policy $(FUZZ_BUILD)/fuzz_ctlproto \
		   $(FUZZ_BUILD)/fuzz_http_request $(FUZZ_BUILD)/fuzz_spool_reader \
		   $(FUZZ_BUILD)/fuzz_framer $(FUZZ_BUILD)/fuzz_usb_rule \
		   $(FUZZ_BUILD)/fuzz_usb_descriptors $(FUZZ_BUILD)/fuzz_cvss \
		   $(FUZZ_BUILD)/fuzz_risklog_verify $(FUZZ_BUILD)/fuzz_risk_report \
		   $(FUZZ_BUILD)/fuzz_abe_point $(FUZZ_BUILD)/fuzz_abe_policy \
		   $(FUZZ_BUILD)/fuzz_abe_decode $(FUZZ_BUILD)/fuzz_ssi_json \
		   $(FUZZ_BUILD)/fuzz_ssi_multibase $(FUZZ_BUILD)/fuzz_ssi_presentation \
		   $(FUZZ_BUILD)/fuzz_detect_csv $(FUZZ_BUILD)/fuzz_detect_model
FUZZ_CC		?= clang
FUZZ_CFLAGS	:= -g -O1 -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
		   -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		   -Iinclude/uapi -Iagent

fuzz-targets: $(FUZZ_TARGETS)

FUZZ_POLICY_UNITS := agent/policy/walk.c agent/policy/ssi.c agent/usb/rule.c agent/risk/register.c agent/risk/cvss.c

$(FUZZ_BUILD)/fuzz_policy: tests/fuzz/fuzz_policy.c agent/policy/policy.c agent/policy/policy.h agent/util/quote.c agent/util/file.c agent/usb/rule.h agent/policy/walk.h agent/risk/register.h agent/risk/cvss.h $(FUZZ_POLICY_UNITS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_POLICY_UNITS) -o $@ $(shell pkg-config --cflags --libs yaml-0.1 jansson)

$(FUZZ_BUILD)/fuzz_ctlproto: tests/fuzz/fuzz_ctlproto.c agent/core/ctlproto.c agent/core/ctlproto.h agent/util/quote.c agent/util/errbuf.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs jansson)

$(FUZZ_BUILD)/fuzz_http_request: tests/fuzz/fuzz_http_request.c agent/core/metrics.c agent/core/metrics.h agent/util/quote.c agent/util/errbuf.c agent/util/strbuf.c agent/util/strbuf.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< agent/util/strbuf.c -o $@ $(shell pkg-config --cflags --libs jansson)

$(FUZZ_BUILD)/fuzz_spool_reader: tests/fuzz/fuzz_spool_reader.c agent/store/spool.c agent/store/spool.h agent/store/record.c agent/store/record.h agent/util/errbuf.c agent/util/le.h agent/util/file.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs libcrypto) -lz

$(FUZZ_BUILD)/fuzz_usb_rule: tests/fuzz/fuzz_usb_rule.c agent/usb/rule.c agent/usb/rule.h agent/util/quote.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@

$(FUZZ_BUILD)/fuzz_usb_descriptors: tests/fuzz/fuzz_usb_descriptors.c agent/usb/descriptors.c agent/usb/descriptors.h agent/usb/rule.h agent/util/errbuf.c agent/util/le.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs libcrypto)

$(FUZZ_BUILD)/fuzz_cvss: tests/fuzz/fuzz_cvss.c agent/risk/cvss.c agent/risk/cvss.h agent/util/quote.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@

$(FUZZ_BUILD)/fuzz_risklog_verify: tests/fuzz/fuzz_risklog_verify.c agent/risk/merkle.c agent/risk/merkle.h agent/risk/format.c agent/risk/format.h agent/risk/verify.c agent/risk/verify.h agent/risk/risklog.h agent/util/errbuf.c agent/util/file.c agent/util/le.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs libcrypto) -lz

# Reports: report.c (which parses the entries) is included; the renderers
# and the policy's parser, to build the harness's register, are units.
FUZZ_REPORT_UNITS := agent/risk/report_md.c agent/risk/report_html.c agent/risk/report_json.c \
		     agent/util/strbuf.c agent/policy/policy.c agent/util/quote.c \
		     agent/util/file.c $(FUZZ_POLICY_UNITS)

$(FUZZ_BUILD)/fuzz_risk_report: tests/fuzz/fuzz_risk_report.c agent/risk/report.c agent/risk/report.h agent/risk/report_model.h agent/util/strbuf.h agent/policy/policy.h agent/risk/register.h $(FUZZ_REPORT_UNITS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_REPORT_UNITS) -o $@ $(shell pkg-config --cflags --libs yaml-0.1 jansson)

# CP-ABE's decoders: each harness includes what it fuzzes, the rest of
# the pairing library comes as units.  Its constant-time code combines
# booleans with & and | on purpose (no branch), hence the -Wno-.
FUZZ_ABE_SRCS	:= $(addprefix agent/abe/,fp.c fr.c fp2.c fp12.c g1.c g2.c pairing.c \
		     codec.c h2c.c policy.c msp.c fame.c encoding.c seal.c armour.c)
FUZZ_ABE_DEPS	:= $(FUZZ_ABE_SRCS) $(wildcard agent/abe/*.h) agent/util/errbuf.c agent/util/quote.c

$(FUZZ_BUILD)/fuzz_abe_point: FUZZ_ABE_OWN := agent/abe/codec.c
$(FUZZ_BUILD)/fuzz_abe_policy: FUZZ_ABE_OWN := agent/abe/policy.c agent/abe/msp.c
$(FUZZ_BUILD)/fuzz_abe_decode: FUZZ_ABE_OWN := agent/abe/encoding.c agent/abe/armour.c
$(FUZZ_BUILD)/fuzz_abe_point $(FUZZ_BUILD)/fuzz_abe_policy $(FUZZ_BUILD)/fuzz_abe_decode: \
$(FUZZ_BUILD)/%: tests/fuzz/%.c $(FUZZ_ABE_DEPS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wno-bitwise-instead-of-logical $< \
		$(filter-out $(FUZZ_ABE_OWN),$(FUZZ_ABE_SRCS)) agent/util/errbuf.c \
		agent/util/quote.c -o $@ $(shell pkg-config --cflags --libs libcrypto)

$(FUZZ_BUILD)/fuzz_ssi_json: tests/fuzz/fuzz_ssi_json.c agent/ssi/json.c agent/ssi/json.h agent/ssi/jcs.c agent/ssi/jcs.h agent/util/errbuf.c agent/util/strbuf.c agent/util/strbuf.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@ $(shell pkg-config --cflags --libs jansson)

$(FUZZ_BUILD)/fuzz_ssi_multibase: tests/fuzz/fuzz_ssi_multibase.c agent/ssi/multibase.c agent/ssi/multibase.h agent/util/errbuf.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< -o $@

# Presentations: verify.c and status.c are included, the rest of SSI comes as units.
FUZZ_SSI_UNITS	:= $(addprefix agent/ssi/,json.c jcs.c multibase.c did.c di.c) \
		   agent/util/errbuf.c agent/util/file.c agent/util/strbuf.c

$(FUZZ_BUILD)/fuzz_ssi_presentation: tests/fuzz/fuzz_ssi_presentation.c agent/ssi/verify.c agent/ssi/status.c $(wildcard agent/ssi/*.h) $(FUZZ_SSI_UNITS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_SSI_UNITS) -o $@ $(shell pkg-config --cflags --libs jansson libcrypto) -lz

$(FUZZ_BUILD)/fuzz_detect_csv: tests/fuzz/fuzz_detect_csv.c agent/detect/csv.c agent/detect/csv.h agent/detect/dataset.c agent/detect/dataset.h agent/util/quote.c agent/util/quote.h agent/util/file.c agent/util/file.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< agent/util/file.c -o $@ -lm

FUZZ_DETECT_UNITS := agent/detect/iforest.c agent/detect/hst.c agent/detect/robust.c \
		     agent/detect/ensemble.c agent/util/errbuf.c

$(FUZZ_BUILD)/fuzz_detect_model: tests/fuzz/fuzz_detect_model.c agent/detect/model.c $(wildcard agent/detect/*.h) agent/util/le.h $(FUZZ_DETECT_UNITS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $< $(FUZZ_DETECT_UNITS) -o $@ $(shell pkg-config --cflags --libs libcrypto) -lm

# The module's framer, built as userspace code.
$(FUZZ_BUILD)/fuzz_framer: tests/fuzz/fuzz_framer.c kmod/framer.c kmod/framer.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Ikmod -DCYL_FRAMER_USERSPACE $< -o $@

.PHONY: fuzz-targets
