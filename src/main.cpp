// The default program: TimeTagger's web API with the standard login methods, as FastCGI
// workers or plain CGI. Everything it does is in libtagwatch; see examples/ for more.
#include <cstdio>

#include "tagwatch.hpp"

int main(int argc, char** argv) {
    tagwatch::StartupOptions options = tagwatch::startup_options_or_exit(argc, argv);
    try {
        tagwatch::Server server(options.config);
        return tagwatch::run(server, options);
    } catch (const std::exception& e) {
        return tagwatch::fail_to_start(e);
    }
}
