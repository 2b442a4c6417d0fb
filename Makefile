# Chiso build. Targets: all (default), run, check, test, asan, bench, clean.
# Every library comes through pkg-config; warnings are errors.

PKGS    = jansson libutf8proc icu-uc icu-i18n sqlite3 libpq libsodium libmicrohttpd
TESTPKG = cmocka
BUILD  ?= build
CC     ?= cc
OPT    ?= -O2
SAN    ?=

CFLAGS_BASE = -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -Wall -Wextra -Werror \
	-Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla \
	-g $(OPT) $(SAN) -Isrc
CFLAGS_ALL  = $(CFLAGS_BASE) $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
LDLIBS_ALL  = $(shell pkg-config --libs $(PKGS)) -lm $(LDLIBS)

LIB_SRC  = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/assets.o
ASSETS   = $(wildcard assets/*.css assets/*.js assets/*.svg)
TEST_SRC = $(wildcard test/unit/test_*.c)
TEST_BIN = $(TEST_SRC:test/unit/%.c=$(BUILD)/test/%)
BENCH_SRC = $(wildcard bench/*.c)
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps run check test asan bench clean lint
all: $(BUILD)/chiso

deps:
	@./scripts/install-deps.sh

$(BUILD)/obj/%.o: src/%.c src/*.h | $(BUILD)/obj
	@echo "  CC    $<"
	@$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/assets.c: $(ASSETS) scripts/embed.sh | $(BUILD)/obj
	@./scripts/embed.sh $@ $(ASSETS)

$(BUILD)/obj/assets.o: $(BUILD)/assets.c src/asset.h
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

$(BUILD)/bench/%: bench/%.c $(BUILD)/libchiso.a | $(BUILD)/bench
	$(CC) $(CFLAGS_ALL) -o $@ $< $(BUILD)/libchiso.a $(LDLIBS_ALL)

$(BUILD)/obj $(BUILD)/test $(BUILD)/bench:
	@mkdir -p $@

# Run the whole suite against one build directory.
test: $(BUILD)/chiso $(TEST_BIN)
	@CHISO=$(BUILD)/chiso ./test/run.sh $(BUILD)

# The same suite built with AddressSanitizer + UndefinedBehaviorSanitizer.
asan:
	@$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
		SAN="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" test

check: deps
	@$(MAKE) --no-print-directory test
	@$(MAKE) --no-print-directory asan
	@echo "check: all suites passed (plain and sanitizers)"

run: deps all
	./$(BUILD)/chiso demo

bench: deps $(BENCH_BIN)
	@for b in $(BENCH_BIN); do echo "== $$b"; $$b || exit 1; done

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 \
		--inline-suppr -Isrc src
	clang-tidy --quiet src/*.c 2>/dev/null -- $(CFLAGS_BASE) $(shell pkg-config --cflags $(PKGS))

clean:
	rm -rf build
