# cylcomedd (daemon) and cylctl (CLI), included by the top-level Makefile.
#
# Pure code (no daemon state) goes into small static libraries so unit
# tests and fuzzers link exactly what ships:
#   LIBCYL_POLICY    agent/policy/policy.c    YAML policy parser (libyaml),
#                    agent/policy/walk.c      schema-walk helpers for any YAML file of ours,
#                    agent/policy/edit.c      edits that keep the rest of its text,
#                    agent/usb/rule.c         the USB rule language it reads,
#                    agent/risk/register.c    the risk register of its "risk" section
#                                             (matches events as jansson objects),
#                    agent/risk/cvss.c        CVSS v3.1 base vectors of the register,
#                    agent/mender/gate.c      the safe-update gate's decision from it
#   LIBCYL_CTLPROTO  agent/core/ctlproto.c    control protocol (jansson)
#   LIBCYL_EVFMT     agent/core/evfmt.c       event formatting (jansson)
#   LIBCYL_EVENT     agent/core/event.c       security events as JSON, and
#                    agent/core/eventlog.c    their log file (needs LIBCYL_EVFMT)
#   LIBCYL_METRICS   agent/core/metrics.c     metrics, exposition, HTTP parser
#   LIBCYL_SERIAL    agent/serial/find.c      a policy device's tty by USB identity
#   LIBCYL_STORE     agent/store/record.c     sealed records (OpenSSL EVP),
#                    agent/store/spool.c      the record spool (zlib CRC-32),
#                    agent/store/key.c        record key files
#   LIBCYL_USB       agent/usb/descriptors.c  USB descriptors blob (OpenSSL EVP),
#                    agent/usb/sysfs.c        USB devices and interfaces in sysfs
#   LIBCYL_RISK      agent/risk/merkle.c      RFC 9162 Merkle trees and proofs (SHA-256),
#                    agent/risk/format.c      the risk log's byte layout, head signatures,
#                    agent/risk/risklog.c     the tamper-evident risk log writer,
#                    agent/risk/verify.c      its verifier (public key only; zlib CRC-32,
#                                             OpenSSL Ed25519),
#                    agent/risk/report*.c     risk reports, md, html, json (jansson; the
#                                             register's functions come from LIBCYL_POLICY,
#                                             so link LIBCYL_RISK first),
#                    agent/util/strbuf.c      a growable text buffer, HTML and Markdown escaping
#   LIBCYL_ABE       agent/abe/fp.c fr.c      BLS12-381 fields Fp and Fr (Montgomery, mont.h),
#                    agent/abe/fp2.c fp12.c   the Fp2, Fp6, Fp12 towers and GT,
#                    agent/abe/g1.c g2.c      the curve groups, complete formulas,
#                    agent/abe/pairing.c      the optimal ate pairing,
#                    agent/abe/codec.c        ZCash point encodings,
#                    agent/abe/h2c.c          RFC 9380 hash-to-curve (OpenSSL SHA-256),
#                    agent/abe/policy.c       attribute policies and attribute lists,
#                    agent/abe/msp.c          their monotone span programs,
#                    agent/abe/fame.c         FAME CP-ABE as a key encapsulation,
#                    agent/abe/encoding.c     its keys' and ciphertexts' byte layouts,
#                    agent/abe/seal.c         sealed files (HKDF, AES-256-GCM STREAM),
#                    agent/abe/armour.c       PEM-like armour of key files
#   LIBCYL_SSI       agent/ssi/json.c         bounded JSON input (jansson),
#                    agent/ssi/jcs.c          RFC 8785 canonical JSON,
#                    agent/ssi/multibase.c    multibase and multicodec,
#                    agent/ssi/did.c          did:key and did:web (from a cache), key files,
#                    agent/ssi/di.c           Data Integrity proofs (eddsa-jcs-2022, ecdsa-jcs-2019),
#                    agent/ssi/challenge.c    one-time challenges,
#                    agent/ssi/status.c       Bitstring Status Lists (zlib),
#                    agent/ssi/verify.c       credentials and presentations for access,
#                    agent/ssi/mapping.c      verified claims to ABE attributes,
#                    agent/ssi/issue.c        the gateway's master key and the keys it issues
#                                             (LIBCYL_ABE: link LIBCYL_SSI first)
#   LIBCYL_DETECT    agent/detect/csv.c       CSV data sets, and dataset.c their table,
#                    agent/detect/evaluate.c  ROC AUC, average precision, F1,
#                    agent/detect/model.c     anomaly models behind one interface, model files
#                                             (OpenSSL SHA-256): iforest.c, hst.c, robust.c,
#                                             ensemble.c (libm)

AGENT_BUILD	:= $(BUILD)/agent
AGENT_CFLAGS	:= -DCYL_VERSION='"$(VERSION)"' -MMD -MP

LIBCYL_POLICY	:= $(AGENT_BUILD)/libcylpolicy.a
LIBCYL_CTLPROTO	:= $(AGENT_BUILD)/libcylctlproto.a
LIBCYL_EVFMT	:= $(AGENT_BUILD)/libcylevfmt.a
LIBCYL_EVENT	:= $(AGENT_BUILD)/libcylevent.a
LIBCYL_METRICS	:= $(AGENT_BUILD)/libcylmetrics.a
LIBCYL_SERIAL	:= $(AGENT_BUILD)/libcylserial.a
LIBCYL_STORE	:= $(AGENT_BUILD)/libcylstore.a
LIBCYL_USB	:= $(AGENT_BUILD)/libcylusb.a
LIBCYL_RISK	:= $(AGENT_BUILD)/libcylrisk.a
LIBCYL_ABE	:= $(AGENT_BUILD)/libcylabe.a
LIBCYL_SSI	:= $(AGENT_BUILD)/libcylssi.a
LIBCYL_DETECT	:= $(AGENT_BUILD)/libcyldetect.a
DETECT_LIBS	:= -lm
STORE_LIBS	:= $(shell pkg-config --libs libcrypto 2>/dev/null) -lz

CYLCOMEDD_SRCS	:= agent/core/main.c agent/core/daemon.c agent/core/loop.c \
		   agent/core/log.c agent/core/signals.c agent/core/notify.c \
		   agent/core/ctlsock.c agent/core/devices.c agent/core/status.c \
		   agent/core/kmod.c agent/core/kmod_events.c agent/core/kmod_channel.c \
		   agent/core/policy_state.c \
		   agent/core/emit.c agent/bpf/lsm_guard_loader.c \
		   agent/core/metrics_http.c agent/core/stats.c agent/core/watchdog.c \
		   agent/serial/serial.c agent/serial/kmod_serial.c \
		   agent/serial/records.c agent/core/uevent.c agent/serial/kevent.c \
		   agent/usb/usb.c agent/risk/risk.c agent/core/update.c \
		   agent/core/httpd.c agent/ssi/ssi.c
CYLCTL_SRCS	:= agent/cli/main.c agent/cli/client.c agent/cli/status.c \
		   agent/cli/policy.c agent/cli/events.c agent/cli/stats.c \
		   agent/cli/devices.c agent/cli/records.c agent/cli/key.c \
		   agent/cli/usb.c agent/cli/log.c agent/cli/risk.c agent/cli/update.c \
		   agent/cli/bundle.c agent/cli/selftest.c agent/cli/abe.c agent/cli/ssi.c \
		   agent/cli/model.c

ABE_OBJS	:= $(addprefix $(AGENT_BUILD)/abe/,fp.o fr.o fp2.o fp12.o g1.o g2.o \
		     pairing.o codec.o h2c.o policy.o msp.o fame.o encoding.o \
		     seal.o armour.o)

SSI_OBJS	:= $(addprefix $(AGENT_BUILD)/ssi/,json.o jcs.o multibase.o did.o di.o \
		     challenge.o status.o verify.o mapping.o issue.o)

DETECT_OBJS	:= $(addprefix $(AGENT_BUILD)/detect/,csv.o dataset.o evaluate.o model.o \
		     iforest.o hst.o robust.o ensemble.o)

REPORT_OBJS	:= $(AGENT_BUILD)/risk/report.o $(AGENT_BUILD)/risk/report_md.o \
		   $(AGENT_BUILD)/risk/report_html.o $(AGENT_BUILD)/risk/report_json.o \
		   $(AGENT_BUILD)/util/strbuf.o

CYLCOMEDD_OBJS	:= $(patsubst agent/%.c,$(AGENT_BUILD)/%.o,$(CYLCOMEDD_SRCS))
CYLCTL_OBJS	:= $(patsubst agent/%.c,$(AGENT_BUILD)/%.o,$(CYLCTL_SRCS))
LIBCYL_OBJS	:= $(AGENT_BUILD)/policy/policy.o $(AGENT_BUILD)/policy/walk.o \
		   $(AGENT_BUILD)/policy/ssi.o \
		   $(AGENT_BUILD)/policy/edit.o \
		   $(AGENT_BUILD)/core/ctlproto.o \
		   $(AGENT_BUILD)/core/evfmt.o $(AGENT_BUILD)/util/quote.o \
		   $(AGENT_BUILD)/util/file.o \
		   $(AGENT_BUILD)/core/event.o $(AGENT_BUILD)/core/eventlog.o \
		   $(AGENT_BUILD)/core/metrics.o $(AGENT_BUILD)/util/errbuf.o \
		   $(AGENT_BUILD)/serial/find.o \
		   $(AGENT_BUILD)/store/record.o $(AGENT_BUILD)/store/spool.o \
		   $(AGENT_BUILD)/store/key.o $(AGENT_BUILD)/usb/rule.o \
		   $(AGENT_BUILD)/usb/descriptors.o $(AGENT_BUILD)/usb/sysfs.o \
		   $(AGENT_BUILD)/risk/register.o $(AGENT_BUILD)/risk/cvss.o \
		   $(AGENT_BUILD)/mender/gate.o \
		   $(AGENT_BUILD)/risk/merkle.o $(AGENT_BUILD)/risk/format.o \
		   $(AGENT_BUILD)/risk/risklog.o $(AGENT_BUILD)/risk/verify.o \
		   $(REPORT_OBJS) $(ABE_OBJS) $(SSI_OBJS) $(DETECT_OBJS)

AGENT_BINS	:= $(AGENT_BUILD)/cylcomedd $(AGENT_BUILD)/cylctl
CYLCTL_LIBS	:= $(shell pkg-config --libs jansson yaml-0.1 2>/dev/null)

agent: $(AGENT_BINS)

$(AGENT_BUILD)/%.o: agent/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(AGENT_CFLAGS) -c $< -o $@

# The loader includes the generated skeleton.
$(CYLCOMEDD_OBJS): $(BUILD)/bpf/lsm_guard.skel.h

# Both parsers quote offending input the same way (util/quote.c).
$(LIBCYL_POLICY): $(AGENT_BUILD)/policy/policy.o $(AGENT_BUILD)/policy/walk.o \
		  $(AGENT_BUILD)/policy/ssi.o \
		  $(AGENT_BUILD)/policy/edit.o \
		  $(AGENT_BUILD)/util/quote.o \
		  $(AGENT_BUILD)/util/file.o $(AGENT_BUILD)/usb/rule.o \
		  $(AGENT_BUILD)/risk/register.o $(AGENT_BUILD)/risk/cvss.o \
		  $(AGENT_BUILD)/mender/gate.o
$(LIBCYL_CTLPROTO): $(AGENT_BUILD)/core/ctlproto.o $(AGENT_BUILD)/util/quote.o \
		    $(AGENT_BUILD)/util/errbuf.o
$(LIBCYL_EVFMT): $(AGENT_BUILD)/core/evfmt.o
$(LIBCYL_EVENT): $(AGENT_BUILD)/core/event.o $(AGENT_BUILD)/core/eventlog.o \
		 $(AGENT_BUILD)/util/file.o
$(LIBCYL_METRICS): $(AGENT_BUILD)/core/metrics.o $(AGENT_BUILD)/util/quote.o \
		   $(AGENT_BUILD)/util/errbuf.o $(AGENT_BUILD)/util/strbuf.o
$(LIBCYL_SERIAL): $(AGENT_BUILD)/serial/find.o $(AGENT_BUILD)/util/quote.o
$(LIBCYL_STORE): $(AGENT_BUILD)/store/record.o $(AGENT_BUILD)/store/spool.o \
		 $(AGENT_BUILD)/store/key.o $(AGENT_BUILD)/util/errbuf.o \
		 $(AGENT_BUILD)/util/file.o
$(LIBCYL_USB): $(AGENT_BUILD)/usb/descriptors.o $(AGENT_BUILD)/usb/sysfs.o \
	       $(AGENT_BUILD)/util/errbuf.o $(AGENT_BUILD)/util/file.o
$(LIBCYL_RISK): $(AGENT_BUILD)/risk/merkle.o $(AGENT_BUILD)/risk/format.o \
		$(AGENT_BUILD)/risk/risklog.o $(AGENT_BUILD)/risk/verify.o \
		$(AGENT_BUILD)/util/errbuf.o $(AGENT_BUILD)/util/file.o $(REPORT_OBJS)
$(LIBCYL_ABE): $(ABE_OBJS) $(AGENT_BUILD)/util/errbuf.o $(AGENT_BUILD)/util/quote.o
$(LIBCYL_SSI): $(SSI_OBJS) $(AGENT_BUILD)/util/errbuf.o $(AGENT_BUILD)/util/file.o \
	       $(AGENT_BUILD)/util/strbuf.o
$(LIBCYL_DETECT): $(DETECT_OBJS) $(AGENT_BUILD)/util/quote.o $(AGENT_BUILD)/util/errbuf.o \
		  $(AGENT_BUILD)/util/file.o
$(LIBCYL_POLICY) $(LIBCYL_CTLPROTO) $(LIBCYL_EVFMT) $(LIBCYL_EVENT) $(LIBCYL_METRICS) \
$(LIBCYL_SERIAL) $(LIBCYL_STORE) $(LIBCYL_USB) $(LIBCYL_RISK) $(LIBCYL_ABE) $(LIBCYL_SSI) \
$(LIBCYL_DETECT):
	rm -f $@
	$(AR) rcs $@ $^

$(AGENT_BUILD)/cylcomedd: $(CYLCOMEDD_OBJS) $(LIBCYL_POLICY) $(LIBCYL_CTLPROTO) \
			  $(LIBCYL_EVENT) $(LIBCYL_EVFMT) $(LIBCYL_METRICS) \
			  $(LIBCYL_SERIAL) $(LIBCYL_STORE) $(LIBCYL_USB) $(LIBCYL_RISK) \
			  $(LIBCYL_SSI) $(LIBCYL_ABE)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(PKG_LIBS) $(STORE_LIBS)

$(AGENT_BUILD)/cylctl: $(CYLCTL_OBJS) $(LIBCYL_CTLPROTO) $(LIBCYL_RISK) \
			$(LIBCYL_POLICY) $(LIBCYL_STORE) $(LIBCYL_USB) $(LIBCYL_SSI) \
			$(LIBCYL_ABE) $(LIBCYL_DETECT)
	$(CC) $(CFLAGS) $(LDFLAGS) $^ -o $@ $(CYLCTL_LIBS) $(STORE_LIBS) $(DETECT_LIBS)

-include $(CYLCOMEDD_OBJS:.o=.d) $(CYLCTL_OBJS:.o=.d) $(LIBCYL_OBJS:.o=.d)

.PHONY: agent
