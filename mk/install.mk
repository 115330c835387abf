# Additions to `make install` (the Makefile's install target installs the program, the admin
# command, www/ and nginx.conf.example): the Apache config, deploy/ (.htaccess for shared
# hosting, systemd units) and the README they point to, into PREFIX/share/tagwatch.
.PHONY: install-deploy
install: install-deploy

install-deploy:
	install -d $(DESTDIR)$(PREFIX)/share/tagwatch/deploy/systemd/socket-activated
	install -m 0644 apache.conf.example README.md $(DESTDIR)$(PREFIX)/share/tagwatch/
	install -m 0644 deploy/htaccess $(DESTDIR)$(PREFIX)/share/tagwatch/deploy/
	install -m 0644 deploy/systemd/tagwatch.service $(DESTDIR)$(PREFIX)/share/tagwatch/deploy/systemd/
	install -m 0644 deploy/systemd/socket-activated/tagwatch.socket deploy/systemd/socket-activated/tagwatch.service \
	    $(DESTDIR)$(PREFIX)/share/tagwatch/deploy/systemd/socket-activated/
