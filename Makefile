# tagwatch: build, run, test, bench, install.
# `make run` and `make test` are all the set-up a fresh Debian machine needs:
# both install what is missing first (`make deps`).

CXX      ?= g++
CXXFLAGS ?= -O2 -g
CXXFLAGS += -std=c++20 -Wall -Wextra -Werror -Isrc -MMD -MP
LDLIBS   := -lfcgi -lsqlite3 -lsodium -lcrypt
PREFIX   ?= /usr/local
VERSION  := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CXXFLAGS += -DTAGWATCH_VERSION='"$(VERSION)"'
# libpq's header only: the library itself is loaded at run time (src/store/postgres.hpp says why).
CXXFLAGS += $(shell pkg-config --cflags libpq 2>/dev/null)

LIB_SRC  := $(filter-out src/admin/%,$(wildcard src/*/*.cpp))
LIB_OBJ  := $(LIB_SRC:src/%.cpp=build/obj/%.o)
ADMIN_SRC := $(wildcard src/admin/*.cpp)
ADMIN_OBJ := $(ADMIN_SRC:src/%.cpp=build/obj/%.o)
TEST_SRC := $(wildcard tests/unit/*.cpp)
TEST_OBJ := $(TEST_SRC:tests/%.cpp=build/obj/tests/%.o)
EXAMPLES := $(patsubst examples/%.cpp,build/examples/%,$(wildcard examples/*.cpp))

PROGRAM  := cgi-bin/tagwatch.fcgi
ADMIN    := build/tagwatch-admin

.PHONY: all deps run test bench sanitize install dist clean format
all: $(PROGRAM) $(if $(ADMIN_SRC),$(ADMIN)) $(EXAMPLES)

build/obj/%.o: src/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -c $< -o $@

build/obj/tests/%.o: tests/%.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -DBOOST_TEST_DYN_LINK -c $< -o $@

build/libtagwatch.a: $(filter-out build/obj/main.o,$(LIB_OBJ))
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

# The program is linked statically: as plain CGI a process starts for every request, and
# resolving a dynamic program's symbols took two thirds of its instructions; it is also what
# `make dist` ships. As a static PIE with the table of unwind entries (--eh-frame-hdr): a
# plain -static program registers its unwind entries and sorts all of them at its first
# exception, 29 million instructions, 78 times a whole request, for every error answer
# under CGI. (The linker's notes on dlopen and gethostbyname are filtered: the PostgreSQL
# engine loads libpq at run time, and only then needs the C library's shared objects; a
# socket given as a host *name* is the other user.)
STATIC_LDFLAGS := -static-pie -Wl,--eh-frame-hdr
$(PROGRAM): build/obj/main.o build/libtagwatch.a
	@mkdir -p $(@D)
	@$(CXX) $(CXXFLAGS) $(STATIC_LDFLAGS) -o $@ $^ $(LDLIBS) 2>&1 | grep -v -e 'in statically linked applications requires' -e 'in function' >&2 || true
	@test -x $@ && echo "linked $@ (static)"

build/obj/main.o: src/main.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -c $< -o $@

$(ADMIN): $(ADMIN_OBJ) build/libtagwatch.a
	$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS)

build/examples/%: examples/%.cpp build/libtagwatch.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) -o $@ $< build/libtagwatch.a $(LDLIBS)

build/unit-tests: $(TEST_OBJ) build/libtagwatch.a
	$(CXX) $(CXXFLAGS) -o $@ $^ $(LDLIBS) -lboost_unit_test_framework

# Installs the Debian packages and npm modules that are missing; checks first, so it
# is quick when everything is there and never touches a newer Node.js already installed.
deps:
	@tools/deps.sh

run: deps all
	@tools/dev-server.sh

test: deps all build/unit-tests
	@tests/run.sh

# The server's figures (bench/run.sh: wrk against nginx, the do-nothing responder and the
# program), then the web app's in headless Chromium. Each prints a table with its ratios.
bench: deps all
	@bench/run.sh
	@node bench/login-timing.mjs
	@for b in tests/browser/bench-*.mjs; do echo "== $$b"; node $$b || exit 1; done

# The unit and API tests against a build with AddressSanitizer and UBSan (build/sanitize/).
sanitize: deps
	@tools/sanitize.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/tagwatch/cgi-bin $(DESTDIR)$(PREFIX)/share/tagwatch
	install -m 0755 $(PROGRAM) $(DESTDIR)$(PREFIX)/lib/tagwatch/cgi-bin/
	$(if $(ADMIN_SRC),install -m 0755 $(ADMIN) $(DESTDIR)$(PREFIX)/bin/)
	cp -r www $(DESTDIR)$(PREFIX)/share/tagwatch/
	install -m 0644 nginx.conf.example $(DESTDIR)$(PREFIX)/share/tagwatch/

# Lays out every C++ file as .clang-format says (make test checks it: tools/check-format.sh).
format: deps
	@tools/check-format.sh --fix

clean:
	rm -rf build $(PROGRAM)

# Further targets (dist, Apache and systemd helpers) live in mk/*.mk.
-include mk/*.mk

-include build/obj/main.d $(LIB_OBJ:.o=.d) $(ADMIN_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(EXAMPLES:=.d)
