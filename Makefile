# kiennghi: see README.md.  make; make check; make demo; make install.
.POSIX:
.SUFFIXES:
.SECONDARY:

include config.mk

# Objects go to $(O), binaries to $(B); make check builds a second tree
# with the sanitizers in build/san.
O = build/obj
B = bin

LIB_SRC = $(wildcard lib/*.c)
CMD_SRC = $(wildcard cmd/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
TOOLS = $(CMD_SRC:cmd/%.c=%)
LIB = $(O)/libkn.a
LIB_OBJ = $(LIB_SRC:lib/%.c=$(O)/lib/%.o)
BINS = $(TOOLS:%=$(B)/%)
UNITS = $(UNIT_SRC:tests/unit/%.c=$(O)/tests/%)
MANS = $(wildcard man/*.1 man/*.7)

DEB_PKGS = libcsv-dev libjansson-dev libutf8proc-dev libcmocka-dev pkg-config
CHECK_PKGS = mandoc clang libclang-rt-dev valgrind
FUZZ_SECONDS = 20

# make V=1 shows the compiler's command lines.
V = 0
Q_0 = @
Q = $(Q_$(V))
SAY_0 = @echo
SAY_1 = @:
SAY = $(SAY_$(V))

ALL_CFLAGS = $(CPPFLAGS) `$(PKG_CONFIG) --cflags $(PKGS)` $(CFLAGS) $(EXTRA_CFLAGS)

all: deps
	@$(MAKE) --no-print-directory build

build: $(BINS)

# Install what the build needs when it is missing and we may; otherwise
# say what to install.
deps:
	@sh contrib/deps.sh $(DEB_PKGS)

check-deps:
	@sh contrib/deps.sh $(DEB_PKGS) $(CHECK_PKGS)

$(O)/lib/%.o: lib/%.c
	@mkdir -p $(@D)
	$(SAY) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(O)/cmd/%.o: cmd/%.c
	@mkdir -p $(@D)
	$(SAY) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(SAY) "  AR      $@"
	$(Q)ar rcs $@ $(LIB_OBJ)

$(B)/%: $(O)/cmd/%.o $(LIB)
	@mkdir -p $(@D)
	$(SAY) "  LINK    $@"
	$(Q)$(CC) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

$(O)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(SAY) "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -Ilib -MMD -MP -o $@ $< $(LIB) \
	    `$(PKG_CONFIG) --libs cmocka` $(LDLIBS)

-include $(wildcard $(O)/lib/*.d $(O)/cmd/*.d $(O)/tests/*.d)

# The tests, on the tree in $(O) and $(B).
test: $(BINS) $(UNITS)
	@KN_DATA=$(CURDIR)/data sh tests/unit/run.sh $(UNITS)
	@KN_DATA=$(CURDIR)/data sh tests/cli/run.sh $(B)
	@sh tests/symbols.sh $(LIB)
	@sh tests/bad/run.sh $(B)
	@sh tests/helpman.sh $(B)
	@sh tests/readme.sh $(B) README.md README.vi.md

check: check-deps
	@$(MAKE) --no-print-directory test
	@echo "== again, with AddressSanitizer and UBSan"
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    $(MAKE) --no-print-directory O=build/san B=build/san/bin \
	    EXTRA_CFLAGS="$(SANFLAGS)" test
	@echo "== libFuzzer, $(FUZZ_SECONDS) s a harness"
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

# make fuzz FUZZ_SECONDS=1800 for a long run.
fuzz: check-deps
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS)

check-valgrind: check-deps
	@$(MAKE) --no-print-directory build
	@KN_DATA=$(CURDIR)/data sh tests/valgrind.sh $(B)

demo: all
	@sh examples/demo.sh $(B)

bench: all
	@sh bench/run.sh $(B)

# kn-classify's model, trained on the labelled corpus (data/train.jsonl);
# run it again after changing the corpus, the abbreviations or the fields.
model: $(B)/kn-classify
	KN_DATA=$(CURDIR)/data $(B)/kn-classify train -q -o data/model.txt \
	    data/train.jsonl

install: all
	mkdir -p $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANPREFIX)/man1 \
	    $(DESTDIR)$(MANPREFIX)/man7 $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(BASHCOMPDIR)
	for t in $(TOOLS); do cp -f $(B)/$$t $(DESTDIR)$(PREFIX)/bin/; done
	for m in $(MANS); do \
	    s=$${m##*.}; cp -f $$m $(DESTDIR)$(MANPREFIX)/man$$s/; done
	cp -f data/*.csv data/*.jsonl data/*.txt $(DESTDIR)$(DATADIR)/ 2>/dev/null || \
	    cp -f data/*.csv $(DESTDIR)$(DATADIR)/
	cp -f examples/weekly-report.sh $(DESTDIR)$(DATADIR)/
	if [ -f contrib/kn.bash ]; then \
	    cp -f contrib/kn.bash $(DESTDIR)$(BASHCOMPDIR)/kn; fi

uninstall:
	for t in $(TOOLS); do rm -f $(DESTDIR)$(PREFIX)/bin/$$t; done
	for m in $(MANS); do \
	    s=$${m##*.}; rm -f $(DESTDIR)$(MANPREFIX)/man$$s/$${m##*/}; done
	rm -rf $(DESTDIR)$(DATADIR)
	rm -f $(DESTDIR)$(BASHCOMPDIR)/kn

clean:
	rm -rf build bin

.PHONY: all build deps check-deps test check fuzz check-valgrind demo bench \
	model install uninstall clean
