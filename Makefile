# actions - build, test, demo, bench. See README.md.
#
#   make            build ./actions
#   make demo       build, then run the tool on the shipped hello-world spec
#   make check      run every test; ends with "N passed, N failed, N skipped"
#   make check SAN=1    the same under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      benchmarks (downloads GitHub's OpenAPI description once)
#   make install PREFIX=/usr/local DESTDIR=   (the binary and the man page)
#   make man-lint   lint doc/actions.1 with mandoc and groff
#
# Missing Debian packages are installed by scripts/deps.sh (as root), or it
# prints the apt-get line to run.

.DEFAULT_GOAL := all

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions

CC ?= cc
ifeq ($(origin CC),default)
CC := gcc
endif

WARN := -Wall -Wextra -Wpedantic -Wshadow
ifdef CI
WARN += -Werror
endif
ifdef WERROR
WARN += -Werror
endif

ifdef SAN
B := build/san
SANFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined,float-cast-overflow
OPT := -O1 -g
else
B := build/rel
SANFLAGS :=
OPT := -O2 -g
endif

CFLAGS_ALL = -std=c11 $(WARN) $(OPT) $(SANFLAGS) -D_GNU_SOURCE -I. $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)

NODEPS_GOALS := clean format format-check install-man man-lint
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
include build/deps.mk
endif

build/deps.mk: scripts/deps.sh
	@mkdir -p build
	@scripts/deps.sh > $@.tmp && mv $@.tmp $@

LIB_SRCS := $(wildcard common/*.c parser/*.c validator/*.c runner/*.c process/*.c mock/*.c)
CLI_SRCS := $(wildcard cli/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(B)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/tests/%)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(B)/tests/replay_%)
HDRS := $(wildcard common/*.h parser/*.h validator/*.h runner/*.h process/*.h mock/*.h cli/*.h)

.PHONY: all demo check unit bench fuzz install install-man install-completions man-lint clean format format-check hdr-check tests-build

all: actions

actions: $(B)/actions
	cp $< $@.tmp && mv -f $@.tmp $@

$(B)/actions: $(CLI_OBJS) $(B)/libactions.a
	$(CC) $(LDFLAGS_ALL) -o $@ $(CLI_OBJS) $(B)/libactions.a $(PKG_LIBS) -lm

$(B)/libactions.a: $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(B)/%.o: %.c $(HDRS) build/deps.mk
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(B)/tests/test_%: tests/unit/test_%.c $(B)/libactions.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $(CMOCKA_CFLAGS) -o $@ $< $(B)/libactions.a $(CMOCKA_LIBS) $(PKG_LIBS) -lm

$(B)/tests/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(B)/libactions.a $(HDRS) $(wildcard tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -o $@ $< tests/fuzz/replay.c $(B)/libactions.a $(PKG_LIBS) -lm

tests-build: $(B)/actions $(UNIT_BINS) $(FUZZ_REPLAY)

check: tests-build
	@scripts/deps.sh --test
	@ACTIONS_BIN=$(CURDIR)/$(B)/actions BUILD_DIR=$(CURDIR)/$(B) SAN=$(SAN) tests/run.sh

demo: actions
	@scripts/demo.sh

bench: actions
	@bench/run.sh

# libFuzzer builds (clang); make check replays the corpora under gcc instead.
FUZZ_CC ?= clang
fuzz: build/deps.mk
	@mkdir -p build/fuzz
	@for f in $(FUZZ_SRCS); do n=$$(basename $$f .c); \
	  echo "  FUZZ $$n"; \
	  $(FUZZ_CC) -std=c11 -g -O1 -D_GNU_SOURCE -I. $(PKG_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	    -o build/fuzz/$$n $$f $(LIB_SRCS) $(PKG_LIBS) -lm || exit 1; done
	@echo "run e.g.: build/fuzz/fuzz_doc_json tests/fuzz/corpus/fuzz_doc_json"

install: actions install-man install-completions
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 actions $(DESTDIR)$(BINDIR)/actions

# The bash and zsh completion scripts alone (make install does it too); needs no build.
install-completions:
	install -d $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	install -m 0644 completions/actions.bash $(DESTDIR)$(BASHCOMPDIR)/actions
	install -m 0644 completions/_actions $(DESTDIR)$(ZSHCOMPDIR)/_actions

# The man page alone (make install does it too); needs no build.
install-man:
	install -d $(DESTDIR)$(MANDIR)/man1
	install -m 0644 doc/actions.1 $(DESTDIR)$(MANDIR)/man1/actions.1

# The man page must lint clean with both mandoc and groff (make check tests it too).
man-lint:
	@out=$$(mandoc -T lint doc/actions.1 2>&1; groff -ww -z -man doc/actions.1 2>&1); \
	  if [ -n "$$out" ]; then printf '%s\n' "$$out"; exit 1; fi; echo "doc/actions.1 ok"

hdr-check: build/deps.mk
	@for h in $(HDRS); do printf '#include "%s"\ntypedef int hdr_check_nonempty;\n' $$h | \
	  $(CC) -std=c11 $(WARN) -Werror -D_GNU_SOURCE -I. $(PKG_CFLAGS) -x c -fsyntax-only - || { echo "hdr-check: $$h"; exit 1; }; done
	@echo "headers ok"

format:
	clang-format -i $(LIB_SRCS) $(CLI_SRCS) $(HDRS) $(UNIT_SRCS)

format-check:
	clang-format --dry-run -Werror $(LIB_SRCS) $(CLI_SRCS) $(HDRS) $(UNIT_SRCS)

clean:
	rm -rf build actions
