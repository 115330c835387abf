# `make dist`: the release to upload, dist/tagwatch-VERSION.tar.gz. Its programs are fully
# static (STATIC_LDFLAGS, the Makefile): shared hosts run older C libraries than the build
# machine's, and a program that links glibc dynamically will not start there. Everything
# else a host needs is in it: www/, the example configs, deploy/ (.htaccess, systemd units),
# the README. (The linker warns that dlopen and gethostbyname need glibc's shared libraries
# at run time in a static program: the PostgreSQL engine, which loads libpq, and a FastCGI
# socket given as a host *name* are the only users; the data folder and `--socket
# 127.0.0.1:9000` need neither.)

DIST_NAME    := tagwatch-$(VERSION)
DIST_STAGE   := build/dist/$(DIST_NAME)
DIST_TARBALL := dist/$(DIST_NAME).tar.gz
STATIC_PROGRAM := build/static/tagwatch.fcgi
STATIC_ADMIN   := build/static/tagwatch-admin
# The date of the last commit, so that the same commit gives the same tarball.
DIST_DATE    := $(shell git log -1 --format=%ct 2>/dev/null || date +%s)

.PHONY: dist static
static: $(STATIC_PROGRAM) $(STATIC_ADMIN)

$(STATIC_PROGRAM): build/obj/main.o build/libtagwatch.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(STATIC_LDFLAGS) -s -o $@ $^ $(LDLIBS) 2>&1 | grep -v -e 'in statically linked applications requires' -e 'in function' || true
	@test -x $@

$(STATIC_ADMIN): $(ADMIN_OBJ) build/libtagwatch.a
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(STATIC_LDFLAGS) -s -o $@ $^ $(LDLIBS) 2>&1 | grep -v -e 'in statically linked applications requires' -e 'in function' || true
	@test -x $@

dist: $(STATIC_PROGRAM) $(STATIC_ADMIN)
	rm -rf $(DIST_STAGE) && mkdir -p $(DIST_STAGE)/cgi-bin $(DIST_STAGE)/bin dist
	install -m 0755 $(STATIC_PROGRAM) $(DIST_STAGE)/cgi-bin/tagwatch.fcgi
	install -m 0755 $(STATIC_ADMIN) $(DIST_STAGE)/bin/tagwatch-admin
	cp -r www $(DIST_STAGE)/www
	cp -r deploy $(DIST_STAGE)/deploy
	cp README.md VERSION nginx.conf.example apache.conf.example $(DIST_STAGE)/
	$(if $(wildcard LICENSE),cp LICENSE $(DIST_STAGE)/)
	$(if $(wildcard docs/*.md),mkdir -p $(DIST_STAGE)/docs && cp docs/*.md $(DIST_STAGE)/docs/)
	$(if $(wildcard examples/*),mkdir -p $(DIST_STAGE)/examples && cp examples/* $(DIST_STAGE)/examples/)
	tar -C build/dist --sort=name --owner=0 --group=0 --numeric-owner --mtime=@$(DIST_DATE) \
	    -czf $(DIST_TARBALL) $(DIST_NAME)
	@echo "dist: $(DIST_TARBALL) ($$(du -h $(DIST_TARBALL) | cut -f1)); programs: $$(file -b $(DIST_STAGE)/cgi-bin/tagwatch.fcgi | cut -d, -f1-4)"
