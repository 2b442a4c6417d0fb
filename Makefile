# Chiso build. Targets: all (default), run, check, lint, test, asan, bench, fuzz, install, man, deb,
# deb-check, clean.
# Every library comes through pkg-config; warnings are errors.

PKGS    = jansson libutf8proc icu-uc icu-i18n sqlite3 libpq libsodium libmicrohttpd libzip expat pangocairo cairo-pdf fontconfig xlsxwriter libcurl libcrypto zlib
TESTPKG = cmocka
BUILD  ?= build
CC     ?= cc
OPT    ?= -O2
SAN    ?=

CFLAGS_BASE = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-g $(OPT) $(SAN) -Isrc
CFLAGS_ALL  = $(CFLAGS_BASE) $(shell pkg-config --cflags $(PKGS)) $(CPPFLAGS) $(CFLAGS)
LDLIBS_ALL  = $(LDFLAGS) $(shell pkg-config --libs $(PKGS)) -lm $(LDLIBS)

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/assets.o $(BUILD)/obj/frameworks.o $(BUILD)/obj/score_stamp.o
ASSETS   = $(wildcard assets/*.css assets/*.js assets/*.svg assets/*.ico)
FRAMEWORKS = $(wildcard frameworks/*.json)
TEST_SRC = $(wildcard test/unit/test_*.c)
TEST_BIN = $(TEST_SRC:test/unit/%.c=$(BUILD)/test/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)
# What the benchmarks share (bench/gen/: the generated province), linked into each
BENCH_LIB = $(wildcard bench/gen/*.c)

.PHONY: all deps run check test asan bench clean lint lint-run fuzz fuzz-run install man deb deb-check
all: $(BUILD)/chiso

deps:
	@./scripts/install-deps.sh

$(BUILD)/obj/%.o: src/%.c src/*.h | $(BUILD)/obj
	@echo "  CC    $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/assets.c: $(ASSETS) scripts/embed.sh | $(BUILD)/obj
	@./scripts/embed.sh $@ assets /static/ $(ASSETS)

# The shipped frameworks, so the binary works with nothing beside it
# (framework.h: fw_catalog_load_default).
$(BUILD)/frameworks.c: $(FRAMEWORKS) scripts/embed.sh | $(BUILD)/obj
	@./scripts/embed.sh $@ fw_embedded "" $(FRAMEWORKS)

# What decides a stored score summary (summary_cache.c): the summaries stay
# valid across a new build that changes none of these files, and only such
# a change makes the round summary score every unit again.
SCORE_SRC = src/answers.c src/answers.h src/assess.c src/assess.h src/exact.c src/exact.h src/framework.c \
	src/framework.h src/q_bulk.c src/q_dash.c src/round_agg.c src/score.c src/score.h src/summary_cache.c src/target.c src/target.h $(FRAMEWORKS)
$(BUILD)/score_stamp.c: $(SCORE_SRC) | $(BUILD)/obj
	@printf 'const char score_rules_stamp[] = "%s";\n' "$$(cat $(SCORE_SRC) | sha256sum | cut -c1-16)" >$@

$(BUILD)/obj/assets.o $(BUILD)/obj/frameworks.o $(BUILD)/obj/score_stamp.o: $(BUILD)/obj/%.o: $(BUILD)/%.c src/asset.h
	@echo "  CC    $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/libchiso.a: $(LIB_OBJ)
	@rm -f $@ && ar rcs $@ $^

$(BUILD)/chiso: src/main.c $(BUILD)/libchiso.a
	@echo "  LINK  $@"
	@$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libchiso.a $(LDLIBS_ALL)

$(BUILD)/test/%: test/unit/%.c test/unit/*.h $(BUILD)/libchiso.a | $(BUILD)/test
	@echo "  TEST  $@"
	@$(CC) $(CFLAGS_ALL) $(shell pkg-config --cflags $(TESTPKG)) -Itest/unit -o $@ $< \
		$(BUILD)/libchiso.a $(LDLIBS_ALL) $(shell pkg-config --libs $(TESTPKG))

$(BUILD)/bench/%: bench/%.c $(BENCH_LIB) bench/gen/*.h $(BUILD)/libchiso.a | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BENCH_LIB) $(BUILD)/libchiso.a $(LDLIBS_ALL)

$(BUILD)/obj $(BUILD)/test $(BUILD)/bench $(BUILD)/fuzz:
	@mkdir -p $@

# Run the whole suite against one build directory.
test: $(BUILD)/chiso $(TEST_BIN)
	@CHISO=$(BUILD)/chiso ./test/run.sh $(BUILD)

# The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

check: deps
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@echo "check: lint clean, all suites passed (plain and sanitizers)"

# First run: the demo data set into chiso.db (accounts and password printed);
# then, every time, the web application on it.
run: deps all
	@[ -e chiso.db ] || ./$(BUILD)/chiso demo --db chiso.db
	./$(BUILD)/chiso serve --db chiso.db

# Benchmarks print figures and never fail on timing. bench/*.c are linked
# against the library; bench/*.sh drive the built binary (wrk, nginx,
# sqlite3, psql, LibreOffice: bench/deps lists what only they need).
bench: deps $(BUILD)/chiso $(BENCH_BIN)
	@./scripts/install-deps.sh bench/deps
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done
	@for s in bench/*.sh; do echo "== $$s"; CHISO=$(BUILD)/chiso sh $$s || exit 1; done

# libFuzzer targets (clang; not part of check): every fuzz/fuzz_NAME.c is
# linked against an instrumented library and run for FUZZ_SECONDS on its
# committed corpus fuzz/corpus/NAME/ (new inputs go to build/fuzz/corpus-NAME;
# crashes to build/fuzz/). The test suite replays the committed corpora.
FUZZ_SECONDS ?= 60
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)
FUZZ_SAN = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# clang warns about things gcc does not: in this build they are not fatal
# (the gcc builds and lint keep them so), so one file cannot stop fuzzing.
fuzz:
	@$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 CFLAGS="$(CFLAGS) -Wno-error" \
		SAN="$(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzz-run

$(BUILD)/fuzz/%: fuzz/%.c $(BUILD)/libchiso.a | $(BUILD)/fuzz
	@echo "  FUZZ  $@"
	@$(CC) $(CFLAGS_ALL) -fsanitize=fuzzer -o $@ $< $(BUILD)/libchiso.a $(LDLIBS_ALL)

fuzz-run: $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)
	@for t in $^; do n=$$(basename $$t); n=$${n#fuzz_}; w=$(BUILD)/fuzz/corpus-$$n; \
		mkdir -p $$w; echo "== $$t: $(FUZZ_SECONDS) s on fuzz/corpus/$$n"; \
		$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-artifact_prefix=$(BUILD)/fuzz/ $$w fuzz/corpus/$$n || exit 1; done

# Static analysis, part of check: cppcheck and clang-tidy (.clang-tidy,
# every warning an error) over src, the unit tests, bench and fuzz. Each
# file's clang-tidy run leaves a stamp in $(BUILD)/lint with the headers it
# includes (cc -MM), cppcheck one for the tree (and its --cppcheck-build-dir),
# so a second `make lint` checks only what changed; the files are checked
# LINT_JOBS at a time. cppcheck does not read system headers: it is
# given jansson.h for its json_*_foreach loop macros, and .cppcheck.cfg says
# which functions do not return (fatal, cmocka's fail_msg).
LINT_SRC   = $(wildcard src/*.c) $(TEST_SRC) $(BENCH_SRC) $(BENCH_LIB) $(FUZZ_SRC)
LINT_HDR   = $(wildcard src/*.h test/unit/*.h)
LINT_FLAGS = $(CFLAGS_BASE) $(shell pkg-config --cflags $(PKGS) $(TESTPKG)) -Itest/unit
LINT_JOBS ?= $(shell nproc 2>/dev/null || echo 2)
lint:
	@$(MAKE) --no-print-directory -k -j$(LINT_JOBS) --output-sync=target lint-run
	@out=$$(sh test/cli/state_names.sh); echo "lint: $$out"; case "$$out" in ok*) ;; *) exit 1 ;; esac
	@! grep -n 'qsort(' src/*.c | grep -v '^src/util.c:' || { echo "lint: qsort outside util.c (sort_list takes an empty, NULL list)"; exit 1; }
	@sh tools/store-coverage.sh || { echo "lint: store functions without a two-engine unit test (tools/store-coverage.sh)"; exit 1; }
	@echo "lint: cppcheck, clang-tidy and htmlcheck found nothing; every store function has a store test or is listed"

lint-run: $(BUILD)/lint/cppcheck.stamp $(LINT_SRC:%.c=$(BUILD)/lint/%.tidy) \
	$(patsubst %.c,$(BUILD)/lint/%.html,$(wildcard src/*.c)) $(BUILD)/lint/htmlcheck.self

$(BUILD)/lint/cppcheck.stamp: $(LINT_SRC) $(LINT_HDR) .cppcheck.cfg
	@mkdir -p $(BUILD)/lint/cppcheck
	@echo "  CPPCHECK"
	@cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 --inline-suppr \
		--cppcheck-build-dir=$(BUILD)/lint/cppcheck --library=.cppcheck.cfg \
		--include=$(shell pkg-config --variable=includedir jansson)/jansson.h -Isrc -Itest/unit src test/unit bench fuzz
	@touch $@

$(BUILD)/lint/%.tidy: %.c .clang-tidy
	@mkdir -p $(@D)
	@echo "  TIDY  $<"
	@$(CC) $(LINT_FLAGS) -MM -MP -MT $@ -MF $@.d $<
	@clang-tidy --quiet $< -- $(LINT_FLAGS) >$@.log 2>&1 || \
		{ grep -v 'warnings\? generated\.$$' $@.log; rm -f $@.log; exit 1; }
	@rm -f $@.log && touch $@
-include $(wildcard $(LINT_SRC:%.c=$(BUILD)/lint/%.tidy.d))

# Every html_f format against its arguments' types (tools/htmlcheck.py, on
# clang's AST), per file; and the checker itself must find exactly the calls
# marked BAD in test/lint/htmlcheck_bad.c.
HTMLCHECK = /usr/bin/python3 tools/htmlcheck.py
$(BUILD)/lint/src/%.html: src/%.c tools/htmlcheck.py $(LINT_HDR)
	@mkdir -p $(@D)
	@$(HTMLCHECK) $< -- $(LINT_FLAGS) >$@.log || { grep -v '^htmlcheck:' $@.log; rm -f $@.log; exit 1; }
	@rm -f $@.log && touch $@
$(BUILD)/lint/htmlcheck.self: tools/htmlcheck.py test/lint/htmlcheck_bad.c $(LINT_HDR)
	@mkdir -p $(@D)
	@echo "  HTMLCHECK  test/lint/htmlcheck_bad.c"
	@want=$$(grep -n 'BAD:' test/lint/htmlcheck_bad.c | cut -d: -f1 | tr '\n' ' '); \
	got=$$($(HTMLCHECK) test/lint/htmlcheck_bad.c -- $(LINT_FLAGS) | sed -n 's/^test\/lint\/htmlcheck_bad\.c:\([0-9]*\):.*/\1/p' | tr '\n' ' '); \
	[ "$$want" = "$$got" ] || { echo "htmlcheck: wanted problems on lines $$want, found $$got"; exit 1; }
	@touch $@

# The binary in $(PREFIX)/bin and the frameworks in $(PREFIX)/share/chiso/frameworks,
# where the binary looks for them (beside its bin/ directory: /usr/bin/chiso reads
# /usr/share/chiso/frameworks). DESTDIR stages the tree for a package.
PREFIX ?= /usr/local
install: $(BUILD)/chiso
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/chiso/frameworks
	install -m 755 $(BUILD)/chiso $(DESTDIR)$(PREFIX)/bin/chiso
	install -m 644 $(FRAMEWORKS) $(DESTDIR)$(PREFIX)/share/chiso/frameworks/

# chiso(1), generated from the commands' help (scripts/man.sh).
man: $(BUILD)/chiso.1
$(BUILD)/chiso.1: $(BUILD)/chiso scripts/man.sh
	@sh scripts/man.sh $(BUILD)/chiso $@

# The Debian package (debian/), built by dpkg-buildpackage from a copy of the
# tree's files (tracked and new, not the ignored ones) in $(BUILD)/deb/src, so
# that its products land in $(BUILD)/deb and not beside the tree; the copy keeps
# its build/ between runs (incremental). Then lintian (docs/deploy.md explains
# each tag it leaves). `make deb-check` runs the package test alone (as root).
DEB_DIR = $(BUILD)/deb
deb:
	@mkdir -p $(DEB_DIR)/src
	@find $(DEB_DIR)/src -mindepth 1 -maxdepth 1 ! -name build -exec rm -rf {} +
	@{ git ls-files -co --exclude-standard -z 2>/dev/null || find . \( -path ./build -o -path ./.git \
		-o -path ./node_modules \) -prune -o -type f -print0; } | tar -c --null -T - | tar -x -C $(DEB_DIR)/src
	@rm -f $(DEB_DIR)/chiso_* $(DEB_DIR)/chiso-dbgsym_*
	cd $(DEB_DIR)/src && DEB_BUILD_OPTIONS="noddebs $(DEB_BUILD_OPTIONS)" dpkg-buildpackage -b -us -uc -nc
	@if command -v lintian >/dev/null; then lintian --info $(DEB_DIR)/chiso_*.changes || true; fi

deb-check:
	@sh test/cli/deb.sh

clean:
	rm -rf build
