// What a program on libtagwatch does around its Server: settings from argv and the
// environment, --help and --version, the log, and serve() with the Server as handler.
#include <fcgiapp.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "tagwatch.hpp"

namespace tagwatch {

namespace {

// Under plain CGI nobody reads our stderr first: the request in hand is answered too.
[[noreturn]] void fail_startup(const std::string& message) {
    std::exit(refuse_to_start("tagwatch: " + message,
                              HttpError(500,
                                        "internal server error: the server's configuration is "
                                        "invalid; the server log says why")));
}

}  // namespace

StartupOptions startup_options_or_exit(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    // Under plain CGI the command line is not ours: a web server passes the words of a query
    // without '=' as arguments (RFC 3875, 4.4), so `?--proxy_auth_enabled+...` would turn
    // settings on. A CGI program takes its settings from the environment and the config file.
    if (started_as_cgi()) args.clear();
    StartupOptions options;
    try {
        options = load_config(args, process_environment());
    } catch (const std::exception& e) {
        fail_startup(e.what());
    }
    if (options.show_help) {
        std::cout << "Usage: " << (argc > 0 ? argv[0] : "tagwatch.fcgi") << " [options]\n"
                  << "Serves TimeTagger's web API (v2) over FastCGI, or as plain CGI when run by a "
                     "web server's CGI.\n\n"
                  << config_help_text();
        std::exit(0);
    }
    if (options.show_version) {
        std::cout << "tagwatch " << TAGWATCH_VERSION << "\n";
        std::exit(0);
    }
    try {
        configure_log(options.config.log_level, options.config.log_file);
    } catch (const std::exception& e) {
        fail_startup(e.what());
    }
    return options;
}

int fail_to_start(const std::exception& error) {
    return refuse_to_start(
        std::string("tagwatch: cannot start: ") + error.what(),
        HttpError(500, "internal server error: the server cannot start; the server log says why"));
}

int run(Server& server, const StartupOptions& options, RequestLogger also_log) {
    const Config& config = server.config();
    ServeOptions serve_options;
    serve_options.socket = config.socket;
    serve_options.workers = config.workers;
    serve_options.max_requests = config.max_requests;
    serve_options.idle_timeout = config.idle_timeout;
    serve_options.log = access_logger();
    if (also_log) {
        serve_options.log = [access = serve_options.log, also_log](const Request& r,
                                                                   const Response& a, double ms) {
            access(r, a, ms);
            also_log(r, a, ms);
        };
    }
    (void)options;
    // A FastCGI server of its own that could sign no token would answer 503 to everyone:
    // it refuses to start instead. Where the web server starts processes as it needs them
    // (plain CGI, mod_fcgid) each answers that 503 itself, the same text every time.
    if (const std::string problem = server.jwt_key_problem(); !problem.empty()) {
        const std::string where = problem + server.key_place();
        if (serves_own_socket(serve_options)) {
            std::fprintf(stderr, "tagwatch: cannot start: %s\n", where.c_str());
            return 2;
        }
        log_message(LogLevel::error, where);
    }
    // The supervisor keeps no connection of its own (a forked worker must not share it):
    // each worker opens its own on its first request.
    close_databases();
    return serve(serve_options, [&server](Request& request) { return server.handle(request); });
}

}  // namespace tagwatch
