// Request, Response and the small text helpers of the HTTP layer.
#include "http/http.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "model/pyjson.hpp"
#include "util/text.hpp"

namespace tagwatch {

namespace {
const std::string kEmpty;
}  // namespace

Request::Request(const std::map<std::string, std::string>& vars_, BodyReader reader)
    : vars(vars_.begin(), vars_.end()), reader_(std::move(reader)) {
    parse_request_line();
}

Request::Request(char** envp, BodyReader reader) : reader_(std::move(reader)) {
    size_t n = 0;
    while (envp && envp[n]) ++n;
    vars.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const char* entry = envp[i];
        const char* eq = std::strchr(entry, '=');
        if (!eq) continue;
        vars.emplace_back(std::string(entry, static_cast<size_t>(eq - entry)), std::string(eq + 1));
    }
    parse_request_line();
}

void Request::parse_request_line() {
    method = var("REQUEST_METHOD");
    // REQUEST_URI is what the client asked for, under nginx, Apache (also after a rewrite
    // into a CGI script) and spawn-fcgi alike; SCRIPT_NAME + PATH_INFO is the fallback.
    std::string uri = var("REQUEST_URI");
    if (uri.empty()) uri = var("SCRIPT_NAME") + var("PATH_INFO");
    auto qpos = uri.find('?');
    if (qpos != std::string::npos) uri.resize(qpos);
    path = percent_decode(uri, false);
    query = var("QUERY_STRING");
}

const std::string& Request::var(std::string_view name) const {
    for (const auto& [key, value] : vars)
        if (key == name) return value;
    return kEmpty;
}

std::optional<std::string> Request::header(std::string_view name) const {
    std::string key = "HTTP_";
    for (char c : name)
        key += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const auto& [k, value] : vars)
        if (k == key) return value;
    return std::nullopt;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
    std::optional<std::string> found;
    std::string_view q = query;
    while (!q.empty()) {
        auto amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view{} : q.substr(amp + 1);
        auto eq = pair.find('=');
        std::string key = percent_decode(pair.substr(0, eq), true);
        if (key != name) continue;
        found = eq == std::string_view::npos ? std::string{}
                                             : percent_decode(pair.substr(eq + 1), true);
    }
    // TimeTagger strips every parameter before it reads it: "running= false " is false.
    if (found) found = std::string(trim(*found));
    return found;
}

int64_t Request::content_length() const {
    const std::string& text = var("CONTENT_LENGTH");
    if (text.empty()) return -1;
    int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec == std::errc::result_out_of_range && end == text.data() + text.size() && text[0] != '-')
        return INT64_MAX;  // all digits, just too many: too large, not malformed (413 follows)
    if (ec != std::errc{} || end != text.data() + text.size() || n < 0)
        throw HttpError(400, "bad request: CONTENT_LENGTH is not a number: " + text);
    return n;
}

const std::string& Request::body(size_t limit) {
    if (body_) return *body_;
    int64_t declared = content_length();
    if (declared > static_cast<int64_t>(limit))
        throw HttpError(413, "payload too large: the body is " + std::to_string(declared) +
                                 " bytes, the limit is " + std::to_string(limit));
    std::string text;
    if (declared > 0 && reader_) {
        text.resize(static_cast<size_t>(declared));
        size_t got = 0;
        while (got < text.size()) {
            size_t n = reader_(text.data() + got, text.size() - got);
            if (n == 0) break;
            got += n;
        }
        text.resize(got);
    }
    body_ = std::move(text);
    return *body_;
}

Response Response::json(std::string body, int status) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}

Response Response::text(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

const char* status_reason(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 204:
            return "No Content";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 307:
            return "Temporary Redirect";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 411:
            return "Length Required";
        case 413:
            return "Payload Too Large";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return "Unknown";
    }
}

std::string percent_decode(std::string_view text, bool plus_is_space) {
    std::string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '%' && i + 2 < text.size()) {
            int hi = hex_digit(text[i + 1]), lo = hex_digit(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += (plus_is_space && c == '+') ? ' ' : c;
    }
    return out;
}

std::string json_quote(std::string_view text) {
    std::string out;
    py_json_string(text, out);  // one JSON string writer for the whole program
    return out;
}

std::string json_string_list(const std::vector<std::string>& items) {
    std::string out = "[";
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        py_json_string(items[i], out);
    }
    return out + "]";
}

}  // namespace tagwatch
