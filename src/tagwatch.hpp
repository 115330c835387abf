// libtagwatch's public header: everything a C++ program needs to serve TimeTagger's web
// API, or to build its own FastCGI program on it (docs/libapi.md walks through it).
//
//   Config            settings from flags, environment and a config file   (config/config.hpp)
//   Server            routing, authentication, tokens, login methods        (api/server.hpp)
//   Request/Response  the transport-neutral request and answer, HttpError   (http/http.hpp)
//   serve()           FastCGI workers, handed-over sockets, or plain CGI     (http/adapter.hpp)
//   Database          where the data lives; UserStore, one user's data       (store/store.hpp)
//   DataFolder        the SQLite engine: UserFile per user, ThrottleFile (store/datafolder.hpp)
//   hash_password()   Argon2id hashes; verify_password() also takes bcrypt  (auth/password.hpp)
//   LoginThrottle     failed logins per user and address, shared by processes (store/throttle.hpp)
//   make_login_guard  the LoginGuard that counts and checks logins atomically (api/login_guard.hpp)
#pragma once

#include "api/login_guard.hpp"
#include "api/server.hpp"
#include "auth/credentials.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "http/adapter.hpp"
#include "http/http.hpp"
#include "http/log.hpp"
#include "store/datafolder.hpp"
#include "store/naming.hpp"
#include "store/store.hpp"
#include "store/throttle.hpp"

namespace tagwatch {

// The version of the library and the default program ("0.1.0").
inline const char* version() { return TAGWATCH_VERSION; }

// What the default program does after parsing its settings: a Server with the standard
// login methods, served by serve() with an access log. Programs that add login methods or
// endpoints build the Server themselves and then call run(server, options) below.
// `also_log`, when given, is called after each request beside the access log (an audit log of
// the program's own, say); if it throws, the request has been answered already and the
// failure goes to the server's log.
// A FastCGI server on a socket of its own (or systemd's) whose token key cannot be used
// refuses to start (exit status 2).
int run(Server& server, const StartupOptions& options, RequestLogger also_log = {});

// For a main() whose Server could not be made (the data folder cannot be created, ...):
// prints why and, under plain CGI, answers the request with a 500 saying the log knows why.
// Returns the exit status.
int fail_to_start(const std::exception& error);

// Parses argv and the environment (printing --help/--version, or the error that stops
// start-up, and exiting) and returns the options. For main() functions.
StartupOptions startup_options_or_exit(int argc, char** argv);

}  // namespace tagwatch
