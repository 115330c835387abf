// The transport-neutral request and response, and the one error type that carries an
// HTTP status. The FastCGI/CGI adapter (adapter.hpp) builds a Request; handlers return
// a Response or throw HttpError, and never see the transport.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "util/error.hpp"

namespace tagwatch {

// Reads at most `n` bytes of the body into the buffer; returns how many were read (0 at end).
using BodyReader = std::function<size_t(char* buffer, size_t n)>;

class Request {
  public:
    std::string method;  // upper case, as the web server gave it
    std::string path;    // percent-decoded path without the query string
    std::string query;   // raw query string
    // The CGI/FastCGI parameters as given. A flat list: a request has a few dozen, most
    // short enough to need no allocation, and a linear scan beats a tree at that size.
    std::vector<std::pair<std::string, std::string>> vars;
    std::string user;  // set once the request is authenticated, for the access log

    Request() = default;
    Request(const std::map<std::string, std::string>& vars_, BodyReader reader);
    // From a NAME=value environment block (CGI's environ, FastCGI's envp).
    Request(char** envp, BodyReader reader);

    // A CGI variable, or "" when missing.
    const std::string& var(std::string_view name) const;
    // An HTTP request header by its name (any case, dashes or underscores), or nullopt.
    std::optional<std::string> header(std::string_view name) const;
    // A query parameter, percent-decoded, without the white space around it (as Python's
    // str.strip() removes it: TimeTagger reads every parameter so); when repeated the last counts.
    std::optional<std::string> query_param(std::string_view name) const;
    const std::string& remote_addr() const { return var("REMOTE_ADDR"); }
    // CONTENT_LENGTH as a number; -1 when absent, throws HttpError 400 when not a number.
    int64_t content_length() const;

    // The whole body. Checks CONTENT_LENGTH against `limit` before reading a byte (413),
    // and stops reading past the limit even when the web server lied about the length.
    // Reads once; later calls return the same text.
    const std::string& body(size_t limit);

  private:
    void parse_request_line();
    BodyReader reader_;
    std::optional<std::string> body_;
};

struct Response {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response json(std::string body, int status = 200);
    static Response text(int status, std::string body);
};

// The reason phrase for a status code ("Not Found").
const char* status_reason(int status);
// Percent-decoding; '+' becomes a space only when `plus_is_space` (query strings).
std::string percent_decode(std::string_view text, bool plus_is_space);
// A JSON string literal (with quotes), written as Python's json.dumps writes it: ASCII
// only, so that bytes that are not UTF-8 cannot make an answer invalid JSON.
std::string json_quote(std::string_view text);
// A JSON list of strings, as Python's json.dumps writes it: ["a", "b"].
std::string json_string_list(const std::vector<std::string>& items);

}  // namespace tagwatch
