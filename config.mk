# kiennghi build settings; override on the command line (make PREFIX=/usr).
VERSION = 0.1.0

PREFIX = /usr/local
MANPREFIX = $(PREFIX)/share/man
DATADIR = $(PREFIX)/share/kiennghi
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

CC = cc
PKG_CONFIG = pkg-config
PKGS = jansson libutf8proc

CPPFLAGS = -Iinclude -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L \
	-DKN_VERSION=\"$(VERSION)\" -DKN_DATADIR=\"$(DATADIR)\"
CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Wpedantic -Wshadow \
	-Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
LDFLAGS =
LDLIBS = -lcsv `$(PKG_CONFIG) --libs $(PKGS)` -lm

# make check builds everything a second time with these.
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
