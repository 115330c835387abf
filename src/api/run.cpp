// What a program on libtagwatch does around its Server: settings from argv and the
// environment, --help and --version, the log, and serve() with the Server as handler.
#include <fcgiapp.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "tagwatch.hpp"

namespace tagwatch {

namespace {

// Under plain CGI nobody reads our stderr first: answer the request with a 500 too.
[[noreturn]] void fail_startup(const std::string& message) {
    std::fprintf(stderr, "tagwatch: %s\n", message.c_str());
    if (std::getenv("GATEWAY_INTERFACE") && std::getenv("REQUEST_METHOD")) {
        std::printf(
            "Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "internal server error: the server's configuration is invalid; the server log says "
            "why\n");
    }
    std::exit(2);
}

}  // namespace

StartupOptions startup_options_or_exit(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    // Under plain CGI the command line is not ours: a web server passes the words of a query
    // without '=' as arguments (RFC 3875, 4.4), so `?--proxy_auth_enabled+...` would turn
    // settings on. A CGI program takes its settings from the environment and the config file.
    if (std::getenv("GATEWAY_INTERFACE") && std::getenv("REQUEST_METHOD")) args.clear();
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
    return serve(serve_options, [&server](Request& request) { return server.handle(request); });
}

}  // namespace tagwatch
