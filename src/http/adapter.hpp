// The transport: FastCGI on a socket of our own (with N pre-forked workers), on a socket
// handed over (spawn-fcgi or the web server on fd 0, systemd on fd 3), or plain CGI.
// It turns each request into a Request, calls the handler, and writes the Response.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "http/http.hpp"

namespace tagwatch {

using Handler = std::function<Response(Request&)>;
// Called after each request with the time it took, for the access log.
using RequestLogger = std::function<void(const Request&, const Response&, double milliseconds)>;

struct ServeOptions {
    std::string
        socket;       // "PATH" or "HOST:PORT" to listen on; empty = use a handed-over socket or CGI
    int workers = 1;  // worker processes when we own the socket
    long max_requests =
        0;  // a worker exits after this many requests (0 = never); the supervisor starts another
    long idle_timeout = 0;  // a worker exits after this many idle seconds (0 = never)
    bool exit_on_binary_change =
        true;  // a worker exits after a request when its program file was replaced
    RequestLogger log;
};

// Calls the handler and turns whatever escapes it into an answer: HttpError into its
// status and message, anything else into 500 with a message (and a line in the log).
Response handle_safely(const Handler& handler, Request& request);

// Everything one request takes, behind one guard: builds the Request from the CGI/FastCGI
// parameters and the body reader, calls the handler, formats the answer and hands it to
// `write` (exactly once), then calls `log`. Whatever any of them throws (HttpError, a bug,
// bad_alloc, a logger of the program's own) is answered or logged here: never throws, so a
// worker always serves on.
void serve_request(char** envp, BodyReader read, const Handler& handler, const RequestLogger& log,
                   const std::function<void(std::string_view)>& write) noexcept;

// The whole HTTP text of a response as CGI and FastCGI expect it (Status line, headers, body).
std::string format_response(const Request& request, const Response& response);

// True when a web server started this process as plain CGI, for one request (its CGI
// variables are in the environment).
bool started_as_cgi();

// True when serve(options) will listen on a socket of its own (options.socket) or on one
// systemd handed over: a long-lived server its operator started, which may refuse to start.
// False for plain CGI and for a socket on fd 0 (mod_fcgid, spawn-fcgi), whose processes come
// and go as the web server needs them: refusing there would mix the web server's error
// pages into the answers.
bool serves_own_socket(const ServeOptions& options);

// For a program that cannot start: `why` goes to standard error, and under plain CGI the
// request in hand is answered with `answer` (through serve_request, like every answer), so
// the client reads a message instead of the web server's own error page. Returns the exit
// status to end with, 2.
int refuse_to_start(const std::string& why, const HttpError& answer);

// Serves until told to stop (SIGTERM/SIGINT: after the request in hand). Detects plain CGI
// by itself. Returns the process exit status.
int serve(const ServeOptions& options, const Handler& handler);

}  // namespace tagwatch
